/**
 * iptables-restore file per host that masquerades, forwards or clamps MSS: *nat, *filter (FORWARD policy
 * DROP, only when the host has forward rules) and *mangle, at the OS family's persistence path.
 */
import type { HostModel, SiteModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import type { Artifact, Target } from "../target.js";
import { needsRules, rulesView } from "./rules.js";

function rulesArtifact(site: SiteModel, host: HostModel): Artifact {
  const path = HOST_PATHS[host.os].iptablesRules;
  return {
    path: hostFile(host.name, path),
    content: render("iptables", "rules.v4", rulesView(site, host, `/${path}`)),
    mode: 0o644,
    kind: "iptables-restore",
    host: host.name,
  };
}

export const iptablesTarget: Target = {
  name: "iptables",
  description: "iptables-restore file per host (NAT, FORWARD, TCPMSS)",
  emit(site: SiteModel): Artifact[] {
    return site.hosts.filter(needsRules).map((host) => rulesArtifact(site, host));
  },
};
