import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { vti } from "../../test/fixtures/rules/sites.js";
import { reservedDevices } from "./reserved-devices.js";

const HINT = "name the real device (e.g. eth0, tun0) or set device: to a free name";

testRule(reservedDevices, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "ordinary device names everywhere a device is named, including names that merely start like a reserved one",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24, interface: bond0, interfaces: { tun0: { address: 172.16.0.10/24 }, lo1: { address: 172.17.0.1/24 } } }
          b: { os: debian, address: 10.0.1.1/24 }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("a, r1", "169.254.1.0/30", 1, ", device: alltraffic")}
        links:
          defaults: { kind: ipip, between: [a, b], inside: 192.168.10.0/30 }
        flows:
          f: { from: [b], to: [172.16.0.0/24], via: a, out: tun0 }
        cluster:
          cilium:
            egressGateways:
              - { name: gw, to: [172.16.0.0/24], nodeSelector: { egress: "true" }, interface: eth1 }
      `,
    },
  ],
  invalid: [
    {
      name: "all, default and lo as host interfaces, tunnel and link devices, a link name, a flow's out and a Cilium interface",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24, interface: lo, interfaces: { all: { address: 172.16.0.10/24 } } }
          b: { os: debian, address: 10.0.1.1/24 }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("a, r1", "169.254.1.0/30", 1, ", device: default")}
        links:
          default: { kind: ipip, between: [a, b], inside: 192.168.10.0/30 }
          ab: { kind: ipip, between: [a, b], inside: 192.168.10.4/30, device: lo }
        flows:
          f: { from: [b], to: [172.16.0.0/24], via: a, out: all }
        cluster:
          cilium:
            egressGateways:
              - { name: gw, to: [172.16.0.0/24], nodeSelector: { egress: "true" }, interface: default }
      `,
      errors: [
        { at: "3:53", token: "lo", messageId: "reserved", data: { device: "lo", what: "the primary interface of host 'a'", meaning: "the loopback device" }, hint: HINT },
        { at: "3:71", token: "all", messageId: "reserved", data: { device: "all", what: "an interface of host 'a'", meaning: "the kernel's settings for every interface (/proc/sys/net/ipv4/conf/all), not a device" }, hint: HINT },
        { at: "8:171", token: "default", messageId: "reserved", data: { device: "default", what: "the device of tunnel 't1'", meaning: "the kernel's settings for interfaces created later (/proc/sys/net/ipv4/conf/default), not a device" }, hint: HINT },
        { at: "10:3", token: "default", messageId: "reserved", data: { device: "default", what: "the device of link 'default' (its name)", meaning: "the kernel's settings for interfaces created later (/proc/sys/net/ipv4/conf/default), not a device" }, hint: HINT },
        { at: "11:71", token: "lo", messageId: "reserved", data: { device: "lo", what: "the device of link 'ab'", meaning: "the loopback device" }, hint: HINT },
        { at: "13:53", token: "all", messageId: "reserved", data: { device: "all", what: "the out interface of flow 'f'", meaning: "the kernel's settings for every interface (/proc/sys/net/ipv4/conf/all), not a device" }, hint: HINT },
        { at: "17:87", token: "default", messageId: "reserved", data: { device: "default", what: "the interface of cilium egress gateway 1", meaning: "the kernel's settings for interfaces created later (/proc/sys/net/ipv4/conf/default), not a device" }, hint: HINT },
      ],
    },
  ],
});
