import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { portRanges } from "./port-ranges.js";

testRule(portRanges, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "single ports, full ranges and the bounds",
      site: yaml`
        site: test
        hosts:
          gw: { os: debian, address: 10.0.0.1/24, interfaces: { tun0: { address: 172.16.0.10/24 } } }
        flows:
          api: { from: [10.1.0.0/16], to: [172.16.0.0/24], via: gw, out: tun0, ports: [tcp/1, udp/65535, tcp/30000-32767] }
        cluster:
          egress:
            - { namespace: payments, allow: [{ to: 172.16.0.138, ports: [tcp/8080, tcp/8000-8000] }] }
          mesh:
            osmEdge:
              egress:
                - { name: api, namespace: curl, serviceAccounts: [curl], ports: [http/80, https/443] }
      `,
    },
  ],
  invalid: [
    {
      name: "port 0, a port above 65535 and a reversed range in flows, egress allowlists and osm-edge",
      site: yaml`
        site: test
        hosts:
          gw: { os: debian, address: 10.0.0.1/24, interfaces: { tun0: { address: 172.16.0.10/24 } } }
        flows:
          api: { from: [10.1.0.0/16], to: [172.16.0.0/24], via: gw, out: tun0, ports: [tcp/0, tcp/9000-8000] }
        cluster:
          egress:
            - namespace: payments
              allow:
                - { to: unknown-net, ports: [tcp/70000] }
                - { to: 172.16.0.138, ports: [udp/1-65536] }
          mesh:
            osmEdge:
              egress:
                - { name: api, namespace: curl, serviceAccounts: [curl], ports: [https/99999] }
      `,
      resolver: ["SW102"],
      errors: [
        { at: "5:80", token: "tcp/0", messageId: "outOfRange", data: { port: 0, text: "tcp/0" } },
        { at: "5:87", token: "tcp/9000-8000", messageId: "reversed", data: { text: "tcp/9000-8000" }, hint: "write tcp/8000-9000" },
        { at: "10:38", token: "tcp/70000", messageId: "outOfRange", data: { port: 70000, text: "tcp/70000" } },
        { at: "11:39", token: "udp/1-65536", messageId: "outOfRange", data: { port: 65536, text: "udp/1-65536" } },
        { at: "15:74", token: "https/99999", messageId: "outOfRange", data: { port: 99999, text: "https/99999" } },
      ],
    },
  ],
});
