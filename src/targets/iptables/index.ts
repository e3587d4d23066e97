import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";

export const iptablesTarget: Target = {
  name: "iptables",
  description: "iptables-restore file per host (NAT, FORWARD, TCPMSS)",
  emit(_site: SiteModel): Artifact[] {
    return [];
  },
};
