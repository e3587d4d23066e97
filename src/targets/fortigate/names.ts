/**
 * Every name and number a FortiGate gets from sitewire, derived from the tunnel's `number` (its key unless the
 * intent says otherwise) or from the content it names (an address object per network). Nothing depends on the
 * position of a tunnel in the file or on the other tunnels, so adding a tunnel never renames another's objects.
 *
 * FortiOS tables numbered by `edit <n>` (firewall policy, router static, router bgp network) are not named, and
 * `edit 0` takes the next free number, which is not deterministic. sitewire owns the ids from OWNED_ID_BASE up:
 *   firewall policy   1000000000 + number × 10 + k   (k = 0 from the tunnel, 1 into the tunnel; IPv6: 2 and 3)
 *   router static     1000000000 + number × 1000 + i (i = the route's place in the tunnel's sorted networks;
 *   router static6                                     the IPv6 table numbers its own routes alike)
 *   router bgp network 1000000000 + i                (i = the place in the device's sorted announced networks;
 *   router bgp network6                                the IPv6 table numbers its own networks alike)
 * With number ≤ 999999 (platform.ts) the policy ids stay below 1071741824, the highest policy id FortiManager
 * imports (FortiManager Administration Guide, "Appendix B - Policy ID support":
 * https://docs.fortinet.com/document/fortimanager/7.4.0/administration-guide/680706); FortiOS allows 0..4294967294.
 */
import type { Prefix } from "../../model/types.js";

/** Prefix of every object sitewire owns on a device. */
export const OWNER = "sitewire";

/** The first id of the numbered tables sitewire owns. */
export const OWNED_ID_BASE = 1_000_000_000;

/** Most routed networks per tunnel (the route id block of one tunnel). */
export const ROUTES_PER_TUNNEL = 1000;

/** Phase 1, phase 2, tunnel interface and link-monitor of a tunnel: `sitewire-<number>` (15 characters at most). */
export function tunnelName(number: number): string {
  return `${OWNER}-${number}`;
}

/** Prefix list and route map of a tunnel's BGP session, per direction. */
export function bgpPolicyName(number: number, direction: "in" | "out"): string {
  return `${OWNER}-${number}-${direction}`;
}

/** `config router prefix-list6` of a tunnel's IPv6 session, per direction (issue 16). */
export function bgpPrefixList6Name(number: number, direction: "in" | "out"): string {
  return `${OWNER}-${number}-${direction}6`;
}

/** The phase 2 of a tunnel's IPv6 selectors (one phase 2 per family under the tunnel's phase 1). */
export function phase2Name6(number: number): string {
  return `${OWNER}-${number}-6`;
}

/** `config firewall address` object of one network: `sitewire-10.70.0.0/24` (shared by every tunnel that uses it). */
export function addressName(prefix: Prefix): string {
  return `${OWNER}-${prefix.cidr}`;
}

/** Firewall policy of a tunnel: traffic arriving from the tunnel (0) or leaving into it (1); IPv6 flows 2 and 3. */
export function policyId(number: number, direction: "from-tunnel" | "to-tunnel", family: 4 | 6 = 4): number {
  return OWNED_ID_BASE + number * 10 + (direction === "from-tunnel" ? 0 : 1) + (family === 6 ? 2 : 0);
}

export function policyName(number: number, direction: "from-tunnel" | "to-tunnel", family: 4 | 6 = 4): string {
  return `${OWNER}-${number}-${direction === "from-tunnel" ? "in" : "out"}${family === 6 ? "6" : ""}`;
}

/** Static route of the tunnel's i-th routed network. */
export function routeId(number: number, index: number): number {
  if (index >= ROUTES_PER_TUNNEL) throw new Error(`internal: tunnel ${number} routes more than ${ROUTES_PER_TUNNEL} networks`);
  return OWNED_ID_BASE + number * ROUTES_PER_TUNNEL + index;
}

/** `config router bgp / config network` entry of the device's i-th announced network. */
export function networkId(index: number): number {
  return OWNED_ID_BASE + index;
}
