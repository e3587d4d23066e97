import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { vti } from "../../test/fixtures/rules/sites.js";
import { uniqueDevices } from "./unique-devices.js";

const HOSTS = `hosts:
  a: { os: debian, address: 10.0.0.1/24, interfaces: { tun0: { address: 172.16.0.10/24 } } }
  b: { os: debian, address: 10.0.1.1/24 }
peers:
  r1: { platform: cisco-ios, address: 203.0.113.1 }`;

testRule(uniqueDevices, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "primary interface, tun0, a vti and an ipip device with distinct names; one link's device on both hosts",
      site: yaml`
        site: test
${HOSTS}
        tunnels:
          t1: ${vti("a, r1", "169.254.1.0/30", 1)}
        links:
          vpnnic: { kind: ipip, between: [a, b], inside: 192.168.10.0/30 }
      `,
    },
  ],
  invalid: [
    {
      name: "a vti named like a declared interface, a link named like the primary interface",
      site: yaml`
        site: test
${HOSTS}
        tunnels:
          t1: ${vti("a, r1", "169.254.1.0/30", 1, ", device: tun0")}
        links:
          eth0: { kind: ipip, between: [a, b], inside: 192.168.10.0/30 }
      `,
      errors: [
        { at: "8:171", token: "tun0", messageId: "clash", data: { device: "tun0", what: "tunnel 't1'", first: "interface 'tun0'", host: "a", line: 3 }, hint: "set device: on the tunnel or link to a free name" },
        { at: "10:3", token: "eth0", messageId: "clash", data: { device: "eth0", what: "link 'eth0'", first: "the primary interface", host: "a", line: 3 }, hint: "set device: on the tunnel or link to a free name" },
        { at: "10:3", token: "eth0", messageId: "clash", data: { device: "eth0", what: "link 'eth0'", first: "the primary interface", host: "b", line: 4 }, hint: "set device: on the tunnel or link to a free name" },
      ],
    },
    {
      name: "a derived vti name clashing with an explicit one, and kernel fallback device names",
      site: yaml`
        site: test
${HOSTS}
        tunnels:
          t1: ${vti("a, r1", "169.254.1.0/30", 5, ", device: vti6")}
          t2: ${vti("a, r1", "169.254.1.4/30", 6)}
          t3: ${vti("b, r1", "169.254.1.8/30", 7, ", device: ip_vti0")}
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.10.0/30, device: tunl0 }
      `,
      errors: [
        { at: "9:160", token: "6", messageId: "clash", data: { device: "vti6", what: "tunnel 't2'", first: "tunnel 't1'", host: "a", line: 8 }, hint: "set device: on the tunnel or link to a free name" },
        { at: "10:171", token: "ip_vti0", messageId: "kernel", data: { device: "ip_vti0", what: "tunnel 't3'", reserved: "the ip_vti module's fallback device" }, hint: "choose another device name" },
        { at: "12:71", token: "tunl0", messageId: "kernel", data: { device: "tunl0", what: "link 'ab'", reserved: "the ipip module's fallback device" }, hint: "choose another device name" },
      ],
    },
  ],
});
