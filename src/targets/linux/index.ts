import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";

export const linuxTarget: Target = {
  name: "linux",
  description: "tunnel script (vti, ipip, rules, routes), systemd unit and sysctl drop-in per host",
  emit(_site: SiteModel): Artifact[] {
    return [];
  },
};
