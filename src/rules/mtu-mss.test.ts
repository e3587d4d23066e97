import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
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

testRule(mtuMss, {
  valid: [
    { name: "defaults (MTU 1400, MSS derived)", site: site("") },
    { name: "the bounds: MTU 576 with MSS 536, link MTU 9000", site: site("    mtu: 576\n    mss: 536", ", mtu: 9000") },
    { name: "seed 004's MTU 1436 with its MSS derived, and AWS's 1419/1379 on the router", site: site("    mtu: 1436\n    overrides:\n      r1: { mtu: 1419, mss: 1379 }") },
    { name: "an override MTU makes the end's MSS derived, so the tunnel MSS does not apply there", site: site("    mss: 1300\n    overrides:\n      r1: { mtu: 1300 }") },
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
  ],
});
