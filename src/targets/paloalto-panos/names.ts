/**
 * Every name a PAN-OS firewall gets from sitewire, derived from the tunnel's own name and number only: adding,
 * removing or reordering tunnels never renames another tunnel's objects. Every name starts with "sitewire" so an
 * engineer can tell sitewire's objects from hand-made ones.
 *
 * Lengths: most PAN-OS object names (crypto profiles, gateways, monitor profiles, BGP peer groups and peers,
 * static routes, BGP policy rules) are kept to 31 characters, the limit Batfish's PAN-OS grammar records for BGP
 * peer groups and peers (batfish/batfish …/palo_alto/PaloAlto_bgp.g4) and the shortest limit among them;
 * security rules may have 63 (aerleon/aerleon aerleon/lib/paloaltofw.py, _TERM_MAX_LENGTH). A tunnel name too
 * long for that is shortened and joined to the tunnel's number with `_`, a character tunnel names cannot hold, so
 * a shortened name never equals another tunnel's full one (numbers are unique on a device: SW208).
 *
 * Suffixes are one word after a `-` and contain no `-` themselves, so `<name>-<suffix>` splits at its last `-`
 * and two (name, suffix) pairs never give one name.
 */
import type { TunnelModel } from "../../model/types.js";
import { panosName } from "./quote.js";

export const OWNER = "sitewire";
/** Limit for the names below, except security rules. */
export const NAME_MAX = 31;
export const RULE_NAME_MAX = 63;

/** The virtual router sitewire configures: the intent does not name one, and every firewall has "default". */
export const VIRTUAL_ROUTER = "default";
/** The security zone of every sitewire tunnel interface. */
export const ZONE = `${OWNER}-vpn`;
/** Interface management profile on the tunnel interfaces: answers the gateways' ping probes. */
export const PING_PROFILE = `${OWNER}-ping`;
/** BFD profile of the BGP peers that ask for BFD. */
export const BFD_PROFILE = OWNER;
/** The proxy IDs of a tunnel carrying both families (names are per IPsec tunnel: `auto-key proxy-id <name>`). */
export const PROXY_ID_V4 = `${OWNER}-ipv4`;
export const PROXY_ID_V6 = `${OWNER}-ipv6`;

/** `sitewire-<tunnel>[-<suffix>]`, shortened to `sitewire-<start of tunnel>_<number>[-<suffix>]` when too long. */
export function objectName(t: Pick<TunnelModel, "name" | "number">, suffix = "", max = NAME_MAX): string {
  if (suffix.includes("-")) throw new Error(`internal: name suffix ${suffix} holds a '-'`);
  const tail = suffix ? `-${suffix}` : "";
  const full = `${OWNER}-${t.name}${tail}`;
  if (full.length <= max) return panosName(full, max);
  const number = `_${t.number}`;
  const room = max - OWNER.length - 1 - number.length - tail.length;
  if (room < 1) throw new Error(`internal: no room for tunnel ${t.name} in a ${max}-character name`);
  return panosName(`${OWNER}-${t.name.slice(0, room).replace(/-+$/, "")}${number}${tail}`, max);
}

/** The tunnel interface: `tunnel.<number>`. */
export function tunnelInterface(t: Pick<TunnelModel, "number">): string {
  return `tunnel.${t.number}`;
}
