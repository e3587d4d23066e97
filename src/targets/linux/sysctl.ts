/**
 * Kernel settings of a host, split by when they can be applied:
 * - host-wide ones and those of the physical interface go into the sysctl.d drop-in (systemd-sysctl at boot)
 *   and are applied live by the tunnel script, which records the value each replaces (its state file) and
 *   puts that back when the setting leaves the intent: a file alone would leave a removed setting forced;
 * - those of the tunnel devices are set by the tunnel script only, right after it creates each device. At
 *   boot the devices do not exist yet when systemd-sysctl runs (procps' `sysctl -p` even fails on a missing
 *   key).
 */
import type { HostModel, SiteModel } from "../../model/types.js";
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
export function deviceKey(name: string, leaf: string): string {
  return `net.ipv4.conf.${device(name).replace(/\./g, "/")}.${leaf}`;
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
export function tunnelDeviceSettings(kind: "vti" | "xfrm" | "ipip", name: string): SysctlSetting[] {
  const loose = { key: deviceKey(name, "rp_filter"), value: 2 };
  return kind === "vti" ? [{ key: deviceKey(name, "disable_policy"), value: 1 }, loose] : [loose];
}
