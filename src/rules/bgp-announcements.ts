import type { IntentPath } from "../intent/source.js";
import { containsPrefix, familiesOf, overlaps } from "../net/ip.js";
import type { Prefix, SiteModel, TunnelModel } from "../model/types.js";
import { defineRule } from "./rule.js";
import { connectedNetworks } from "./support/connected.js";
import { refPaths } from "./support/intent-paths.js";
import { tunnelIntent } from "./support/bgp.js";

type Side = "host" | "peer";
const OTHER: Record<Side, Side> = { host: "peer", peer: "host" };

/**
 * What each end of a BGP tunnel announces must be of use to the other end: inside the tunnel's scope (the
 * networks routes.toHost / routes.toPeer name are what the host routes, lets through SITEWIRE-FORWARD and, on
 * policy-based peers, selects), not one of the other side's own networks (it would pull that network's
 * traffic into the tunnel), and within what the other end accepts when its accept list is explicit (a
 * filtered announcement is silently dropped by the far end's prefix list). An announcement is accepted only
 * when the accept list has exactly that prefix: the FRR target renders `ip prefix-list … permit <cidr>` without
 * `le`/`ge`, which matches that prefix only (docs.frrouting.org/en/latest/filter.html, IP Prefix List).
 * Default announcements come from routes.toHost / toPeer, which other rules check; they are only compared
 * with an explicit accept list. Checked for complete sessions (TunnelModel.bgp); SW160/SW162 explain others.
 * Per family: a tunnel has a BGP session per family of its inside networks (inside, and inside6 beside an
 * IPv4 inside: BgpSide.neighbor6), and each carries its own family's prefixes (the IPv4 and IPv6 unicast
 * address families); a prefix of a family without a session has nothing to carry it (sitewire renders no
 * RFC 8950 extended next hop). Scope, overlap and accept lists compare prefixes of one family only.
 */
export const bgpAnnouncements = defineRule({
  code: "SW163",
  name: "bgp-announcements",
  description:
    "Each BGP announcement of a tunnel is of a family the tunnel has a session for (an IPv6 one needs an IPv6 inside network), lies within the tunnel's routes of that side, does not overlap the other side's own networks, and is in the other end's explicit accept list (exact prefix).",
  severity: "error",
  messages: {
    family:
      "tunnel '{{tunnel}}': {{role}} '{{node}}' announces {{cidr}}, an IPv{{family}} network, but the tunnel's BGP runs over {{sessions}} only: no session carries IPv{{family}} prefixes",
    scope: "tunnel '{{tunnel}}': {{role}} '{{node}}' announces {{cidr}}, which is not within the tunnel's routes.{{routes}} ({{scope}}): traffic to it would not be routed or let through",
    overlap: "tunnel '{{tunnel}}': {{role}} '{{node}}' announces {{cidr}}, which overlaps {{network}} {{where}}: that side's own traffic would be pulled into the tunnel",
    filtered: "tunnel '{{tunnel}}': {{otherRole}} '{{other}}' does not accept {{cidrs}} that {{role}} '{{node}}' announces (bgp.accept.{{otherRole}}: {{accept}})",
  },
  check({ intent, model }, report) {
    for (const t of model.tunnels) {
      const b = t.bgp;
      const ib = tunnelIntent(intent, t.name)?.bgp;
      if (!b || !ib) continue;
      const base: IntentPath = ["tunnels", t.name, "bgp"];
      const sessions = familiesOf([t.inside, t.inside6].flatMap((p) => (p ? [p] : [])));
      const sessionText = sessions.map((f) => `IPv${f}`).join(" and ");
      for (const side of ["host", "peer"] as const) {
        const other = OTHER[side];
        const names = { tunnel: t.name, role: side, node: t[side].node };
        const explicit = ib.announce?.[side];
        const entries: { prefix: Prefix; path?: IntentPath }[] = explicit
          ? refPaths(explicit, b[side].announce, [...base, "announce", side])
          : b[side].announce.map((prefix) => ({ prefix }));
        const scope = side === "host" ? t.toHost : t.toPeer;
        const own = ownNetworks(model, t, other);
        for (const e of entries.filter((e) => !sessions.includes(e.prefix.family))) {
          const family = e.prefix.family;
          report("family", e.path ?? base, { ...names, cidr: e.prefix.cidr, family, sessions: sessionText }, {
            ...(e.path ? {} : { at: "key" as const }),
            hint: family === 6 ? "add inside6 (an IPv6 /126, /127 or link-local network) for an IPv6 session, or route it without BGP" : "give the tunnel an IPv4 inside network (inside, with the IPv6 one in inside6)",
          });
        }
        for (const e of entries) {
          if (!e.path || !sessions.includes(e.prefix.family)) continue;
          const clash = own.find((n) => overlaps(n.prefix, e.prefix));
          if (clash) {
            report("overlap", e.path, { ...names, cidr: e.prefix.cidr, network: clash.prefix.cidr, where: clash.where }, { hint: `announce only networks behind ${t[side].node}` });
            continue;
          }
          if (!scope.some((s) => containsPrefix(s, e.prefix)))
            report("scope", e.path, { ...names, cidr: e.prefix.cidr, routes: side === "host" ? "toHost" : "toPeer", scope: list(scope) }, {
              hint: `add it to routes.${side === "host" ? "toHost" : "toPeer"}, or announce a network listed there`,
            });
        }
        const accept = ib.accept?.[other];
        if (!accept) continue;
        const filtered = entries.filter((e) => sessions.includes(e.prefix.family) && !b[other].accept.some((a) => a.cidr === e.prefix.cidr));
        const data = { ...names, otherRole: other, other: t[other].node, accept: list(b[other].accept) };
        const hint = `add exactly these prefixes to bgp.accept.${other} (a prefix list entry matches its own prefix only), or announce less`;
        for (const e of filtered.filter((e) => e.path)) report("filtered", e.path!, { ...data, cidrs: e.prefix.cidr }, { hint });
        const defaults = filtered.filter((e) => !e.path);
        if (defaults.length) report("filtered", [...base, "accept", other], { ...data, cidrs: list(defaults.map((e) => e.prefix)) }, { hint });
      }
    }
  },
});

function list(prefixes: readonly Prefix[]): string {
  return prefixes.length ? prefixes.map((p) => p.cidr).join(", ") : "none";
}

/** The networks that belong to one side of a tunnel: behind the peer (routes.toPeer), or the host's own. */
function ownNetworks(model: SiteModel, t: TunnelModel, side: Side): { prefix: Prefix; where: string }[] {
  if (side === "peer") return t.toPeer.map((prefix) => ({ prefix, where: `behind peer '${t.peer.node}' (routes.toPeer)` }));
  const host = model.hosts.find((h) => h.name === t.host.node);
  return [
    ...t.toHost.map((prefix) => ({ prefix, where: `behind host '${t.host.node}' (routes.toHost)` })),
    ...(host ? connectedNetworks(host).filter((c) => c.owner === undefined).map((c) => ({ prefix: c.network, where: `of host '${host.name}' (${c.origin})` })) : []),
  ];
}
