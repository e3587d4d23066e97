/**
 * The view behind templates/iptables/iptables.rules.hbs: a host's nat, filter and mangle rules, each in one of
 * sitewire's own chains and written the way iptables-save prints it (options in the order -s -d -i -o -p, then
 * matches, then the target), so that the loaded ruleset saves back to the same lines.
 */
import type { ForwardRule, HostModel, NatRule, Prefix, SiteModel } from "../../model/types.js";
import { DROP_COMMENT, firewallRules, type MssClamp } from "../firewall/rules.js";
import { cidr, device, integer } from "../linux/safe.js";
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

export interface RulesView {
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

/** `-s 10.0.0.0/8`; nothing for 0.0.0.0/0, which iptables-save leaves out. */
function address(flag: "-s" | "-d", prefix: Prefix | undefined): string[] {
  return prefix && prefix.length > 0 ? [flag, cidr(prefix)] : [];
}

function iface(flag: "-i" | "-o", name: string | undefined): string[] {
  return name === undefined ? [] : [flag, device(name)];
}

function natRules(nat: readonly NatRule[]): RuleView[] {
  return nat.map((n) => ({
    match: [...address("-s", n.source), ...address("-d", n.destination), ...iface("-o", n.outInterface)].join(" "),
    origin: n.origin,
  }));
}

function forwardRules(forward: readonly ForwardRule[]): RuleView[] {
  return forward.flatMap((f) => {
    const head = [...address("-s", f.source), ...address("-d", f.destination), ...iface("-i", f.inInterface), ...iface("-o", f.outInterface)];
    return portMatches(f.ports).map((ports) => ({ match: [...head, ports].filter(Boolean).join(" "), origin: f.origin }));
  });
}

/**
 * TCPMSS in both directions (src/targets/firewall/rules.ts): `-o` clamps the SYNs that leave into the tunnel,
 * `-i` the SYN-ACKs that come out of it. IPv4 only: these are iptables (not ip6tables) rules.
 */
function mssRules(clamps: readonly MssClamp[]): MssRuleView[] {
  return clamps.map((c) => ({
    match: `${iface(c.direction === "out" ? "-o" : "-i", c.device).join(" ")} -p tcp -m tcp --tcp-flags SYN,RST SYN`,
    origin: c.origin,
    clamp: c.mss === undefined ? "--clamp-mss-to-pmtu" : `--set-mss ${integer(c.mss, 1, 65535)}`,
  }));
}

export function rulesView(site: SiteModel, host: HostModel, paths: { rules: string; script: string; unit: string }): RulesView {
  const rules = firewallRules(site, host, [4]);
  const forward = forwardRules(rules.forward);
  return {
    source: site.source.file,
    host: host.name,
    description: host.description ?? null,
    path: paths.rules,
    script: paths.script,
    unit: paths.unit,
    chains: OWNED_CHAINS,
    own: Object.fromEntries(OWNED_CHAINS.map((c) => [c.table, c.chain])) as Record<OwnedChain["table"], string>,
    nat: natRules(rules.nat),
    forward,
    replies: rules.replies,
    dropOthers: rules.dropOthers,
    dropComment: DROP_COMMENT,
    mss: mssRules(rules.mss),
  };
}
