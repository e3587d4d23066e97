/**
 * The view behind templates/nftables/sitewire.nft.hbs: a host's rules (src/targets/firewall/rules.ts, the same
 * rules, order and comments as the iptables backend) in nftables syntax, in sitewire's own table `inet
 * sitewire`: one table for both families, each address match saying its family (`ip saddr` / `ip6 saddr`).
 */
import type { Family, Prefix, PortRange, SiteModel, HostModel, ForwardRule, NatRule } from "../../model/types.js";
import { canonical, isIpv4, isIpv6 } from "../../net/ip.js";
import { firewallRules, type MssClamp, DROP_COMMENT } from "../firewall/rules.js";
import { device, integer } from "../linux/safe.js";

/** sitewire's table: `nft -f` replaces it as a whole; nothing outside it is ever named. */
export const NFT_TABLE = { family: "inet", name: "sitewire" } as const;

/**
 * sitewire's base chains, in the order the file declares them: where each hooks and at which priority (nft(8),
 * "CHAINS": the standard priority names; srcnat = 100, filter = 0, mangle = -150).
 */
export const NFT_CHAINS = [
  { name: "postrouting", type: "nat", hook: "postrouting", priority: "srcnat" },
  { name: "forward", type: "filter", hook: "forward", priority: "filter" },
  { name: "mss", type: "filter", hook: "forward", priority: "mangle" },
] as const;

export interface NftRuleView {
  /** Everything before the statement: matches, each value checked or typed. */
  readonly match: string;
  /** Free text for `comment` (quoted by the template's {{nft}}). */
  readonly origin: string;
}

export interface NftMssView extends NftRuleView {
  /** `N` or `rt mtu`. */
  readonly size: string;
}

export interface NftView {
  readonly source: string;
  readonly host: string;
  readonly description: string | null;
  readonly path: string;
  readonly unit: string;
  readonly table: string;
  readonly chains: typeof NFT_CHAINS;
  readonly nat: readonly NftRuleView[];
  readonly forward: readonly NftRuleView[];
  readonly replies: boolean;
  readonly dropOthers: boolean;
  readonly dropComment: string;
  readonly mss: readonly NftMssView[];
}

const FAMILY = { 4: { address: "ip", nfproto: "ipv4" }, 6: { address: "ip6", nfproto: "ipv6" } } as const;

/** "10.10.0.0/16" or "2001:db8::/32", checked piece by piece for its family (Prefix.family, never the text). */
function prefixText(prefix: Prefix): string {
  const family = prefix.family;
  const valid = family === 4 ? isIpv4(prefix.network) : isIpv6(prefix.network) && canonical(prefix.network) === prefix.network;
  const text = `${prefix.network}/${integer(prefix.length, 0, family === 4 ? 32 : 128)}`;
  if (!valid || text !== prefix.cidr) throw new Error(`internal: prefix ${JSON.stringify(prefix.cidr)} reached an nftables rule`);
  return text;
}

/**
 * The address part of a rule: `ip saddr 10.0.0.0/8 ip daddr 172.16.0.0/16`, each in its prefix's family. A /0 is
 * left out (it matches every address), but the rule still names its family (`meta nfproto ipv4`), so that in
 * the inet table it never matches the other family, as the iptables backend's rules only see IPv4.
 */
function addresses(source: Prefix | undefined, destination: Prefix | undefined): string[] {
  const given = [source, destination].filter((p): p is Prefix => p !== undefined);
  const families = new Set(given.map((p) => p.family));
  if (families.size !== 1) throw new Error(`internal: an nftables rule mixes or lacks address families (${given.map((p) => p.cidr).join(", ")})`);
  const [family] = [...families] as [Family];
  const words = [
    ...(source && source.length > 0 ? [FAMILY[family].address, "saddr", prefixText(source)] : []),
    ...(destination && destination.length > 0 ? [FAMILY[family].address, "daddr", prefixText(destination)] : []),
  ];
  return words.length > 0 ? words : ["meta", "nfproto", FAMILY[family].nfproto];
}

function iface(key: "iifname" | "oifname", name: string | undefined): string[] {
  return name === undefined ? [] : [key, `"${device(name)}"`];
}

const PROTOCOLS: readonly PortRange["protocol"][] = ["sctp", "tcp", "udp"];

function portText(p: PortRange): string {
  const from = integer(p.from, 1, 65535);
  const to = integer(p.to, from, 65535);
  return from === to ? String(from) : `${from}-${to}`;
}

/** One match per protocol: `tcp dport 8080`, `tcp dport { 80, 443, 8000-8999 }`; [""] for every protocol. */
export function nftPortMatches(ports: readonly PortRange[]): string[] {
  if (ports.length === 0) return [""];
  return PROTOCOLS.flatMap((protocol) => {
    const specs = [...new Set(ports.filter((p) => p.protocol === protocol).sort((a, b) => a.from - b.from || a.to - b.to).map(portText))];
    if (specs.length === 0) return [];
    return [`${protocol} dport ${specs.length === 1 ? specs[0]! : `{ ${specs.join(", ")} }`}`];
  });
}

/**
 * Masquerade in the inet table's nat chain, for either family by the rule's own address match: NAT in the inet
 * family since Linux 5.2 (nftables wiki, "List of updates since Linux kernel 3.13": "5.2 - Support for NAT in
 * inet family"; kernel commit 071657d2c38c "netfilter: nft_masq: add inet support"). IPv6 rules are NAT66
 * onto the out interface's IPv6 address; both load here (test/real/nftables-load.test.ts, test/live/nat66.test.ts).
 */
function natRules(nat: readonly NatRule[]): NftRuleView[] {
  return nat.map((n) => ({ match: [...addresses(n.source, n.destination), ...iface("oifname", n.outInterface)].join(" "), origin: n.origin }));
}

function forwardRules(forward: readonly ForwardRule[]): NftRuleView[] {
  return forward.flatMap((f) => {
    const head = [...addresses(f.source, f.destination), ...iface("iifname", f.inInterface), ...iface("oifname", f.outInterface)];
    return nftPortMatches(f.ports).map((ports) => ({ match: [...head, ports].filter(Boolean).join(" "), origin: f.origin }));
  });
}

/**
 * `tcp flags & (syn | rst) == syn`: SYN set and RST clear, what iptables' `--tcp-flags SYN,RST SYN` matches (a
 * plain `tcp flags syn` would also match SYN+RST). The kernel never raises an MSS with `maxseg size set`
 * (net/netfilter/nft_exthdr.c nft_exthdr_tcp_set_eval: "increase can cause connection to stall"), as TCPMSS
 * never does; `rt mtu` is the smaller of the forward and reverse route's MTU minus the headers (nft_rt.c
 * get_tcpmss), as --clamp-mss-to-pmtu. Unlike TCPMSS, nftables does not add an MSS option to a SYN that has none.
 */
function mssRules(clamps: readonly MssClamp[]): NftMssView[] {
  return clamps.map((c) => ({
    match: ["meta", "nfproto", FAMILY[c.family].nfproto, ...iface(c.direction === "out" ? "oifname" : "iifname", c.device), "tcp flags & (syn | rst) == syn"].join(" "),
    origin: c.origin,
    size: c.mss === undefined ? "rt mtu" : String(integer(c.mss, 1, 65535)),
  }));
}

export function nftView(site: SiteModel, host: HostModel, paths: { rules: string; unit: string }): NftView {
  const rules = firewallRules(site, host, "all");
  return {
    source: site.source.file,
    host: host.name,
    description: host.description ?? null,
    path: paths.rules,
    unit: paths.unit,
    table: `${NFT_TABLE.family} ${NFT_TABLE.name}`,
    chains: NFT_CHAINS,
    nat: natRules(rules.nat),
    forward: forwardRules(rules.forward),
    replies: rules.replies,
    dropOthers: rules.dropOthers,
    dropComment: DROP_COMMENT,
    mss: mssRules(rules.mss),
  };
}
