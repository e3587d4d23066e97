/**
 * Linux host artifacts: per host with devices, rules or routes, the tunnel script and the systemd unit that
 * runs it; per host that forwards or runs route-based IPsec, the sysctl.d drop-in.
 */
import type { HostModel, SiteModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { HOST_UNIT_KINDS } from "../kinds.js";
import type { Artifact, Target } from "../target.js";
import { runsFrr } from "../frr/index.js";
import { nodeName } from "./safe.js";
import { dropInGroups } from "./sysctl.js";
import { needsTunnelScript, renderTunnelScript, TUNNEL_STATE_FILE } from "./tunnel-script.js";

function hostArtifacts(site: SiteModel, host: HostModel): Artifact[] {
  const paths = HOST_PATHS[host.os];
  const file = (path: string, content: string, mode: number, kind: Artifact["kind"]): Artifact => ({
    path: hostFile(host.name, path),
    content,
    mode,
    kind,
    host: host.name,
  });
  const context = { source: site.source.file, host: nodeName(host.name), script: `/${paths.tunnelScript}` };
  const artifacts: Artifact[] = [];
  if (needsTunnelScript(site, host)) {
    artifacts.push(file(paths.tunnelScript, renderTunnelScript(site, host), 0o755, "shell"));
    // Ordered before strongSwan only where it runs: the vti devices exist before charon installs the SAs.
    // And before FRRouting where sitewire configures it: bgpd's neighbours are the vti inside addresses.
    const before = [...(host.tunnels.length > 0 ? paths.strongswanUnits : []), ...(runsFrr(site, host) ? paths.frrUnits : [])];
    artifacts.push(file(paths.tunnelUnit, render("linux", "tunnels.service", { ...context, before, state: TUNNEL_STATE_FILE }), 0o644, "systemd-unit"));
  }
  const groups = dropInGroups(site, host);
  if (groups.length > 0)
    artifacts.push(file(paths.sysctl, render("linux", "sysctl.conf", { ...context, path: `/${paths.sysctl}`, groups, tunnelDevices: host.vtis.length + host.ipips.length > 0 }), 0o644, "sysctl"));
  return artifacts;
}

export const linuxTarget: Target = {
  name: "linux",
  description: "tunnel script (vti, ipip, rules, routes), systemd unit and sysctl drop-in per host",
  kinds: { ...HOST_UNIT_KINDS, sysctl: { text: "kernel settings (sysctl.d)", handler: "sysctl", mode: 0o644 } },
  emit(site: SiteModel): Artifact[] {
    return site.hosts.flatMap((host) => hostArtifacts(site, host));
  },
};
