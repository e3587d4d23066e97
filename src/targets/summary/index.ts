/**
 * The per-site README: the topology as a diagram, what the site connects, and what each host, device and the
 * cluster receive. People read this before the configs.
 */
import { walkSite } from "../../explain/walks.js";
import type { SiteModel } from "../../model/types.js";
import type { Artifact, EmitContext, Target } from "../target.js";
import { receivedFiles } from "./received.js";
import { renderSummary, type AnsibleGlue } from "./render.js";

export const summaryTarget: Target = {
  name: "summary",
  description: "out/<site>/README.md: a human summary of the site",
  late: true,
  kinds: { readme: { text: "this summary", handler: "none", mode: 0o644 } },
  emit(site: SiteModel, context?: EmitContext): Artifact[] {
    const emitted = context?.emitted ?? [];
    // The Ansible glue, by the kinds the Ansible target declares (the summary imports nothing of it).
    const path = (kind: string) => emitted.find((a) => a.kind === kind)?.path;
    const [inventory, playbook] = [path("ansible-inventory"), path("ansible-playbook")];
    const ansible: AnsibleGlue | undefined = inventory && playbook ? { inventory, playbook } : undefined;
    // The flows' paths: walked once by the pipeline for the late targets, else here, by the same engine.
    const paths = context?.paths ?? walkSite({ model: site, artifacts: emitted });
    return [{ path: "README.md", content: renderSummary(site, receivedFiles(emitted), context?.kinds ?? new Map(), ansible, paths), mode: 0o644, kind: "readme" }];
  },
};
