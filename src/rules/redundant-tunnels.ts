import type { IntentPath } from "../intent/source.js";
import { overlaps } from "../net/ip.js";
import type { SiteIntent } from "../intent/schema.js";
import type { Prefix, TunnelModel } from "../model/types.js";
import { defineRule } from "./rule.js";
import { inFileOrder, lineOf } from "./support/file-order.js";
import { refPaths } from "./support/intent-paths.js";

const HINT =
  "run BGP on both tunnels (bgp: on each, routing.bgp on the host and the peers: the routes then come from BGP, which fails over), or use a failover pair of two gateways (failover.*)";

/**
 * Two tunnels from one host to overlapping far networks look redundant but are not: the host puts each
 * route-based tunnel's routes (routes.toPeer) into that tunnel's own table behind its own `ip rule priority P
 * lookup T` (src/model/hosts.ts), and the vti device stays up whether or not its SA is, so the rule with the
 * lower priority always matches and the other tunnel never carries that traffic, also not when the first one
 * is down. A static tunnel next to a BGP tunnel wins the same way over the main table, where bgpd installs
 * routes. Only BGP on both moves traffic (both routes in the main table, best path by local-pref), or a
 * failover pair of two gateways (one tunnel per host). Policy-based tunnels with the same selector pair are
 * no better: charon installs one IPsec policy per selector pair.
 */
export const redundantTunnels = defineRule({
  code: "SW165",
  name: "redundant-tunnels",
  description:
    "No two route-based tunnels of one host route overlapping far networks unless both run BGP (the tunnel with the lower ip rule priority would always win), and no two policy-based tunnels of one host have the same selectors.",
  severity: "error",
  messages: {
    tables:
      "tunnels '{{tunnel}}' and '{{other}}' (line {{line}}) on host '{{host}}' both route {{cidr}}: each tunnel's routes live in its own table behind its own ip rule, so the rule of '{{winner}}' (priority {{priority}}) always matches first and '{{loser}}' never carries this traffic, not even when '{{winner}}' is down (its route stays in its table)",
    mixed:
      "tunnels '{{tunnel}}' and '{{other}}' (line {{line}}) on host '{{host}}' both route {{cidr}}: '{{static}}' has a static route in its own table behind ip rule priority {{priority}}, which matches before the main table where BGP installs the routes of '{{bgp}}', so '{{bgp}}' never carries this traffic, not even when '{{static}}' is down",
    policy:
      "policy-based tunnels '{{tunnel}}' and '{{other}}' (line {{line}}) on host '{{host}}' both select {{local}} <-> {{remote}}: charon installs one IPsec policy per selector pair, so one of them never carries this traffic",
  },
  check({ source, intent, model }, report) {
    const ordered = inFileOrder(source, model.tunnels, (t) => ["tunnels", t.name], "key");
    // Each host's tunnels, in file order (one pass over the tunnels, not one per host).
    const byHost = new Map<string, TunnelModel[]>();
    for (const t of ordered) {
      const list = byHost.get(t.host.node);
      if (list) list.push(t);
      else byHost.set(t.host.node, [t]);
    }
    for (const host of model.hosts) {
      const mine = byHost.get(host.name) ?? [];
      mine.forEach((b, i) => {
        // Every earlier tunnel of the host of the same kind, compared pairwise (a prefix comparison each); the
        // intent is read (lineOf, toPeerEntries: a walk of the YAML) only for a pair that is reported.
        const at = (cidr: Prefix) => toPeerEntries(intent, b).find((e) => e.prefix.cidr === cidr.cidr)?.path ?? ["tunnels", b.name, "routes", "toPeer"];
        for (let j = 0; j < i; j++) {
          const a = mine[j]!;
          if (a.kind !== b.kind) continue;
          const names = () => ({ tunnel: b.name, other: a.name, line: lineOf(source, ["tunnels", a.name], "key"), host: host.name });
          if (b.kind === "ipsec-vti") {
            if (a.bgp && b.bgp) continue;
            const clash = b.toPeer.find((pb) => a.toPeer.some((pa) => overlaps(pa, pb)));
            if (!clash) continue;
            if (!a.bgp && !b.bgp) {
              const [winner, loser] = (a.rulePriority ?? Infinity) <= (b.rulePriority ?? Infinity) ? [a, b] : [b, a];
              report("tables", at(clash), { ...names(), cidr: clash.cidr, winner: winner.name, loser: loser.name, priority: winner.rulePriority ?? "?" }, { hint: HINT });
            } else {
              const [stat, dyn] = a.bgp ? [b, a] : [a, b];
              report("mixed", at(clash), { ...names(), cidr: clash.cidr, static: stat.name, bgp: dyn.name, priority: stat.rulePriority ?? "?" }, { hint: HINT });
            }
            return;
          }
          const pair = samePair(a, b);
          if (!pair) continue;
          report("policy", at(pair.remote), { ...names(), local: pair.local.cidr, remote: pair.remote.cidr }, { hint: "carry these networks in one tunnel, or make both tunnels route-based with BGP" });
          return;
        }
      });
    }
  },
});

function toPeerEntries(intent: SiteIntent, t: TunnelModel): { prefix: Prefix; path: IntentPath }[] {
  return refPaths(intent.tunnels?.[t.name]?.routes?.toPeer, t.toPeer, ["tunnels", t.name, "routes", "toPeer"]);
}

/** A selector pair (local, remote network) both policy-based tunnels have. */
function samePair(a: TunnelModel, b: TunnelModel): { local: Prefix; remote: Prefix } | undefined {
  for (const remote of b.toPeer)
    for (const local of b.toHost)
      if (a.toPeer.some((p) => p.cidr === remote.cidr) && a.toHost.some((p) => p.cidr === local.cidr)) return { local, remote };
  return undefined;
}
