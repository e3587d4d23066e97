import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";

export const strongswanTarget: Target = {
  name: "strongswan",
  description: "strongSwan ipsec.conf, ipsec.secrets, swanctl.conf and charon drop-in per host",
  emit(_site: SiteModel): Artifact[] {
    return [];
  },
};
