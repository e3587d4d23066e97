/**
 * What sitewire's firewall does on a host, whatever loads it: source NAT, the forward accepts (replies of known
 * connections first), the optional final drop and the MSS clamps, each with the comment the rule carries. The
 * iptables target (src/targets/iptables) and the nftables target (src/targets/nftables) both render these, so the
 * two backends hold the same rules in the same order with the same comments; only the syntax differs. Every rule
 * has one family (Prefix.family of its addresses, or the clamp's): nftables puts both families in its `inet`
 * table, the iptables backend renders IPv4 into its iptables file and IPv6 into its ip6tables file.
 */
import type { Family, FirewallBackend, ForwardRule, HostModel, NatRule, SiteModel } from "../../model/types.js";

/** The comment of the final drop (hosts.<h>.firewall.forwardDefault: drop), the same in both backends. */
export const DROP_COMMENT = "forwardDefault: drop";

/** One MSS clamp: a device, the direction, the families whose SYNs are clamped and how. */
export interface MssClamp {
  readonly device: string;
  /** "out": SYNs leaving by the device; "in": SYN-ACKs coming out of it. */
  readonly direction: "out" | "in";
  readonly family: Family;
  /** The MSS to set for this family; absent: clamp to the path MTU. */
  readonly mss?: number;
  readonly origin: string;
}

export interface FirewallRules {
  readonly nat: readonly NatRule[];
  readonly forward: readonly ForwardRule[];
  /** Accept replies first: there are rules to accept, or a final DROP to get past. */
  readonly replies: boolean;
  /** hosts.<h>.firewall.forwardDefault: drop — sitewire's forward chain ends with a drop. */
  readonly dropOthers: boolean;
  readonly mss: readonly MssClamp[];
}

/**
 * The family of a NAT or forward rule: its source's (Prefix.family). The model gives each entry one family (a NAT
 * entry with an IPv6 source is NAT66); an entry whose destination is of the other family is an internal error.
 */
export function ruleFamily(rule: NatRule | ForwardRule): Family {
  const family = rule.source.family;
  if (rule.destination !== undefined && rule.destination.family !== family)
    throw new Error(`internal: a firewall rule mixes address families (${rule.source.cidr}, ${rule.destination.cidr}; ${rule.origin})`);
  return family;
}

/**
 * Does the host have firewall rules of `family`: NAT, forward accepts or MSS clamps of it, or
 * forwardDefault: drop (which drops the family's forwarded traffic too: nftables' inet table does for both
 * families, so the iptables backend needs an ip6tables drop to behave alike).
 */
export function hasRulesOf(host: HostModel, family: Family): boolean {
  return (
    host.nat.some((n) => ruleFamily(n) === family) ||
    host.forward.some((f) => ruleFamily(f) === family) ||
    host.mssClamp.some((c) => c.families.includes(family)) ||
    host.forwardDefault === "drop"
  );
}

/** Does the host get sitewire's firewall (rules file, loader, unit) at all? */
export function needsRules(host: HostModel): boolean {
  return host.nat.length + host.forward.length + host.mssClamp.length > 0 || host.forwardDefault === "drop";
}

/** The hosts whose firewall this backend loads. */
export function firewallHosts(site: SiteModel, backend: FirewallBackend): HostModel[] {
  return site.hosts.filter((h) => h.firewallBackend === backend && needsRules(h));
}

/** Why a device is clamped, for the rule comment: the tunnel whose vti it is, or the flows leaving by it. */
function clampOrigin(site: SiteModel, host: HostModel, dev: string): string {
  const vti = host.vtis.find((v) => v.device === dev);
  if (vti) return `tunnel ${vti.tunnel}`;
  const flows = site.flows.filter((f) => f.via === host.name && f.out === dev).map((f) => `flow ${f.name}`);
  return flows.length > 0 ? flows.join(", ") : `mss ${dev}`;
}

/**
 * Both directions: "out" clamps the SYNs that leave into the tunnel, "in" the SYN-ACKs that come out of it, so
 * hosts on both sides send segments that fit. Clamping to the path MTU takes the smaller of the forward and the
 * reverse route's MTU in both backends (iptables net/netfilter/xt_TCPMSS.c tcpmss_reverse_mtu; nftables
 * net/netfilter/nft_rt.c get_tcpmss), so "in" works there too. IPv6 SYNs get the IPv6 MSS (the model's mss6).
 */
function mssClamps(site: SiteModel, host: HostModel, families: readonly Family[] | "all"): MssClamp[] {
  return host.mssClamp.flatMap((c) => {
    const origin = clampOrigin(site, host, c.device);
    const carried = c.families.filter((f) => families === "all" || families.includes(f));
    return (["out", "in"] as const).flatMap((direction) =>
      carried.map((family) => {
        const mss = family === 6 ? c.mss6 : c.mss;
        return { device: c.device, direction, family, ...(mss === undefined ? {} : { mss }), origin };
      }),
    );
  });
}

/**
 * The host's rules for one backend, in the model's order. `families`: the families the backend's file carries
 * ("all" for nftables' inet table; the iptables target asks once per file: [4] for iptables, [6] for ip6tables).
 */
export function firewallRules(site: SiteModel, host: HostModel, families: readonly Family[] | "all"): FirewallRules {
  const carried = (rule: NatRule | ForwardRule) => families === "all" || families.includes(ruleFamily(rule));
  const forward = host.forward.filter(carried);
  return {
    nat: host.nat.filter(carried),
    forward,
    replies: forward.length > 0,
    dropOthers: host.forwardDefault === "drop",
    mss: mssClamps(site, host, families),
  };
}
