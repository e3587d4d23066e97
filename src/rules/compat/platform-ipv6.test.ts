import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { compatSite } from "../../../test/helpers/compat-site.js";
import { platformIpv6 } from "./platform-ipv6.js";

const IKEV2 = "{ version: 2, proposals: [aes256-sha256-modp3072] }";
/** compatSite with a dual-stack gateway, the router's IPv6 network and both families routed. */
function dual(parts: Parameters<typeof compatSite>[0] = {}): string {
  return compatSite(parts)
    .replace("    publicAddress: 54.0.0.1\n", "    publicAddress: 54.0.0.1\n    address6: 2001:db8:ffff::10/64\n")
    .replace("  onprem: 10.10.0.0/16\n", "  onprem: 10.10.0.0/16\n  onprem6: 2001:db8:10::/48\n  vpc6: 2001:db8:16::/48\n")
    .replace("routes: { toPeer: [onprem], toHost: [vpc] }", "routes: { toPeer: [onprem, onprem6], toHost: [vpc, vpc6] }");
}

testRule(platformIpv6, {
  valid: [
    { name: "an IPv4 tunnel to a Cisco IOS router", site: compatSite() },
    { name: "both families in one IKEv2 tunnel to IOS (tunnel mode ipsec dual-overlay)", site: dual({ ike: IKEV2, tunnel: "    inside6: fd00:10::/126" }) },
    {
      name: "IKEv2 over IPv6 outer addresses to IOS, IPv6 inside",
      site: dual({ ike: IKEV2, inside: "fd00:10::/126" })
        .replace("    address: 10.10.1.1\n    publicAddress: 52.0.0.1\n", "    address: 2001:db8:ffff::20\n")
        .replace("routes: { toPeer: [onprem, onprem6], toHost: [vpc, vpc6] }", "routes: { toPeer: [onprem6], toHost: [vpc6] }"),
    },
    { name: "both families to a Juniper SRX, IKEv2", site: dual({ ike: IKEV2, tunnel: "    inside6: fd00:10::/126" }).replace("platform: cisco-ios", "platform: juniper-srx") },
    {
      name: "both families to a FortiGate, IKEv1 and IKEv2 (a phase 2 per family)",
      site: dual({ tunnel: "    inside6: fd00:10::/126", peer: "    interface: port1" }).replace("platform: cisco-ios", "platform: fortigate"),
    },
    {
      name: "both families to a PAN-OS firewall, IKEv1 and IKEv2 (a proxy ID per family)",
      site: dual({ tunnel: "    inside6: fd00:10::/126", peer: "    interface: ethernet1/1" }).replace("platform: cisco-ios", "platform: paloalto-panos"),
    },
    {
      name: "both families to a PAN-OS firewall with BGP on each, IKEv2",
      site: dual({ ike: IKEV2, tunnel: "    inside6: fd00:10::/126\n    bgp: {}", peer: "    interface: ethernet1/1" }).replace("platform: cisco-ios", "platform: paloalto-panos"),
    },
    { name: "IPv6 to a strongSwan peer is not a device platform's business", site: dual({ tunnel: "    inside6: fd00:10::/126" }).replace("platform: cisco-ios", "platform: strongswan") },
  ],
  invalid: [
    {
      name: "both families in one IKEv1 tunnel to IOS (dual-overlay is FlexVPN, IKEv2)",
      site: dual({ tunnel: "    inside6: fd00:10::/126" }),
      errors: [
        {
          at: "28:14",
          token: "fd00:10::/126",
          messageId: "feature",
          data: { tunnel: "vpn1", peer: "rtr", platform: "Cisco IOS", feature: "both IPv4 and IPv6 in one tunnel on IKEv1" },
        },
      ],
    },
    {
      name: "IKEv1 over IPv6 outer addresses to IOS",
      site: dual({ inside: "fd00:10::/126" })
        .replace("    address: 10.10.1.1\n    publicAddress: 52.0.0.1\n", "    address: 2001:db8:ffff::20\n")
        .replace("routes: { toPeer: [onprem, onprem6], toHost: [vpc, vpc6] }", "routes: { toPeer: [onprem6], toHost: [vpc6] }"),
      errors: [{ at: "20:21", token: "1", messageId: "outer", data: { tunnel: "vpn1", peer: "rtr", platform: "Cisco IOS", version: 1 } }],
    },
    {
      name: "an IPv6-only tunnel to a PAN-OS firewall (its tunnel and path monitors probe IPv4)",
      site: dual({ ike: IKEV2, inside: "fd00:10::/126", peer: "    interface: ethernet1/1" })
        .replace("platform: cisco-ios", "platform: paloalto-panos")
        .replace("routes: { toPeer: [onprem, onprem6], toHost: [vpc, vpc6] }", "routes: { toPeer: [onprem6], toHost: [vpc6] }"),
      errors: [{ at: "25:13", token: "fd00:10::/126", messageId: "feature", data: { tunnel: "vpn1", peer: "rtr", platform: "Palo Alto PAN-OS", feature: "an IPv6-only tunnel (an IPv4 inside network is needed beside inside6)" } }],
    },
    {
      name: "IPv6 outer addresses to a PAN-OS firewall (sitewire writes no IPv6 IKE gateway)",
      site: dual({ ike: IKEV2, tunnel: "    inside6: fd00:10::/126", peer: "    interface: ethernet1/1" })
        .replace("platform: cisco-ios", "platform: paloalto-panos")
        .replace("    address: 10.10.1.1\n    publicAddress: 52.0.0.1\n", "    address: 2001:db8:ffff::20\n"),
      errors: [{ at: "16:14", token: "2001:db8:ffff::20", messageId: "outer", data: { tunnel: "vpn1", peer: "rtr", platform: "Palo Alto PAN-OS", version: 2 } }],
    },
    {
      name: "IPv6 outer addresses to a FortiGate (sitewire writes no remote-gw6)",
      site: dual({ ike: IKEV2, inside: "fd00:10::/126", peer: "    interface: port1" })
        .replace("platform: cisco-ios", "platform: fortigate")
        .replace("    address: 10.10.1.1\n    publicAddress: 52.0.0.1\n", "    address: 2001:db8:ffff::20\n")
        .replace("routes: { toPeer: [onprem, onprem6], toHost: [vpc, vpc6] }", "routes: { toPeer: [onprem6], toHost: [vpc6] }"),
      errors: [
        { at: "16:14", token: "2001:db8:ffff::20", messageId: "outer", data: { tunnel: "vpn1", peer: "rtr", platform: "FortiGate", version: 2 } },
        { at: "24:13", token: "fd00:10::/126", messageId: "feature", data: { tunnel: "vpn1", peer: "rtr", platform: "FortiGate", feature: "an IPv6-only tunnel (an IPv4 inside network is needed beside inside6)" } },
      ],
    },
    {
      name: "an IPv6-only tunnel to a Juniper SRX (its vpn-monitor probes the IPv4 inside address)",
      site: dual({ ike: IKEV2, inside: "fd00:10::/126" }).replace("platform: cisco-ios", "platform: juniper-srx").replace("routes: { toPeer: [onprem, onprem6], toHost: [vpc, vpc6] }", "routes: { toPeer: [onprem6], toHost: [vpc6] }"),
      errors: [{ at: "24:13", token: "fd00:10::/126", messageId: "feature", data: { tunnel: "vpn1", peer: "rtr", platform: "Juniper SRX", feature: "an IPv6-only tunnel (an IPv4 inside network is needed beside inside6)" } }],
    },
  ],
});
