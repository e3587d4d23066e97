/**
 * sitewire's iptables rules per host that masquerades, forwards or clamps MSS, in chains it owns: the rules
 * file (`iptables-restore --noflush`, sitewire's chains only), on a host with IPv6 rules the ip6tables rules
 * file beside it (`ip6tables-restore --noflush`, the same chains in ip6tables' tables: NAT66, IPv6 forward
 * accepts, IPv6 MSS clamps), the script that loads both and keeps one jump to each chain, and the systemd unit
 * that runs the script at boot. Built-in chains, their policies and other programs' rules and chains (Docker,
 * kube-proxy, the host's own) are never named, in either family, so never changed.
 */
import type { HostModel, SiteModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { HOST_UNIT_KINDS } from "../kinds.js";
import { nodeName } from "../linux/safe.js";
import type { Artifact, Target } from "../target.js";
import { firewallHosts, hasRulesOf } from "../firewall/rules.js";
import { FAMILY_TOOLS, JUMP_COMMENT, OWNED_CHAINS, rulesView } from "./rules.js";

/**
 * Services that restore whole tables at boot (and so flush every chain of them): the unit loads after them.
 * netfilter-persistent (Debian iptables-persistent), iptables.service (RHEL iptables-services), firewalld with
 * its iptables backend. Ordering after a unit that is not installed does nothing (systemd.unit(5), After=).
 */
const WHOLE_TABLE_LOADERS = ["netfilter-persistent.service", "iptables.service", "firewalld.service"];
/**
 * The same for ip6tables' tables (RHEL iptables-services' ip6tables.service restores /etc/sysconfig/ip6tables;
 * Debian's netfilter-persistent does both families): the unit of a host with an ip6tables file loads after it.
 */
const WHOLE_TABLE_LOADERS6 = ["ip6tables.service"];

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
  // The IPv6 file only where the host has IPv6 rules; without it the loader removes any IPv6 chain of sitewire's
  // an earlier intent left (its RULES6 is empty), so dropping the last IPv6 rule from the intent empties ip6tables too.
  const six = hasRulesOf(host, 6);
  const rules6 = six ? `/${paths.ip6tablesRules}` : "";
  const context = { source: site.source.file, host: nodeName(host.name), description: host.description ?? null, ...at, rules6 };
  // Before the units that start forwarding through tunnels: sitewire's tunnel unit (ordering against a unit
  // that is not installed does nothing) and strongSwan where tunnels end here.
  const before = [paths.tunnelUnit.slice(paths.tunnelUnit.lastIndexOf("/") + 1), ...(host.tunnels.length > 0 ? paths.strongswanUnits : [])];
  return [
    file(paths.iptablesRules, render("iptables", "iptables.rules", rulesView(site, host, 4, at)), 0o644, "iptables-restore"),
    ...(six ? [file(paths.ip6tablesRules, render("iptables", "iptables.rules", rulesView(site, host, 6, { ...at, rules: rules6 })), 0o644, "ip6tables-restore")] : []),
    file(
      paths.firewallScript,
      render("iptables", "firewall.sh", { ...context, chains: OWNED_CHAINS, jumpComment: JUMP_COMMENT, restore: FAMILY_TOOLS[4].restore, restore6: FAMILY_TOOLS[6].restore }),
      0o755,
      "shell",
    ),
    file(
      paths.firewallUnit,
      render("iptables", "firewall.service", { ...context, before, after: [...WHOLE_TABLE_LOADERS, ...(six ? WHOLE_TABLE_LOADERS6 : [])] }),
      0o644,
      "systemd-unit",
    ),
  ];
}

export const iptablesTarget: Target = {
  name: "iptables",
  description: "sitewire's own iptables and ip6tables chains per host (NAT, NAT66, FORWARD, TCPMSS), their loader and its systemd unit",
  kinds: {
    "iptables-restore": { text: "iptables rules (iptables-restore)", handler: "iptables", mode: 0o644 },
    "ip6tables-restore": { text: "ip6tables rules (ip6tables-restore)", handler: "iptables", mode: 0o644 },
    ...HOST_UNIT_KINDS,
  },
  emit(site: SiteModel): Artifact[] {
    // Only the hosts whose firewall backend is iptables (hosts.<h>.firewall.backend); the others get nftables.
    return firewallHosts(site, "iptables").flatMap((host) => hostArtifacts(site, host));
  },
};
