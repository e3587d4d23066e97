/**
 * The per-site README: the topology as a diagram, what the site connects, and what each host, device and the
 * cluster receive. People read this before the configs.
 */
import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";
import { receivedFiles } from "./received.js";
import { renderSummary } from "./render.js";

export const summaryTarget: Target = {
  name: "summary",
  description: "out/<site>/README.md: a human summary of the site",
  late: true,
  emit(site: SiteModel, emitted: readonly Artifact[] = []): Artifact[] {
    return [{ path: "README.md", content: renderSummary(site, receivedFiles(emitted)), mode: 0o644, kind: "readme" }];
  },
};
