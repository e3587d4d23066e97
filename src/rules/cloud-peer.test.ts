import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { AWS_PEER, bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { cloudPeer } from "./cloud-peer.js";

const GCP_PEER = "{ platform: gcp-ha-vpn, address: 203.0.113.20, cloud: { region: europe-west1 }, routing: { bgp: { as: 64514 } } }";
const aws = (tunnels: string, peer = AWS_PEER) => bgpSite(tunnels, { peer });
const tunnel = (n: number, options: Parameters<typeof bgpTunnel>[1] = {}) =>
  bgpTunnel(`t${n}`, { key: n, inside: `169.254.10.${4 * (n - 1)}/30`, ...options, more: [`    overrides: { far: { address: 203.0.113.${10 + n} } }`, options.more].filter(Boolean).join("\n") });

testRule(cloudPeer, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "AWS: two tunnels, defaults within AWS's ranges", site: aws([tunnel(1), tunnel(2)].join("\n")) },
    { name: "Google Cloud HA VPN with BGP (its fixed lifetimes are not negotiated on IKEv2)", site: aws(tunnel(1), GCP_PEER) },
    { name: "a strongSwan peer without a cloud block", site: bgpSite(bgpTunnel("t1")) },
    { name: "Google Cloud HA VPN carries both families in one tunnel (stack type IPV4_IPV6)", site: aws(tunnel(1, { more: "    inside6: fd00:1::/126" }), GCP_PEER) },
  ],
  invalid: [
    {
      name: "a cloud platform without its cloud block",
      site: aws(tunnel(1), "{ platform: aws-vpn, address: 203.0.113.10, routing: { bgp: { as: 64512 } } }"),
      errors: [{ at: "9:20", token: "aws-vpn", messageId: "missingCloud", data: { peer: "far", title: "AWS Site-to-Site VPN" }, hint: "add cloud: { gateway: transit-gateway, region: <region> }" }],
    },
    {
      name: "a cloud block on a strongSwan peer",
      site: bgpSite(bgpTunnel("t1"), { peer: "{ platform: strongswan, address: 203.0.113.1, cloud: { region: eu-west-1 }, routing: { bgp: { as: 65020 } } }" }),
      errors: [{ at: "9:54", token: "cloud", messageId: "notCloud", data: { peer: "far", platform: "strongswan" }, hint: "remove the cloud block" }],
    },
    {
      name: "AWS without a gateway kind, and with another provider's",
      site: aws(tunnel(1), AWS_PEER.replace("gateway: transit-gateway, ", "")),
      errors: [{ at: "9:52", token: "cloud", messageId: "gatewayMissing", data: { peer: "far", title: "AWS Site-to-Site VPN", gateways: "transit-gateway and virtual-private-gateway" }, hint: "add gateway: transit-gateway | virtual-private-gateway" }],
    },
    {
      name: "AWS with Azure's gateway kind",
      site: aws(tunnel(1), AWS_PEER.replace("gateway: transit-gateway", "gateway: vpn-gateway")),
      errors: [{ at: "9:70", token: "vpn-gateway", messageId: "gateway", data: { peer: "far", title: "AWS Site-to-Site VPN", gateways: "transit-gateway and virtual-private-gateway", gateway: "vpn-gateway" } }],
    },
    {
      name: "a third tunnel on one AWS VPN connection",
      site: aws([tunnel(1), tunnel(2), tunnel(3)].join("\n")),
      errors: [{ at: "32:19", token: "far", messageId: "tooMany", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t3", count: 3, max: 2 } }],
    },
    {
      name: "a policy-based tunnel to AWS",
      site: aws(
        ["  t1:", "    kind: ipsec-policy", "    between: [gw, far]", "    ike: { proposals: [aes256-sha256-modp3072] }", "    esp: { proposals: [aes256-sha256] }", "    psk: { env: PSK_1 }", "    routes: { toPeer: [far-lan], toHost: [lan] }"].join("\n"),
      ),
      errors: [{ at: "12:11", token: "ipsec-policy", messageId: "noInside", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1" } }],
    },
    {
      name: "IPv6 beside IPv4 in one AWS tunnel (one family per connection), from outside fd00::/8",
      site: aws(tunnel(1, { more: "    inside6: 2001:db8:1::/126" })),
      errors: [
        { at: "21:14", token: "2001:db8:1::/126", messageId: "ipv6", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", what: "IPv6 inside network 2001:db8:1::/126 is not a /126 from fd00::/8" } },
        { at: "21:14", token: "2001:db8:1::/126", messageId: "ipv6", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", what: "a tunnel carries one family only (IPv4 or IPv6), not both" } },
      ],
    },
    {
      name: "IPv6 on an AWS virtual private gateway",
      site: aws(tunnel(1, { more: "    inside6: fd00:1::/126" }), AWS_PEER.replace("gateway: transit-gateway", "gateway: virtual-private-gateway")),
      errors: [{ at: "21:14", token: "fd00:1::/126", messageId: "ipv6", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", what: "IPv6 is not supported on a virtual-private-gateway (only on transit-gateway)" } }],
    },
    {
      name: "IPv6 to an Azure VPN gateway",
      site: aws(tunnel(1, { ike: "{ proposals: [aes256-sha256-modp2048] }", esp: "{ proposals: [aes256-sha256-modp2048] }", more: "    inside6: fd00:1::/126" }), "{ platform: azure-vpn-gateway, address: 203.0.113.20, cloud: { region: westeurope }, routing: { bgp: { as: 65515 } } }"),
      errors: [{ at: "21:14", token: "fd00:1::/126", messageId: "ipv6", data: { peer: "far", title: "Azure VPN Gateway", tunnel: "t1", what: "IPv6 is not supported on this provider's VPN" } }],
    },
    {
      name: "Google Cloud HA VPN without BGP",
      site: aws(tunnel(1).replace("\n    bgp: {}", ""), GCP_PEER),
      errors: [{ at: "11:3", token: "t1", messageId: "bgpOnly", data: { peer: "far", title: "Google Cloud HA VPN", tunnel: "t1" } }],
    },
    {
      name: "algorithms AWS does not have, in IKE and ESP",
      site: aws(tunnel(1, { ike: "{ proposals: [aes256-sha256-modp3072, 3des-md5-modp1024] }", esp: "{ proposals: [aes128gcm12] }" })),
      errors: [
        {
          at: "13:48",
          token: "3des-md5-modp1024",
          messageId: "algorithm",
          data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", kind: "IKE", proposal: "3des-md5-modp1024", algorithms: "3des and md5" },
          hint: "supported IKE encryption: aes128, aes256, aes128gcm16, aes256gcm16; IKE integrity: sha1, sha256, sha384, sha512 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html)",
        },
        { at: "14:24", token: "aes128gcm12", messageId: "algorithm", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", kind: "ESP", proposal: "aes128gcm12", algorithms: "aes128gcm12" } },
      ],
    },
    {
      name: "ESP lifetime, DPD timeout and DPD action outside what AWS has",
      site: aws(tunnel(1, { esp: "{ proposals: [aes256-sha256], lifetime: 2h }", more: "    dpd: { delay: 5s, timeout: 20s, action: hold }" })),
      errors: [
        { at: "14:50", token: "2h", messageId: "lifetime", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", kind: "ESP", lifetime: "2h", range: "900s to 3600s" }, hint: "set esp.lifetime: 3600s (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html)" },
        { at: "21:32", token: "20s", messageId: "dpdTimeout", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", timeout: "20s", range: "at least 30s" }, hint: "set dpd.timeout: 30s (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpnTunnelOptionsSpecification.html)" },
        { at: "21:45", token: "hold", messageId: "setting", data: { peer: "far", title: "AWS Site-to-Site VPN", tunnel: "t1", setting: "DPD action", value: "hold", supported: "clear, none, restart" } },
      ],
    },
  ],
});
