/**
 * sitewire's nftables table per host whose firewall backend is nftables (hosts.<h>.firewall.backend, default by
 * os and release: src/model/hosts.ts releaseDefaults): the rules file (`nft -f`, one transaction replacing
 * `table inet sitewire` as a whole) and the systemd unit that loads it at boot and on reload and deletes the
 * table when stopped. No other table is ever named, so none changes. The rules are the iptables backend's
 * (src/targets/firewall/rules.ts), in nftables syntax; the coexistence difference (an accept here does not stop
 * another table's chain from dropping) is said in the file's header and in the README.
 */
import type { HostModel, SiteModel } from "../../model/types.js";
import { templatesOf } from "../../render/templates.js";
import { firewallHosts } from "../firewall/rules.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { HOST_UNIT_KINDS } from "../kinds.js";
import { nodeName } from "../linux/safe.js";
import type { Artifact, Target } from "../target.js";
import { nftString } from "./quote.js";
import { NFT_TABLE, nftView } from "./rules.js";

/** nft's path on Debian (nftables package) and RHEL (nftables RPM): systemd wants an absolute ExecStart=. */
export const NFT_PROGRAM = "/usr/sbin/nft";

/**
 * Services that load a whole ruleset at boot: the unit loads after them. nftables.service (Debian, RHEL) runs
 * /etc/nftables.conf or /etc/sysconfig/nftables.conf, which start with `flush ruleset`: when it restarts or
 * reloads, sitewire's unit follows (PartOf=, ReloadPropagatedFrom=). firewalld keeps to its own tables; it is
 * only ordered. Ordering after a unit that is not installed does nothing (systemd.unit(5), After=).
 */
const RULESET_LOADERS = ["nftables.service"];
const WHOLE_RULESET_LOADERS = [...RULESET_LOADERS, "firewalld.service"];

const render = templatesOf("nftables", { nft: nftString });

function hostArtifacts(site: SiteModel, host: HostModel): Artifact[] {
  const paths = HOST_PATHS[host.os];
  const file = (path: string, content: string, mode: number, kind: Artifact["kind"]): Artifact => ({ path: hostFile(host.name, path), content, mode, kind, host: host.name });
  const at = { rules: `/${paths.nftRules}`, unit: paths.nftUnit.slice(paths.nftUnit.lastIndexOf("/") + 1) };
  // Before the units that start forwarding through tunnels, as the iptables unit.
  const before = [paths.tunnelUnit.slice(paths.tunnelUnit.lastIndexOf("/") + 1), ...(host.tunnels.length > 0 ? paths.strongswanUnits : [])];
  const table = `${NFT_TABLE.family} ${NFT_TABLE.name}`;
  return [
    file(paths.nftRules, render("sitewire.nft", nftView(site, host, { rules: at.rules, unit: at.unit })), 0o644, "nft"),
    file(
      paths.nftUnit,
      render("nftables.service", { source: site.source.file, host: nodeName(host.name), table, ...at, program: NFT_PROGRAM, before, after: WHOLE_RULESET_LOADERS, ruleset: RULESET_LOADERS }),
      0o644,
      "systemd-unit",
    ),
  ];
}

export const nftablesTarget: Target = {
  name: "nftables",
  description: "sitewire's own nftables table per host (NAT, forward filter, MSS clamping) and the systemd unit that loads it",
  kinds: { nft: { text: "nftables rules (nft -f)", handler: "nftables", mode: 0o644 }, "systemd-unit": HOST_UNIT_KINDS["systemd-unit"] },
  emit(site: SiteModel): Artifact[] {
    return firewallHosts(site, "nftables").flatMap((host) => hostArtifacts(site, host));
  },
};
