import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { mtuMss } from "./mtu-mss.js";

const site = (tunnel: string, link = "") => yaml`
  site: test
  hosts:
    a: { os: debian, address: 10.0.0.1/24 }
    b: { os: debian, address: 10.0.0.2/24 }
  peers:
    r1: { platform: cisco-ios, address: 203.0.113.1 }
  tunnels:
    t1:
      between: [a, r1]
      ike: { proposals: [aes256-sha256-modp3072] }
      esp: { proposals: [aes256-sha256] }
      psk: { env: T1_PSK }
      inside: 169.254.1.0/30
      key: 1
${tunnel}
  links:
    ab: { kind: ipip, between: [a, b], inside: 192.168.0.0/30${link} }
`;

/** One host with an IPv4-only, a dual-stack (inside6) and an IPv6-only tunnel; `extra` goes into the one named. */
const families = (extra: Partial<Record<"v4" | "dual" | "v6" | "link6", string>>) => yaml`
  site: test
  hosts:
    a: { os: debian, address: 10.0.0.1/24, address6: "2001:db8::1/64" }
    b: { os: debian, address: 10.0.0.2/24 }
  peers:
    r1: { platform: cisco-ios, address: 203.0.113.1 }
    r2: { platform: strongswan, address: "2001:db8:ffff::2" }
  tunnels:
    v4: { between: [a, r1], ike: { proposals: [aes256-sha256-modp3072] }, esp: { proposals: [aes256-sha256] }, psk: { env: V4_PSK }, inside: 169.254.1.0/30, key: 1${extra.v4 ?? ""} }
    dual: { between: [a, r1], ike: { proposals: [aes256-sha256-modp3072] }, esp: { proposals: [aes256-sha256] }, psk: { env: DUAL_PSK }, inside: 169.254.1.4/30, inside6: "fd00:1::/126", key: 2${extra.dual ?? ""} }
    v6: { between: [a, r2], ike: { proposals: [aes256-sha256-modp3072] }, esp: { proposals: [aes256-sha256] }, psk: { env: V6_PSK }, inside: "fd00:2::/126", key: 3${extra.v6 ?? ""} }
`;

testRule(mtuMss, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "defaults (MTU 1400, MSS derived)", site: site("") },
    { name: "the bounds: MTU 576 with MSS 536, link MTU 9000", site: site("    mtu: 576\n    mss: 536", ", mtu: 9000") },
    { name: "seed 004's MTU 1436 with its MSS derived, and AWS's 1419/1379 on the router", site: site("    mtu: 1436\n    overrides:\n      r1: { mtu: 1419, mss: 1379 }") },
    { name: "an override MTU makes the end's MSS derived, so the tunnel MSS does not apply there", site: site("    mss: 1300\n    overrides:\n      r1: { mtu: 1300 }") },
    { name: "IPv6 and mixed: defaults (MTU 1400) on tunnels of both families", site: families({}) },
    {
      name: "IPv6 and mixed: MTU 1280 where IPv6 is carried, below it on the IPv4-only tunnel; MSS at MTU − 40 (IPv6 clamp MTU − 60)",
      site: families({ v4: ", mtu: 1200", dual: ", mtu: 1280, mss: 1240", v6: ", mtu: 1500, mss: 1460" }),
    },
  ],
  invalid: [
    {
      name: "an MSS of 1400 against an MTU of 1400 (at most MTU − 40)",
      site: site("    mtu: 1400\n    mss: 1400"),
      errors: [
        { at: "16:10", token: "1400", messageId: "mss", data: { mss: 1400, owner: "tunnel 't1'", min: 536, max: 1360, mtu: 1400 }, hint: "leave mss unset to derive it from the MTU (1400 − 40 = 1360)" },
      ],
    },
    {
      name: "MTUs out of range on an override and a link; an MSS below 536 on the other end's override",
      site: site("    overrides:\n      r1: { mtu: 575 }\n      a: { mss: 500 }", ", mtu: 65535"),
      errors: [
        { at: "16:18", token: "575", messageId: "mtu", data: { mtu: 575, owner: "tunnel 't1' on 'r1'", min: 576, max: 9000 } },
        { at: "17:17", token: "500", messageId: "mss", data: { mss: 500, owner: "tunnel 't1' on 'a'", min: 536, max: 1360, mtu: 1400 }, hint: "leave mss unset to derive it from the MTU (1400 − 40 = 1360)" },
        { at: "19:67", token: "65535", messageId: "mtu", data: { mtu: 65535, owner: "link 'ab'", min: 576, max: 9000 } },
      ],
    },
    {
      name: "an MSS is not judged against an MTU that is itself out of range",
      site: site("    mtu: 9001\n    mss: 9000"),
      errors: [
        { at: "15:10", token: "9001", messageId: "mtu", data: { mtu: 9001, owner: "tunnel 't1'", min: 576, max: 9000 } },
      ],
    },
    {
      name: "IPv6: an MTU below 1280 on a dual-stack tunnel and on an IPv6-only tunnel's override",
      site: families({ dual: ", mtu: 1200", v6: ", overrides: { r2: { mtu: 1279 } }" }),
      errors: [
        { at: "10:198", token: "1200", messageId: "ipv6Mtu", data: { mtu: 1200, owner: "tunnel 'dual'", min: 1280 }, hint: "use an MTU of at least 1280, or carry IPv4 only" },
        { at: "11:188", token: "1279", messageId: "ipv6Mtu", data: { mtu: 1279, owner: "tunnel 'v6' on 'r2'", min: 1280 }, hint: "use an MTU of at least 1280, or carry IPv4 only" },
      ],
    },
    {
      name: "mixed: an MSS over MTU − 40 on a dual-stack tunnel (IPv6 clamp over MTU − 60) and on an IPv4-only one",
      site: families({ v4: ", mss: 1361", dual: ", mtu: 1400, mss: 1400" }),
      errors: [
        { at: "9:169", token: "1361", messageId: "mss", data: { mss: 1361, owner: "tunnel 'v4'", min: 536, max: 1360, mtu: 1400 }, hint: "leave mss unset to derive it from the MTU (1400 − 40 = 1360)" },
        {
          at: "10:209",
          token: "1400",
          messageId: "mss6",
          data: { mss: 1400, owner: "tunnel 'dual'", min: 536, max: 1360, mtu: 1400, mss6: 1380 },
          hint: "leave mss unset to derive it from the MTU (1400 − 40 = 1360; IPv6: 1400 − 60 = 1340)",
        },
      ],
    },
  ],
});
