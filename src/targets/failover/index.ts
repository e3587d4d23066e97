/**
 * The failover monitor of seed 004's gateway pairs: for every host with failover facts, a config file
 * (KEY=value, sourced by bash), the monitor script (a state machine; its decision logic is specified in
 * ./policy.ts) and a systemd unit that runs it.
 */
import type { HostFailover, HostModel, SiteModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { HOST_UNIT_KINDS } from "../kinds.js";
import type { Artifact, Target } from "../target.js";
import { failoverView } from "./view.js";

function monitorArtifacts(site: SiteModel, host: HostModel, failover: HostFailover): Artifact[] {
  const paths = HOST_PATHS[host.os];
  const view = failoverView(site, host, failover);
  const file = (path: string, template: string, mode: number, kind: Artifact["kind"]): Artifact => ({
    path: hostFile(host.name, path),
    content: render("failover", template, view),
    mode,
    kind,
    host: host.name,
  });
  return [
    file(paths.failoverConf, "failover.conf", 0o644, "failover-config"),
    file(paths.failoverScript, "monitor.sh", 0o755, "shell"),
    file(paths.failoverUnit, "failover.service", 0o644, "systemd-unit"),
  ];
}

export const failoverTarget: Target = {
  name: "failover",
  description: "failover monitor script, config and unit for gateway pairs",
  kinds: { "failover-config": { text: "failover monitor settings", handler: "units", mode: 0o644 }, ...HOST_UNIT_KINDS },
  emit(site: SiteModel): Artifact[] {
    return site.hosts.flatMap((host) => (host.failover ? monitorArtifacts(site, host, host.failover) : []));
  },
};
