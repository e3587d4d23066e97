/**
 * The view behind templates/iptables/iptables.rules.hbs: a host's nat, filter and mangle rules of one family,
 * each in one of sitewire's own chains and written the way iptables-save / ip6tables-save print it (options in
 * the order -s -d -i -o -p, then matches, then the target), so that the loaded ruleset saves back to the same
 * lines. The IPv4 rules go to the iptables file, the IPv6 rules to the ip6tables file: the same chains, names
 * and comments in ip6tables' own tables (checked with ip6tables-nft-restore and ip6tables-legacy-restore by
 * test/real/iptables-load.test.ts).
 */
import type { Family, ForwardRule, HostModel, NatRule, Prefix, SiteModel } from "../../model/types.js";
import { DROP_COMMENT, firewallRules, type MssClamp } from "../firewall/rules.js";
import { canonical } from "../../net/ip.js";
import { device, integer, ipv4, ipv6 } from "../linux/safe.js";
import { portMatches } from "./ports.js";

export interface RuleView {
  /** Everything between the chain and `-m comment`. */
  readonly match: string;
  /** Free text for `--comment` (quoted by the template's {{ipt}}). */
  readonly origin: string;
}

export interface MssRuleView extends RuleView {
  /** TCPMSS options: `--set-mss N` or `--clamp-mss-to-pmtu`. */
  readonly clamp: string;
}

/** One of sitewire's chains: its table, its name, and the built-in chain that jumps to it. */
export interface OwnedChain {
  readonly table: "filter" | "nat" | "mangle";
  readonly chain: string;
  readonly hook: string;
}

/**
 * sitewire's chains, the same on every host: every rules file declares all of them, even empty, so that each
 * load empties what the intent no longer has. `iptables-restore --noflush` creates a declared user chain or
 * flushes it, in the same commit as the rules that follow (QueuingKoala/netfilter-samples
 * netfilter-ruleset-bnf/README.md: "with -n, chain definitions implicitly flush that chain"; iptables
 * iptables/iptables-restore.c, "Flushing existing user defined chain"; checked for both backends by
 * test/real/firewall-ownership.test.ts). Built-in chains are never declared: a `:FORWARD ACCEPT` line would set
 * their policy even with --noflush.
 */
export const OWNED_CHAINS: readonly OwnedChain[] = [
  { table: "nat", chain: "SITEWIRE-POSTROUTING", hook: "POSTROUTING" },
  { table: "filter", chain: "SITEWIRE-FORWARD", hook: "FORWARD" },
  { table: "mangle", chain: "SITEWIRE-MSS", hook: "FORWARD" },
];

/** The comment of every jump rule: how the loader recognises its own jumps (and a reader, in iptables-save). */
export const JUMP_COMMENT = "sitewire";

/** What each family's file is for: the program that loads it and how the header names it. */
export const FAMILY_TOOLS = {
  4: { restore: "iptables-restore", name: "IPv4" },
  6: { restore: "ip6tables-restore", name: "IPv6" },
} as const;

export interface RulesView {
  readonly family: Family;
  /** iptables-restore or ip6tables-restore. */
  readonly restore: string;
  /** "IPv4" or "IPv6". */
  readonly familyName: string;
  readonly source: string;
  readonly host: string;
  readonly description: string | null;
  readonly path: string;
  readonly script: string;
  readonly unit: string;
  readonly chains: readonly OwnedChain[];
  /** The chain of each table, by table. */
  readonly own: Readonly<Record<OwnedChain["table"], string>>;
  readonly nat: readonly RuleView[];
  readonly forward: readonly RuleView[];
  /** Accept replies first: there are rules to accept, or a final DROP to get past. */
  readonly replies: boolean;
  /** hosts.<h>.firewall.forwardDefault: drop — SITEWIRE-FORWARD ends with a DROP. */
  readonly dropOthers: boolean;
  /** The DROP's comment (the same in the nftables backend). */
  readonly dropComment: string;
  readonly mss: readonly MssRuleView[];
}

/**
 * "10.10.0.0/16" in the IPv4 file, "2001:db8::/32" in the IPv6 file (canonical RFC 5952 text, as ip6tables-save
 * prints it), checked piece by piece; a prefix of the other family never reaches a file.
 */
function prefixText(prefix: Prefix, family: Family): string {
  if (prefix.family !== family) throw new Error(`internal: IPv${prefix.family} prefix ${JSON.stringify(prefix.cidr)} reached an IPv${family} rules file`);
  const text = family === 4 ? `${ipv4(prefix.network)}/${integer(prefix.length, 0, 32)}` : `${ipv6(prefix.network)}/${integer(prefix.length, 0, 128)}`;
  if (text !== prefix.cidr || (family === 6 && canonical(prefix.network) !== prefix.network)) throw new Error(`internal: prefix ${JSON.stringify(prefix.cidr)} reached an iptables rule`);
  return text;
}

/** `-s 10.0.0.0/8`; nothing for 0.0.0.0/0 or ::/0, which iptables-save and ip6tables-save leave out. */
function address(flag: "-s" | "-d", prefix: Prefix | undefined, family: Family): string[] {
  return prefix && prefix.length > 0 ? [flag, prefixText(prefix, family)] : [];
}

function iface(flag: "-i" | "-o", name: string | undefined): string[] {
  return name === undefined ? [] : [flag, device(name)];
}

/**
 * MASQUERADE: in the IPv6 file this is NAT66 onto the out interface's IPv6 address (ip6tables' MASQUERADE, nat
 * table POSTROUTING only: kernel commit b3f644fc8232 "netfilter: ip6tables: add MASQUERADE target", Linux 3.7,
 * net/ipv6/netfilter/ip6t_MASQUERADE.c).
 */
function natRules(nat: readonly NatRule[], family: Family): RuleView[] {
  return nat.map((n) => ({
    match: [...address("-s", n.source, family), ...address("-d", n.destination, family), ...iface("-o", n.outInterface)].join(" "),
    origin: n.origin,
  }));
}

function forwardRules(forward: readonly ForwardRule[], family: Family): RuleView[] {
  return forward.flatMap((f) => {
    const head = [...address("-s", f.source, family), ...address("-d", f.destination, family), ...iface("-i", f.inInterface), ...iface("-o", f.outInterface)];
    return portMatches(f.ports).map((ports) => ({ match: [...head, ports].filter(Boolean).join(" "), origin: f.origin }));
  });
}

/**
 * TCPMSS in both directions (src/targets/firewall/rules.ts): `-o` clamps the SYNs that leave into the tunnel,
 * `-i` the SYN-ACKs that come out of it. Each file gets its family's clamps: the IPv6 file the model's mss6 (MSS
 * − 20 for the larger IPv6 header), or --clamp-mss-to-pmtu, which for IPv6 subtracts the IPv6 and TCP headers
 * (net/netfilter/xt_TCPMSS.c tcpmss_tg6: sizeof(*ipv6h) + sizeof(struct tcphdr)).
 */
function mssRules(clamps: readonly MssClamp[], family: Family): MssRuleView[] {
  return clamps.map((c) => {
    if (c.family !== family) throw new Error(`internal: an IPv${c.family} MSS clamp reached an IPv${family} rules file`);
    return c;
  }).map((c) => ({
    match: `${iface(c.direction === "out" ? "-o" : "-i", c.device).join(" ")} -p tcp -m tcp --tcp-flags SYN,RST SYN`,
    origin: c.origin,
    clamp: c.mss === undefined ? "--clamp-mss-to-pmtu" : `--set-mss ${integer(c.mss, 1, 65535)}`,
  }));
}

/** The view of one family's file: `family` 4 for the iptables file, 6 for the ip6tables file. */
export function rulesView(site: SiteModel, host: HostModel, family: Family, paths: { rules: string; script: string; unit: string }): RulesView {
  const rules = firewallRules(site, host, [family]);
  const forward = forwardRules(rules.forward, family);
  return {
    family,
    restore: FAMILY_TOOLS[family].restore,
    familyName: FAMILY_TOOLS[family].name,
    source: site.source.file,
    host: host.name,
    description: host.description ?? null,
    path: paths.rules,
    script: paths.script,
    unit: paths.unit,
    chains: OWNED_CHAINS,
    own: Object.fromEntries(OWNED_CHAINS.map((c) => [c.table, c.chain])) as Record<OwnedChain["table"], string>,
    nat: natRules(rules.nat, family),
    forward,
    replies: rules.replies,
    dropOthers: rules.dropOthers,
    dropComment: DROP_COMMENT,
    mss: mssRules(rules.mss, family),
  };
}
