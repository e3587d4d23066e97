import { defineRule } from "./rule.js";

/**
 * A takeover points the partner's route tables at the survivor for the survivor's tunnel destinations; a
 * network only the failed gateway's tunnel carries keeps pointing at the dead gateway. Both tunnels of a pair
 * must therefore carry the same networks. (Their inside networks must differ: inside-overlap checks that for
 * every tunnel in the site.)
 */
export const failoverPair = defineRule({
  code: "SW118",
  name: "failover-pair",
  description: "The two gateways of a failover pair route the same networks through their tunnels, so either can carry all of the other's traffic.",
  severity: "error",
  messages: {
    destinations: "tunnel '{{tunnel}}' of '{{gateway}}' carries {{own}}, but tunnel '{{partnerTunnel}}' of its partner '{{partner}}' carries {{partners}}: a takeover cannot move what the survivor does not carry",
  },
  check({ model }, report) {
    const cidrs = (prefixes: readonly { cidr: string }[]) => prefixes.map((p) => p.cidr).sort();
    for (const pair of model.failover) {
      const [first, second] = pair.gateways;
      const [a, b] = pair.gateways.map((g) => model.hosts.find((h) => h.name === g)?.failover);
      if (!a || !b || a.pair !== pair.name || b.pair !== pair.name) continue;
      const own = cidrs(b.destinations).join(", ") || "nothing";
      const partners = cidrs(a.destinations).join(", ") || "nothing";
      if (own !== partners)
        report("destinations", ["failover", pair.name, "gateways", 1], { tunnel: b.tunnel, gateway: second, own, partnerTunnel: a.tunnel, partner: first, partners }, {
          hint: `give tunnels '${a.tunnel}' and '${b.tunnel}' the same routes.toPeer`,
        });
    }
  },
});
