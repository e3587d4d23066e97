/**
 * The per-site README: what the site connects and what each host and device receives. People read this
 * before the configs. (Issue 6 adds the topology diagram.)
 */
import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";
import { renderSummary } from "./render.js";

export const summaryTarget: Target = {
  name: "summary",
  description: "out/<site>/README.md: a human summary of the site",
  emit(site: SiteModel): Artifact[] {
    return [{ path: "README.md", content: renderSummary(site), mode: 0o644, kind: "readme" }];
  },
};
