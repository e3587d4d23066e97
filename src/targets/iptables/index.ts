/**
 * sitewire's iptables rules per host that masquerades, forwards or clamps MSS, in chains it owns: the rules
 * file (`iptables-restore --noflush`, sitewire's chains only), the script that loads it and keeps one jump to
 * each chain, and the systemd unit that runs the script at boot. Built-in chains, their policies and other
 * programs' rules and chains (Docker, kube-proxy, the host's own) are never named, so never changed.
 */
import type { HostModel, SiteModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { HOST_UNIT_KINDS } from "../kinds.js";
import { nodeName } from "../linux/safe.js";
import type { Artifact, Target } from "../target.js";
import { firewallHosts } from "../firewall/rules.js";
import { JUMP_COMMENT, OWNED_CHAINS, rulesView } from "./rules.js";

/**
 * Services that restore whole tables at boot (and so flush every chain of them): the unit loads after them.
 * netfilter-persistent (Debian iptables-persistent), iptables.service (RHEL iptables-services), firewalld with
 * its iptables backend. Ordering after a unit that is not installed does nothing (systemd.unit(5), After=).
 */
const WHOLE_TABLE_LOADERS = ["netfilter-persistent.service", "iptables.service", "firewalld.service"];

function hostArtifacts(site: SiteModel, host: HostModel): Artifact[] {
  const paths = HOST_PATHS[host.os];
  const file = (path: string, content: string, mode: number, kind: Artifact["kind"]): Artifact => ({
    path: hostFile(host.name, path),
    content,
    mode,
    kind,
    host: host.name,
  });
  const at = { rules: `/${paths.iptablesRules}`, script: `/${paths.firewallScript}`, unit: paths.firewallUnit.slice(paths.firewallUnit.lastIndexOf("/") + 1) };
  const context = { source: site.source.file, host: nodeName(host.name), description: host.description ?? null, ...at };
  // Before the units that start forwarding through tunnels: sitewire's tunnel unit (ordering against a unit
  // that is not installed does nothing) and strongSwan where tunnels end here.
  const before = [paths.tunnelUnit.slice(paths.tunnelUnit.lastIndexOf("/") + 1), ...(host.tunnels.length > 0 ? paths.strongswanUnits : [])];
  return [
    file(paths.iptablesRules, render("iptables", "iptables.rules", rulesView(site, host, at)), 0o644, "iptables-restore"),
    file(paths.firewallScript, render("iptables", "firewall.sh", { ...context, chains: OWNED_CHAINS, jumpComment: JUMP_COMMENT }), 0o755, "shell"),
    file(
      paths.firewallUnit,
      render("iptables", "firewall.service", { ...context, before, after: WHOLE_TABLE_LOADERS }),
      0o644,
      "systemd-unit",
    ),
  ];
}

export const iptablesTarget: Target = {
  name: "iptables",
  description: "sitewire's own iptables chains per host (NAT, FORWARD, TCPMSS), their loader and its systemd unit",
  kinds: { "iptables-restore": { text: "iptables rules (iptables-restore)", handler: "iptables", mode: 0o644 }, ...HOST_UNIT_KINDS },
  emit(site: SiteModel): Artifact[] {
    // Only the hosts whose firewall backend is iptables (hosts.<h>.firewall.backend); the others get nftables.
    return firewallHosts(site, "iptables").flatMap((host) => hostArtifacts(site, host));
  },
};
