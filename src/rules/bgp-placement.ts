import { containsAddress } from "../net/ip.js";
import { defineRule } from "./rule.js";
import { lastAddress } from "./support/address-math.js";
import { bgpTunnels } from "./support/bgp.js";
import { inFileOrder, lineOf } from "./support/file-order.js";

/**
 * Where a BGP session over a tunnel can run: between the two inside addresses of a route-based (vti) tunnel
 * (one without an inside network is refused by the resolver, SW121, and not reported again here).
 * A policy-based tunnel has no interface and no inside addresses to peer on; the neighbour must be on the
 * vti's connected network (sitewire's sessions are single-hop eBGP); and FRR knows a neighbour by its address,
 * so two BGP tunnels of one host must not have the same neighbour address (one session would stand for both).
 */
export const bgpPlacement = defineRule({
  code: "SW162",
  name: "bgp-placement",
  description:
    "BGP runs only on route-based tunnels with an inside network, between two usable addresses of that network, and no two BGP tunnels of one host share a neighbour address.",
  severity: "error",
  messages: {
    policyBased: "tunnel '{{tunnel}}' is policy-based (ipsec-policy): it has no tunnel interface and no inside addresses for a BGP session",
    offNetwork: "tunnel '{{tunnel}}': BGP neighbour {{neighbor}} of {{end}} is not a usable address on the inside network {{network}}; the single-hop session would never come up",
    sameNeighbor: "tunnels '{{tunnel}}' and '{{other}}' (line {{line}}) on host '{{host}}' both have BGP neighbour {{neighbor}}: FRR has one neighbour per address, so one session would stand for both tunnels",
  },
  check({ source, intent, model }, report) {
    const ordered = inFileOrder(source, bgpTunnels(intent, model), ({ t }) => ["tunnels", t.name], "key");
    const seen = new Map<string, string>();
    for (const { t } of ordered) {
      const bgpKey = ["tunnels", t.name, "bgp"];
      if (t.kind === "ipsec-policy") {
        report("policyBased", bgpKey, { tunnel: t.name }, { at: "key", hint: "use kind: ipsec-vti with an inside /30 and a key, or drop bgp (static routes follow routes.toPeer)" });
        continue;
      }
      // A route-based tunnel without an inside network is already refused by the resolver (SW121).
      if (!t.inside) continue;
      const inside = t.inside;
      const usable = (a: string | undefined) =>
        a !== undefined && containsAddress(inside, a) && (inside.length > 30 || (a !== inside.network && a !== lastAddress(inside)));
      let ok = true;
      for (const end of [t.host, t.peer]) {
        const neighbor = end.insidePeerAddress;
        if (usable(neighbor) && end.insideAddress && usable(end.insideAddress.address) && neighbor !== end.insideAddress.address) continue;
        report("offNetwork", ["tunnels", t.name, "inside"], { tunnel: t.name, neighbor: neighbor ?? "none", end: end.node, network: inside.cidr }, {
          hint: "use a /30 (both ends get its two usable addresses) or a /31",
        });
        ok = false;
        break;
      }
      if (!ok || !t.host.insidePeerAddress) continue;
      const key = `${t.host.node} ${t.host.insidePeerAddress}`;
      const other = seen.get(key);
      if (other === undefined) seen.set(key, t.name);
      else
        report("sameNeighbor", ["tunnels", t.name, "inside"], { tunnel: t.name, other, line: lineOf(source, ["tunnels", other], "key"), host: t.host.node, neighbor: t.host.insidePeerAddress }, {
          hint: "give each BGP tunnel its own inside network",
        });
    }
  },
});
