/**
 * Every name a juniper-srx device gets, derived from the intent alone: object names from the tunnel name, the st0
 * unit from the tunnel's `number`. Nothing depends on the position of a tunnel in the file or on the other tunnels,
 * so adding or reordering tunnels never renames an object.
 *
 * Junos keeps one namespace per object kind (ike proposal, ike policy, ike gateway, ipsec proposal, ipsec policy,
 * ipsec vpn, bgp group, prefix-list, policy-statement, security policy), so one tunnel uses one base name for all of
 * them. IKE proposal and policy names are "up to 32 alphanumeric characters" (Junos CLI Reference, proposal (Security
 * IKE) and policy (Security IKE)); every name here is kept within 32 characters, suffix included.
 */
import { createHash } from "node:crypto";

/** Prefix of every object sitewire owns on a device, so an engineer can tell them from hand-made ones. */
export const OWNER = "sitewire";

/** Longest object name sitewire writes (Junos: 32 characters for IKE proposals and policies). */
export const NAME_MAX = 32;

/** Room kept after the base name for the longest suffix ("-out", "-in", "-4"). */
const SUFFIX_ROOM = 4;

/** The security zone holding the st0 units of sitewire's tunnels. */
export const ZONE = `${OWNER}-vpn`;

/**
 * `sitewire-<tunnel>`, or, when that leaves no room for a suffix within 32 characters, the tunnel name's start and
 * six hex digits of its SHA-256 (stable: computed from the tunnel name only).
 */
export function tunnelObjectName(tunnel: string): string {
  const full = `${OWNER}-${tunnel}`;
  if (full.length <= NAME_MAX - SUFFIX_ROOM) return full;
  const hash = createHash("sha256").update(tunnel).digest("hex").slice(0, 6);
  const keep = NAME_MAX - SUFFIX_ROOM - OWNER.length - 2 - hash.length;
  return `${OWNER}-${tunnel.slice(0, keep).replace(/-+$/, "")}-${hash}`;
}

/** The i-th (0-based) IKE or IPsec proposal of a tunnel: the first keeps the plain name (as on IOS). */
export function proposalName(tunnel: string, index: number): string {
  return index === 0 ? tunnelObjectName(tunnel) : `${tunnelObjectName(tunnel)}-${index + 1}`;
}

/** Prefix list, policy statement and security policy of a tunnel, per direction. */
export function directedName(tunnel: string, direction: "in" | "out" | "i6" | "o6"): string {
  return `${tunnelObjectName(tunnel)}-${direction}`;
}

/** Global address-book entry of a network: named after the network itself, so tunnels sharing it share one entry. */
export function addressName(cidr: string): string {
  // IPv6 networks: colons become underscores, so the name stays of letters, digits, `.`, `/`, `-` and `_`.
  return `${OWNER}-${cidr.replace(/:/g, "_")}`;
}

/** The tunnel interface of a tunnel number. */
export function st0(number: number): string {
  return `st0.${number}`;
}
