import { addressBits } from "../../net/ip.js";
import type { IfAddress, Prefix } from "../../model/types.js";
import { isUsableIn, usableRange } from "../support/address-math.js";
import { defineRule } from "../rule.js";

/**
 * INSIDE_ADDRESS_MISMATCH: both inside addresses of a route-based tunnel are usable addresses of its inside
 * network (a /32 cannot hold the pair). The two ends take their addresses and the IOS mask from that one
 * network, so the seed's mistake (a /24 on the router against a /30 on the gateway) cannot be written;
 * test/parse-back proves the rendered files keep them mirrored. Each family's inside network alike (inside and
 * inside6): usable as for interfaces (../support/address-math.ts), so an IPv6 end never holds the
 * subnet-router anycast address and a /127 (RFC 6164) gives both its addresses.
 */
export const insideAddresses = defineRule({
  code: "SW205",
  name: "inside-addresses",
  description: "The inside addresses of a tunnel are two usable addresses of one network, per family (INSIDE_ADDRESS_MISMATCH).",
  severity: "error",
  messages: {
    outside: "tunnel '{{tunnel}}': inside network {{network}} cannot hold the two inside addresses ({{addresses}})",
  },
  check({ model }, report) {
    for (const t of model.tunnels) {
      const ends = [t.host, t.peer];
      const families = [
        { inside: t.inside, key: "inside", address: (e: (typeof ends)[number]) => e.insideAddress },
        { inside: t.inside6, key: "inside6", address: (e: (typeof ends)[number]) => e.insideAddress6 },
      ];
      for (const { inside, key, address } of families) {
        if (!inside) continue;
        if (ends.every((e) => isUsable(address(e), inside))) continue;
        const { first, last } = usableRange(inside);
        const addresses = ends.map((e) => `${e.node} ${address(e)?.address ?? "none"}`).join(", ");
        const single = inside.length === addressBits(inside.family);
        report("outside", ["tunnels", t.name, key], { tunnel: t.name, network: inside.cidr, addresses }, {
          hint: single
            ? `a /${inside.length} holds one address: use a ${inside.family === 6 ? "/126 or /127" : "/30 or /31"}`
            : `the usable addresses of ${inside.cidr} are ${first} to ${last}`,
        });
      }
    }
  },
});

/** The end holds a usable address of exactly this network. */
function isUsable(a: IfAddress | undefined, inside: Prefix): boolean {
  return a !== undefined && a.network.cidr === inside.cidr && isUsableIn(inside, a.address);
}
