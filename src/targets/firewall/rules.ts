/**
 * What sitewire's firewall does on a host, whatever loads it: source NAT, the forward accepts (replies of known
 * connections first), the optional final drop and the MSS clamps, each with the comment the rule carries. The
 * iptables target (src/targets/iptables) and the nftables target (src/targets/nftables) both render these, so the
 * two backends hold the same rules in the same order with the same comments; only the syntax differs.
 */
import type { Family, FirewallBackend, ForwardRule, HostModel, NatRule, Prefix, SiteModel } from "../../model/types.js";

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
 * The family of a prefix: the one place a backend asks it, so that the day Prefix carries it for certain this is
 * the only line to change.
 */
export function familyOf(prefix: Prefix): Family {
  return prefix.cidr.includes(":") ? 6 : 4;
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
 * The host's rules for one backend. `families`: the families the backend's file carries ("all" for nftables'
 * inet table; the iptables target passes what it renders).
 */
export function firewallRules(site: SiteModel, host: HostModel, families: readonly Family[] | "all"): FirewallRules {
  const forward = host.forward;
  return {
    nat: host.nat,
    forward,
    replies: forward.length > 0,
    dropOthers: host.forwardDefault === "drop",
    mss: mssClamps(site, host, families),
  };
}
