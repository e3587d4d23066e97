import { isLinkLocal6, overlaps } from "../net/ip.js";
import type { HostModel, Prefix } from "../model/types.js";
import { defineRule } from "./rule.js";
import { connectedNetworks, type ConnectedNetwork } from "./support/connected.js";
import { inFileOrder, lineOf } from "./support/file-order.js";
import { insideNetworks } from "./support/inside-networks.js";
import { overlappingAny } from "./support/overlap.js";

/**
 * Inside networks are routed on hosts and peers alike, so two that overlap make a route ambiguous even on
 * different hosts (and the two gateways of a failover pair must differ for the same reason). An inside
 * network must not overlap a network the host is already attached to either. Prefixes of different families
 * never overlap. Two IPv6 link-local networks (fe80::/10) do not clash: their addresses are scoped to their
 * interface (RFC 4291 2.5.6), so every tunnel may use fe80::/64 as routers number link-local networks.
 */
export const insideOverlap = defineRule({
  code: "SW105",
  name: "inside-overlap",
  description:
    "No two tunnel or link inside networks of a family overlap anywhere in the site (reported at the later one), and none overlaps a network its host is attached to; IPv6 link-local networks (fe80::/10) are scoped to their interface and do not clash.",
  severity: "error",
  messages: {
    otherInside: "inside network {{cidr}} of {{owner}} overlaps {{otherCidr}} of {{other}} (line {{line}})",
    hostNetwork: "inside network {{cidr}} of {{owner}} overlaps {{network}} of host '{{host}}' ({{origin}})",
  },
  check({ source, model }, report) {
    const insides = inFileOrder(source, insideNetworks(model), (i) => i.path);
    // Only an inside network that overlaps some other one can clash with an earlier one (found by sorting, not
    // by comparing every pair: ./support/overlap.ts); for those, the first earlier one that clashes.
    const overlapping = overlappingAny(insides.map((x) => x.prefix));
    const hosts = new Map(model.hosts.map((h) => [h.name, h] as const).reverse());
    // Each host's own networks (no tunnel's or link's), once per host.
    const own = new Map<string, ConnectedNetwork[]>();
    const ownOf = (host: HostModel) => {
      let list = own.get(host.name);
      if (!list) {
        list = connectedNetworks(host).filter((c) => c.owner === undefined);
        own.set(host.name, list);
      }
      return list;
    };
    insides.forEach((inside, i) => {
      const data = { cidr: inside.prefix.cidr, owner: inside.owner };
      const earlier = overlapping.has(i) ? insides.slice(0, i).find((e) => clashes(e.prefix, inside.prefix)) : undefined;
      if (earlier)
        report("otherInside", inside.path, { ...data, otherCidr: earlier.prefix.cidr, other: earlier.owner, line: lineOf(source, earlier.path) }, { hint: "give every tunnel and link its own inside network" });
      for (const hostName of inside.hosts) {
        const host = hosts.get(hostName);
        const clash = host && ownOf(host).find((c) => clashes(c.network, inside.prefix));
        if (clash)
          report("hostNetwork", inside.path, { ...data, network: clash.network.cidr, host: hostName, origin: clash.origin }, { hint: "pick an inside network no host uses (169.254.0.0/16 is customary)" });
      }
    });
  },
});

/** Overlapping networks of one family, unless both are link-local (interface-scoped). */
function clashes(a: Prefix, b: Prefix): boolean {
  return overlaps(a, b) && !(isLinkLocal6(a) && isLinkLocal6(b));
}
