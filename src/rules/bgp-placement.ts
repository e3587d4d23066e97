import type { IntentPath } from "../intent/source.js";
import type { Prefix } from "../model/types.js";
import { defineRule } from "./rule.js";
import { isUsableIn } from "./support/address-math.js";
import { bgpTunnels } from "./support/bgp.js";
import { inFileOrder, lineOf } from "./support/file-order.js";

/**
 * Where a BGP session over a tunnel can run: between the two inside addresses of a route-based (vti) tunnel
 * (one without an inside network is refused by the resolver, SW121, and not reported again here).
 * A policy-based tunnel has no interface and no inside addresses to peer on; the neighbour must be on the
 * vti's connected network (sitewire's sessions are single-hop eBGP); and FRR knows a neighbour by its address,
 * so two BGP tunnels of one host must not have the same neighbour address (one session would stand for both).
 * Each family's session alike: a tunnel with inside6 beside an IPv4 inside runs a second session over the IPv6
 * inside addresses (BgpSide.neighbor6), whose neighbour must be a usable address of inside6; an IPv6-only
 * tunnel's one session runs over its IPv6 inside. "Usable" as for interfaces (./support/address-math.ts): IPv4
 * without network and broadcast (a /31 whole), IPv6 without the subnet-router anycast address (a /127 whole).
 */
export const bgpPlacement = defineRule({
  code: "SW162",
  name: "bgp-placement",
  description:
    "BGP runs only on route-based tunnels with an inside network, between two usable addresses of that network (per family: the IPv6 session's neighbour on inside6), and no two BGP tunnels of one host share a neighbour address.",
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
      const sessions: { prefix: Prefix; path: IntentPath; neighbor: (e: typeof t.host) => string | undefined; own: (e: typeof t.host) => string | undefined }[] = [
        { prefix: t.inside, path: ["tunnels", t.name, "inside"], neighbor: (e) => e.insidePeerAddress, own: (e) => e.insideAddress?.address },
        ...(t.inside6 ? [{ prefix: t.inside6, path: ["tunnels", t.name, "inside6"], neighbor: (e: typeof t.host) => e.insidePeerAddress6, own: (e: typeof t.host) => e.insideAddress6?.address }] : []),
      ];
      for (const session of sessions) {
        const inside = session.prefix;
        const bad = [t.host, t.peer].find((end) => {
          const neighbor = session.neighbor(end);
          const own = session.own(end);
          return !(isUsableIn(inside, neighbor) && isUsableIn(inside, own) && neighbor !== own);
        });
        if (bad) {
          report("offNetwork", session.path, { tunnel: t.name, neighbor: session.neighbor(bad) ?? "none", end: bad.node, network: inside.cidr }, {
            hint: inside.family === 6 ? "use a /126 (both ends get its first two usable addresses) or a /127" : "use a /30 (both ends get its two usable addresses) or a /31",
          });
          continue;
        }
        const neighbor = session.neighbor(t.host)!;
        const key = `${t.host.node} ${neighbor}`;
        const other = seen.get(key);
        if (other === undefined) seen.set(key, t.name);
        else
          report("sameNeighbor", session.path, { tunnel: t.name, other, line: lineOf(source, ["tunnels", other], "key"), host: t.host.node, neighbor }, {
            hint: "give each BGP tunnel its own inside network",
          });
      }
    }
  },
});
