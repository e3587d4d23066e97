import { containsAddress } from "../net/ip.js";
import type { HostModel, Prefix } from "../model/types.js";
import { defineRule } from "./rule.js";
import { connectedNetworks, type ConnectedNetwork } from "./support/connected.js";
import { refPaths } from "./support/intent-paths.js";
import { OverlapIndex } from "./support/overlap.js";

/**
 * Routing a prefix away from a host must not take the host's own networks with it. The seed-004 trap:
 * `toPeer: [vpc]` on a gateway whose own address is 172.16.1.157/24 inside vpc 172.16.0.0/16; the tunnel's
 * table is looked up before main (`ip rule … lookup <table>`), so the gateway's LAN would go into the
 * tunnel. `toHost` may contain the host's network: that is what the peer routes to it. A route-based tunnel
 * must not route its own outer address either (the IKE and ESP packets would be sent into the tunnel).
 * Both families alike: a host's networks are those of all its addresses (address6, IPv6 interfaces and inside6
 * too), and prefixes of different families never overlap.
 */
export const routedPrefixes = defineRule({
  code: "SW109",
  name: "routed-prefixes",
  description:
    "A tunnel's toPeer and a flow's destinations do not overlap the networks the routing host is attached to, and a route-based tunnel does not route its own outer addresses into itself.",
  severity: "error",
  messages: {
    toPeer: "tunnel '{{tunnel}}' routes {{prefix}} to the peer, but it overlaps {{network}} of host '{{host}}' ({{origin}})",
    outer: "tunnel '{{tunnel}}' routes {{prefix}} into itself, but it contains {{address}}, where {{sender}} sends the tunnel's own IKE and ESP packets",
    flow: "flow '{{flow}}' sends {{prefix}} through '{{gateway}}', but it overlaps {{network}} of host '{{host}}' ({{origin}})",
  },
  check({ intent, model }, report) {
    const hosts = new Map(model.hosts.map((h) => [h.name, h]));
    // Each host's connected networks, indexed once (a gateway has one per tunnel): the first (in list order)
    // that overlaps the prefix and is not skipped, found without comparing every one (./support/overlap.ts).
    const indices = new Map<HostModel, OverlapIndex<ConnectedNetwork>>();
    const clash = (host: HostModel | undefined, prefix: Prefix, skip: (c: ConnectedNetwork) => boolean) => {
      if (!host) return undefined;
      let index = indices.get(host);
      if (!index) {
        index = new OverlapIndex(connectedNetworks(host), (c) => c.network);
        indices.set(host, index);
      }
      return index.first(prefix, (c) => !skip(c));
    };

    for (const t of model.tunnels) {
      const routes = ["tunnels", t.name, "routes"];
      const toPeer = refPaths(intent.tunnels?.[t.name]?.routes?.toPeer, t.toPeer, [...routes, "toPeer"]);
      const toHost = refPaths(intent.tunnels?.[t.name]?.routes?.toHost, t.toHost, [...routes, "toHost"]);
      for (const { prefix, path } of toPeer) {
        const c = clash(hosts.get(t.host.node), prefix, (n) => n.owner === t.name);
        if (c)
          report("toPeer", path, { tunnel: t.name, prefix: prefix.cidr, network: c.network.cidr, host: t.host.node, origin: c.origin }, {
            hint: "toPeer lists the networks behind the peer; the networks behind the host belong in toHost",
          });
      }
      if (t.kind !== "ipsec-vti") continue;
      const outer = [
        ...toPeer.map((r) => ({ ...r, address: t.host.remoteAddress, sender: `host '${t.host.node}'` })),
        ...toHost.map((r) => ({ ...r, address: t.peer.remoteAddress, sender: `peer '${t.peer.node}'` })),
      ];
      for (const r of outer)
        if (containsAddress(r.prefix, r.address))
          report("outer", r.path, { tunnel: t.name, prefix: r.prefix.cidr, address: r.address, sender: r.sender }, { hint: `route the networks behind that end without ${r.address}` });
    }

    for (const f of model.flows) {
      // A dual-stack source host is one source per family: judge each host once.
      const sourceHosts = [...new Set(f.sources.flatMap((s) => (s.host ? [s.host] : [])))];
      for (const { prefix, path } of refPaths(intent.flows?.[f.name]?.to, f.to, ["flows", f.name, "to"])) {
        const onGateway = { host: f.via, c: clash(hosts.get(f.via), prefix, (n) => n.device === f.out) };
        const onSources = sourceHosts.map((h) => ({ host: h, c: clash(hosts.get(h), prefix, () => false) }));
        for (const { host, c } of [onGateway, ...onSources])
          if (c)
            report("flow", path, { flow: f.name, prefix: prefix.cidr, gateway: f.via, network: c.network.cidr, host, origin: c.origin }, {
              hint: "part of the destination is attached to that host directly: narrow `to`",
            });
      }
    }
  },
});
