import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { vti } from "../../test/fixtures/rules/sites.js";
import { xfrmIpsecConf } from "./xfrm-ipsec-conf.js";

const HINT = (host: string) => `set hosts.${host}.strongswan.format: swanctl (strongSwan ≥ 5.8 reads if_id_in/if_id_out there), or device: { kind: vti } on the tunnel`;

testRule(xfrmIpsecConf, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "an XFRM interface (debian 12's default) with swanctl.conf, the default format",
      site: yaml`
        site: test
        hosts:
          gw: { os: debian, release: 12, address: 10.0.0.1/24 }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("gw, r1", "169.254.1.0/30", 1)}
      `,
    },
    {
      name: "format both with vti devices (no release: vti)",
      site: yaml`
        site: test
        strongswan: { format: both }
        hosts:
          gw: { os: debian, address: 10.0.0.1/24 }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("gw, r1", "169.254.1.0/30", 1)}
      `,
    },
    {
      name: "format ipsec-conf on a debian 12 host whose tunnel asks for vti",
      site: yaml`
        site: test
        hosts:
          gw: { os: debian, release: 12, address: 10.0.0.1/24, strongswan: { format: ipsec-conf } }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("gw, r1", "169.254.1.0/30", 1, ", device: { kind: vti }")}
      `,
    },
  ],
  invalid: [
    {
      name: "the release makes it xfrm, the host asks for ipsec.conf: reported at the release",
      site: yaml`
        site: test
        hosts:
          gw: { os: debian, release: 12, address: 10.0.0.1/24, strongswan: { format: ipsec-conf } }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("gw, r1", "169.254.1.0/30", 7)}
      `,
      errors: [
        { at: "3:30", token: "12", messageId: "xfrmIpsecConf", data: { tunnel: "t1", device: "xfrm7", key: 7, host: "gw", format: "ipsec-conf" }, hint: HINT("gw") },
      ],
    },
    {
      name: "the host's device.kind, the site's format both: reported at the kind",
      site: yaml`
        site: test
        strongswan: { format: both }
        hosts:
          gw: { os: rhel, address: 10.0.0.1/24, device: { kind: xfrm } }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("gw, r1", "169.254.1.0/30", 1)}
      `,
      errors: [
        { at: "4:57", token: "xfrm", messageId: "xfrmIpsecConf", data: { tunnel: "t1", device: "xfrm1", key: 1, host: "gw", format: "both" }, hint: HINT("gw") },
      ],
    },
    {
      name: "only the tunnel that asks for xfrm, at its device.kind; its vti neighbour is fine",
      site: yaml`
        site: test
        hosts:
          gw: { os: rhel, address: 10.0.0.1/24, strongswan: { format: both } }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("gw, r1", "169.254.1.0/30", 1)}
          t2: ${vti("gw, r1", "169.254.1.4/30", 2, ", device: { name: ipsec-b, kind: xfrm }")}
      `,
      errors: [
        { at: "8:195", token: "xfrm", messageId: "xfrmIpsecConf", data: { tunnel: "t2", device: "ipsec-b", key: 2, host: "gw", format: "both" }, hint: HINT("gw") },
      ],
    },
  ],
});
