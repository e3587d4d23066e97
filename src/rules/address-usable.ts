import type { IntentPath } from "../intent/source.js";
import { containsAddress, makePrefix } from "../net/ip.js";
import type { IfAddress } from "../model/types.js";
import { defineRule } from "./rule.js";
import { reservedIn, usableRange } from "./support/address-math.js";

/**
 * Ranges no host, peer or gateway can use as its address (RFC 6890; IPv6: RFC 4291 2.5.2 the unspecified
 * address, 2.5.3 loopback, 2.5.5.2 IPv4-mapped addresses, 2.7 multicast).
 */
const SPECIAL = [
  { prefix: makePrefix("0.0.0.0", 8), kind: "'this network' (0.0.0.0/8)" },
  { prefix: makePrefix("127.0.0.0", 8), kind: "loopback" },
  { prefix: makePrefix("224.0.0.0", 4), kind: "multicast" },
  { prefix: makePrefix("240.0.0.0", 4), kind: "reserved (240.0.0.0/4)" },
  { prefix: makePrefix("::", 128), kind: "unspecified (::)" },
  { prefix: makePrefix("::1", 128), kind: "loopback" },
  { prefix: makePrefix("::ffff:0:0", 96), kind: "IPv4-mapped (::ffff:0:0/96)" },
  { prefix: makePrefix("ff00::", 8), kind: "multicast" },
];

/**
 * Interface addresses carry host bits on purpose (172.16.1.157/24), so the resolver does not check their
 * alignment; this rule checks what can go wrong instead: an address that is its network's own network or
 * broadcast address, or one from a range that cannot be assigned to an interface at all. IPv6 has no
 * broadcast address; the first address of an IPv6 prefix is its subnet-router anycast address (RFC 4291
 * 2.6.1), except on a /127 (RFC 6164) and a /128 (./support/address-math.ts).
 */
export const addressUsable = defineRule({
  code: "SW101",
  name: "address-usable",
  description:
    "Host, interface, peer and egress-gateway addresses are usable unicast addresses: not the network or broadcast address of their IPv4 prefix (/31 and /32 excepted), not the subnet-router anycast address of their IPv6 prefix (/127 and /128 excepted), not 0/8, loopback, multicast or 240/4, nor ::, ::1, IPv4-mapped or IPv6 multicast.",
  severity: "error",
  messages: {
    networkAddress: "'{{value}}' is the network address of {{network}}, not a host address",
    broadcastAddress: "'{{value}}' is the broadcast address of {{network}}, not a host address",
    anycastAddress: "'{{value}}' is the subnet-router anycast address of {{network}} (its first address, RFC 4291), not a host address",
    special: "'{{value}}' is a {{kind}} address and cannot be the address of {{what}}",
  },
  check({ model }, report) {
    const checkAddress = (address: string, path: IntentPath, what: string, value = address) => {
      const special = SPECIAL.find((s) => containsAddress(s.prefix, address));
      if (special) report("special", path, { value, kind: special.kind, what });
    };
    const checkIfAddress = (a: IfAddress, path: IntentPath, what: string) => {
      checkAddress(a.address, path, what, a.cidr);
      const reserved = reservedIn(a.network, a.address);
      if (!reserved) return;
      const data = { value: a.cidr, network: a.network.cidr };
      const { first, last } = usableRange(a.network);
      const hint = `the usable addresses of ${a.network.cidr} are ${first} to ${last}`;
      report(reserved === "network" ? "networkAddress" : reserved === "broadcast" ? "broadcastAddress" : "anycastAddress", path, data, { hint });
    };

    for (const h of model.hosts) {
      h.addresses.forEach((a, i) => checkIfAddress(a, ["hosts", h.name, i === 0 ? "address" : "address6"], `host '${h.name}'`));
      for (const i of h.externalInterfaces) checkIfAddress(i.address, ["hosts", h.name, "interfaces", i.device, "address"], `interface ${i.device} of host '${h.name}'`);
      if (h.publicAddress) checkAddress(h.publicAddress, ["hosts", h.name, "publicAddress"], `host '${h.name}'`);
    }
    for (const p of model.peers) {
      checkAddress(p.address, ["peers", p.name, "address"], `peer '${p.name}'`);
      if (p.publicAddress) checkAddress(p.publicAddress, ["peers", p.name, "publicAddress"], `peer '${p.name}'`);
    }
    model.cluster?.ciliumEgressGateways.forEach((g, i) => {
      if (g.egressIP) checkAddress(g.egressIP, ["cluster", "cilium", "egressGateways", i, "egressIP"], `egress gateway '${g.name}'`);
    });
  },
});
