import { overlaps } from "../net/ip.js";
import { defineRule } from "./rule.js";
import { connectedNetworks } from "./support/connected.js";
import { inFileOrder, lineOf } from "./support/file-order.js";
import { insideNetworks } from "./support/inside-networks.js";

/**
 * Inside networks are routed on hosts and peers alike, so two that overlap make a route ambiguous even on
 * different hosts (and the two gateways of a failover pair must differ for the same reason). An inside
 * network must not overlap a network the host is already attached to either.
 */
export const insideOverlap = defineRule({
  code: "SW105",
  name: "inside-overlap",
  description:
    "No two tunnel or link inside networks overlap anywhere in the site (reported at the later one), and none overlaps a network its host is attached to.",
  severity: "error",
  messages: {
    otherInside: "inside network {{cidr}} of {{owner}} overlaps {{otherCidr}} of {{other}} (line {{line}})",
    hostNetwork: "inside network {{cidr}} of {{owner}} overlaps {{network}} of host '{{host}}' ({{origin}})",
  },
  check({ source, model }, report) {
    const insides = inFileOrder(source, insideNetworks(model), (i) => i.path);
    insides.forEach((inside, i) => {
      const data = { cidr: inside.prefix.cidr, owner: inside.owner };
      const earlier = insides.slice(0, i).find((e) => overlaps(e.prefix, inside.prefix));
      if (earlier)
        report("otherInside", inside.path, { ...data, otherCidr: earlier.prefix.cidr, other: earlier.owner, line: lineOf(source, earlier.path) }, { hint: "give every tunnel and link its own inside network" });
      for (const hostName of inside.hosts) {
        const host = model.hosts.find((h) => h.name === hostName);
        const clash = host && connectedNetworks(host).find((c) => c.owner === undefined && overlaps(c.network, inside.prefix));
        if (clash)
          report("hostNetwork", inside.path, { ...data, network: clash.network.cidr, host: hostName, origin: clash.origin }, { hint: "pick an inside network no host uses (169.254.0.0/16 is customary)" });
      }
    });
  },
});
