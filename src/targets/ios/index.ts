import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";

export const iosTarget: Target = {
  name: "ios",
  description: "Cisco IOS configuration per cisco-ios peer",
  emit(_site: SiteModel): Artifact[] {
    return [];
  },
};
