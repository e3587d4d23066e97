import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";

export const failoverTarget: Target = {
  name: "failover",
  description: "failover monitor script, config and unit for gateway pairs",
  emit(_site: SiteModel): Artifact[] {
    return [];
  },
};
