import { containsAddress } from "../../net/ip.js";
import type { Prefix, TunnelEnd } from "../../model/types.js";
import { lastAddress, usableRange } from "../support/address-math.js";
import { defineRule } from "../rule.js";

/**
 * INSIDE_ADDRESS_MISMATCH: both inside addresses of a route-based tunnel are usable addresses of its inside
 * network (a /32 cannot hold the pair). The two ends take their addresses and the IOS mask from that one
 * network, so the seed's mistake (a /24 on the router against a /30 on the gateway) cannot be written;
 * test/parse-back proves the rendered files keep them mirrored.
 */
export const insideAddresses = defineRule({
  code: "SW205",
  name: "inside-addresses",
  description: "The inside addresses of a tunnel are the two usable addresses of one network (INSIDE_ADDRESS_MISMATCH).",
  severity: "error",
  messages: {
    outside: "tunnel '{{tunnel}}': inside network {{network}} cannot hold the two inside addresses ({{addresses}})",
  },
  check({ model }, report) {
    for (const t of model.tunnels) {
      if (!t.inside) continue;
      const ends = [t.host, t.peer];
      if (ends.every((e) => isUsable(e, t.inside!))) continue;
      const { first, last } = usableRange(t.inside);
      const addresses = ends.map((e) => `${e.node} ${e.insideAddress?.address ?? "none"}`).join(", ");
      report("outside", ["tunnels", t.name, "inside"], { tunnel: t.name, network: t.inside.cidr, addresses }, {
        hint: t.inside.length === 32 ? "a /32 holds one address: use a /30 or /31" : `the usable addresses of ${t.inside.cidr} are ${first} to ${last}`,
      });
    }
  },
});

/** The end holds an address of exactly this network that is neither its network nor broadcast address. */
function isUsable(end: TunnelEnd, inside: Prefix): boolean {
  const a = end.insideAddress;
  if (!a || a.network.cidr !== inside.cidr || !containsAddress(inside, a.address)) return false;
  return inside.length > 30 || (a.address !== inside.network && a.address !== lastAddress(inside));
}
