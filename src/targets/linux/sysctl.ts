/**
 * Kernel settings of a host, split by when they can be applied:
 * - host-wide ones and those of the physical interface go into the sysctl.d drop-in (systemd-sysctl at boot)
 *   and are applied live by the tunnel script, which records the value each replaces (its state file) and
 *   puts that back when the setting leaves the intent: a file alone would leave a removed setting forced;
 * - those of the tunnel devices are set by the tunnel script only, right after it creates each device. At
 *   boot the devices do not exist yet when systemd-sysctl runs (procps' `sysctl -p` even fails on a missing
 *   key).
 */
import type { Family, HostModel, SiteModel } from "../../model/types.js";
import { device } from "./safe.js";

export interface SysctlSetting {
  readonly key: string;
  readonly value: number;
}

/** Settings that share one reason, written under one comment. */
export interface SysctlGroup {
  readonly why: string;
  readonly settings: readonly SysctlSetting[];
}

/**
 * `net.ipv4.conf.<device>.<leaf>`. A '.' inside a device name (eth0.100) is written '/', which systemd-sysctl
 * and procps sysctl both read as a literal dot when the key's separators are dots (sysctl.d(5)).
 */
export function deviceKey(name: string, leaf: string, family: Family = 4): string {
  return `net.ipv${family}.conf.${device(name).replace(/\./g, "/")}.${leaf}`;
}

/**
 * Does the host route IPv6 for others: a tunnel ending here carries IPv6 and has networks behind both ends, or a
 * flow through it has IPv6 sources (its forward rules and NAT66 entries are IPv6).
 */
export function forwardsIpv6(site: SiteModel, host: HostModel): boolean {
  if (!host.forwards) return false;
  const tunnels = site.tunnels.filter((t) => t.host.node === host.name && t.families.includes(6) && t.toHost.length > 0 && t.toPeer.length > 0);
  return tunnels.length > 0 || host.forward.some((f) => f.source.family === 6) || host.nat.some((n) => n.source.family === 6);
}

/** Does the host have a static IPv6 default route (a ::/0 in its routes)? Then it needs no router advertisements. */
function hasStaticDefault6(host: HostModel): boolean {
  return host.routes.some((r) => r.to.family === 6 && r.to.length === 0);
}

/** What goes into the host's drop-in; empty when the host needs nothing. */
export function dropInGroups(site: SiteModel, host: HostModel): SysctlGroup[] {
  const groups: SysctlGroup[] = [];
  if (host.forwards) {
    groups.push({ why: `${host.name} forwards packets for ${forwardingReasons(site, host)}`, settings: [{ key: "net.ipv4.ip_forward", value: 1 }] });
    groups.push({
      why: "a router neither follows nor sends ICMP redirects (seed 004's sysctl.conf)",
      settings: ["all", "default"].flatMap((scope) => ["accept_redirects", "send_redirects"].map((leaf) => ({ key: `net.ipv4.conf.${scope}.${leaf}`, value: 0 }))),
    });
  }
  if (forwardsIpv6(site, host)) {
    groups.push({ why: `${host.name} forwards IPv6 packets too (net.ipv6.conf.all.forwarding sets every interface's forwarding; ip-sysctl.rst)`, settings: [{ key: "net.ipv6.conf.all.forwarding", value: 1 }] });
    // ip-sysctl.rst (https://docs.kernel.org/networking/ip-sysctl.html), conf/interface/accept_ra: "1 - Accept
    // Router Advertisements if forwarding is disabled. 2 - Overrule forwarding behaviour. Accept Router
    // Advertisements even if forwarding is enabled." A router that learnt its default route from RAs would lose it.
    // (ICMPv6 redirects need nothing: accept_redirects' functional default is off once forwarding is on.)
    if (!hasStaticDefault6(host) && host.addresses.some((a) => a.family === 6))
      groups.push({
        why: `forwarding=1 makes the kernel ignore router advertisements: ${host.interface} keeps taking its IPv6 default route from them (no static IPv6 default in the intent)`,
        settings: [{ key: deviceKey(host.interface, "accept_ra", 6), value: 2 }],
      });
  }
  if (onlyRouteBasedIpsec(site, host))
    groups.push({
      why: host.vtis.some((v) => v.kind === "xfrm")
        ? `only the route-based devices carry IPsec, so ${host.interface} skips IPsec transforms and policy checks (AWS strongSwan sample; the vti devices need it, the XFRM interfaces check their own policies)`
        : `only the vti devices carry IPsec, so ${host.interface} skips IPsec transforms and policy checks (AWS strongSwan sample)`,
      settings: [
        { key: deviceKey(host.interface, "disable_xfrm"), value: 1 },
        { key: deviceKey(host.interface, "disable_policy"), value: 1 },
      ],
    });
  return groups;
}

/** "tunnel vpn1, flow partner-api": what makes the host a router. */
function forwardingReasons(site: SiteModel, host: HostModel): string {
  const tunnels = site.tunnels.filter((t) => t.host.node === host.name && t.toHost.length > 0 && t.toPeer.length > 0).map((t) => `tunnel ${t.name}`);
  const flows = site.flows.filter((f) => f.via === host.name).map((f) => `flow ${f.name}`);
  return [...tunnels, ...flows].join(", ") || "the site";
}

/**
 * disable_xfrm/disable_policy on the physical interface would break a policy-based tunnel (its packets leave
 * by that interface and must be encrypted there), so they are set only when every tunnel of the host is
 * route-based. And only for vti devices: an XFRM interface's SAs and policies carry its if_id, so the kernel
 * checks decrypted packets against the interface's own policies and nothing needs switching off
 * (https://docs.strongswan.org/docs/5.9/features/routeBasedVpn.html, "XFRM Interfaces on Linux").
 */
function onlyRouteBasedIpsec(site: SiteModel, host: HostModel): boolean {
  const kinds = site.tunnels.filter((t) => host.tunnels.includes(t.name)).map((t) => t.kind);
  return host.vtis.some((v) => v.kind === "vti") && kinds.every((k) => k === "ipsec-vti");
}

/**
 * Settings the tunnel script applies to a device it has just created: loose reverse-path filtering (replies
 * may come back through another tunnel or the failover partner) and, on a vti, no second policy check of the
 * packets it has decrypted (AWS sample's ifup-awsvpn sets disable_policy on the vti). An XFRM interface needs
 * no disable_policy: the inbound policy check matches the SA's if_id to the interface (see onlyRouteBasedIpsec).
 */
export function tunnelDeviceSettings(kind: "vti" | "xfrm" | "ipip", name: string, families: readonly Family[] = [4]): SysctlSetting[] {
  const loose = { key: deviceKey(name, "rp_filter"), value: 2 };
  // IPv6 has the same per-device switch (kernel commit df789fe75206 "ipv6: Provide ipv6 version of
  // "disable_policy" sysctl"; for forwarded packets since ccd27f05ae7b "ipv6: fix 'disable_policy' for fwd
  // packets", Linux 5.14): a vti device that carries IPv6 needs it like the IPv4 one. IPv6 has no rp_filter
  // (reverse-path filtering is netfilter's rpfilter match there) and no disable_xfrm.
  const policy6 = kind === "vti" && families.includes(6) ? [{ key: deviceKey(name, "disable_policy", 6), value: 1 }] : [];
  return kind === "vti" ? [{ key: deviceKey(name, "disable_policy"), value: 1 }, loose, ...policy6] : [loose];
}
