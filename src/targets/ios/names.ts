/**
 * Every name and number a cisco-ios device gets, derived from the intent alone: object names from the tunnel
 * name, numbers from the tunnel's `number` (its key) and `monitor` ids. Nothing depends on the position of a
 * tunnel in the file or on the other tunnels, so adding or reordering tunnels never renames an object.
 */
import type { TunnelModel } from "../../model/types.js";

/** Prefix of every object sitewire owns on a device, so an engineer can tell them from hand-made ones. */
export const OWNER = "sitewire";

/** Keyrings, isakmp/ikev2 profiles and the ipsec profile of a tunnel (IOS keeps one namespace per kind). */
export function tunnelObjectName(tunnel: string): string {
  return `${OWNER}-${tunnel}`;
}

/** The i-th (0-based) IKEv2 proposal or transform set of a tunnel: the first keeps the plain name. */
export function indexedName(tunnel: string, index: number): string {
  return index === 0 ? tunnelObjectName(tunnel) : `${tunnelObjectName(tunnel)}-${index + 1}`;
}

/** The device's IKEv2 policy: one per device, listing the proposals of all its IKEv2 tunnels. */
export const IKEV2_POLICY = OWNER;

/** Extra IKEv2 policy for a second local address of the device (overrides.<peer>.address): sitewire-<a-b-c-d>. */
export function ikev2PolicyName(address: string): string {
  return `${OWNER}-${address.replace(/[.:]/g, "-")}`;
}

/**
 * Prefix list and route map of a tunnel's BGP session, per direction (IOS keeps the two in separate namespaces);
 * "in6"/"out6": the IPv6 session of a dual-stack tunnel (its `ipv6 prefix-list`s and route maps).
 */
export function bgpPolicyName(tunnel: string, direction: "in" | "out" | "in6" | "out6"): string {
  return `${OWNER}-${tunnel}-${direction}`;
}

/** Route map that selects the tunnels' tagged static routes for redistribution. */
export const ROUTE_MAP = `${OWNER}-static`;

/** isakmp policy priority of the i-th IKEv1 proposal of a tunnel: its number, then the numbers after it. */
export function isakmpPriority(tunnel: TunnelModel, index: number): number {
  return tunnel.number + index;
}
