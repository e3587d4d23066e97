import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";

export const clusterTarget: Target = {
  name: "cluster",
  description: "Kubernetes manifests and kustomization for Argo CD",
  emit(_site: SiteModel): Artifact[] {
    return [];
  },
};
