/**
 * Palo Alto Networks PAN-OS (next-generation firewalls, virtual-router routing) as a far-side platform: what
 * sitewire can say on a firewall, as data (src/platform/contract.ts). Output: PAN-OS `set` commands for
 * configure mode, one per line (templates/paloalto-panos/device.hbs).
 *
 * Sources (every range and table below cites one of them):
 * [codegen] PaloAltoNetworks/pan-os-codegen specs, generated from the PAN-OS configuration schema:
 *   specs/objects/profiles/ike-crypto-profile.yaml (IKE encryption/hash/dh-group values, lifetime
 *   seconds 180..65535), specs/objects/profiles/ipsec-crypto-profile.yaml (ESP encryption/authentication, PFS
 *   dh-group incl. no-pfs, lifetime seconds 180..65535), specs/network/ike-gateway.yaml (protocol ikev1/ikev2,
 *   dpd interval 2..100 and ikev1 retry 2..100, exchange-mode, local-id/peer-id),
 *   specs/network/profiles/monitoring.yaml (tunnel monitor profile interval 2..100, threshold 2..10),
 *   specs/network/virtual-router-static-route-ipv4.yaml (path-monitor interval 1..60, count 3..10),
 *   specs/network/interface/tunnel.yaml (tunnel unit mtu 576..9216, "up to 1500 otherwise" than jumbo frames),
 *   specs/network/profiles/bfd-network-profile.yaml.
 * [admin] PAN-OS Administrator's Guide / IPsec VPN Administration, "IKE Phase 1" and "IKE Phase 2"
 *   (https://docs.paloaltonetworks.com/network-security/ipsec-vpn/administration/ipsec-vpn-basics/internet-key-exchange-ike-for-vpn/ike-phase-1
 *   and …/ike-phase-2): DH groups 1, 2, 5, 14, 19, 20, and 15, 16, 21 from PAN-OS 10.2; IKE hashes md5, sha1,
 *   sha256, sha384, sha512.
 * [kb-mss] Palo Alto Networks knowledge base "TCP MSS adjustment for IPSec traffic"
 *   (https://knowledgebase.paloaltonetworks.com/KCSArticleDetail?id=kA10g000000ClW3CAK): the firewall clamps the
 *   MSS of TCP through a tunnel interface to (tunnel interface MTU − 40) by itself; tunnel interfaces have no
 *   adjust-tcp-mss setting ([codegen] tunnel.yaml has none).
 * [batfish] batfish/batfish projects/batfish/src/main/antlr4/org/batfish/grammar/palo_alto/PaloAlto_bgp.g4:
 *   BGP peer-group and peer names are 1..31 characters.
 * [bgp-timers] PAN-OS Web Interface Help, Network > Virtual Routers > BGP > Peer Group > Peer > Connection Options:
 *   Keep Alive Interval 0..1200 s (default 30), Hold Time 3..3600 s (default 90); [codegen] virtual-router.yaml
 *   `connection-options keep-alive-interval` / `hold-time` (defaults "30" / "90").
 * [outside] `local-address interface`: the layer-3 interface IKE runs on ([codegen] ike-gateway.yaml, "local
 *   gateway end-point"); names from the interface specs: ethernet<slot>/<port> with an optional .<tag>
 *   subinterface (interface/ethernet.yaml, subinterface/ethernet/layer3.yaml), ae<n>[.<tag>], loopback.<n>,
 *   vlan.<n>. A factory-default firewall has ethernet1/1 and 1/2 in a virtual wire, not layer 3, so no name is
 *   safe to assume: the intent must say it. `local-address ip` takes the address as the interface holds it
 *   (with its prefix length, e.g. 192.168.1.1/24: PaloAltoNetworks/terraform-provider-panos docs/resources/
 *   bgp_peer.md uses the interface's `static_ips` entry); the intent has the address only (README).
 *
 * Not declared, on purpose:
 * - AES-GCM for the IKE SA: PAN-OS offers aes-128-gcm/aes-256-gcm in IKE crypto profiles from 10.0.3, but its
 *   documentation does not say which PRF such a profile negotiates, so an exact translation of a strongSwan
 *   `aes256gcm16-prfsha384-…` IKE proposal cannot be promised. ESP AES-GCM (authentication none) is declared.
 * - aes-128-ccm and null ESP encryption, des: weak or with an ICV length the documentation does not state.
 */
import type { PlatformDeclaration } from "../../platform/contract.js";

export const platform: PlatformDeclaration<"paloalto-panos"> = {
  name: "paloalto-panos",
  folder: "paloalto-panos",
  title: "Palo Alto PAN-OS",
  syntax: "panos-set",
  artifact: { file: "panos.set", kind: "panos-set", text: "PAN-OS set commands (configure mode)" },
  sources: [
    "https://docs.paloaltonetworks.com/network-security/ipsec-vpn/administration",
    "https://knowledgebase.paloaltonetworks.com/KCSArticleDetail?id=kA10g000000ClW3CAK",
    "PaloAltoNetworks/pan-os-codegen specs (ike-crypto-profile, ipsec-crypto-profile, ike-gateway, monitoring, tunnel, static route)",
    "batfish/batfish PaloAlto_bgp.g4",
  ],
  // Lines `sitewire explain` cites (the first line containing every fragment).
  citations: { staticRoute: ["static-route ", " destination {cidr}"], bgpNeighbor: ["peer-address ip {neighbor}"] },
  imports: { customer: "paloalto-panos", netbox: /pan-?os|palo/ },
  capabilities: {
    ike: {
      versions: [1, 2],
      // sitewire writes `exchange-mode main` (main mode protects the identities).
      aggressive: false,
      // [codegen] ike-crypto-profile.yaml: `lifetime seconds` 180..65535 (hours/days reach further, but a
      // lifetime is written in seconds so that any whole number of seconds in range is exact).
      lifetime: { ikev1: { min: 180, max: 65535 }, ikev2: { min: 180, max: 65535 } },
      // One IKE crypto profile per gateway holds lists of encryption, hash and dh-group, and offers every
      // combination, as one strongSwan proposal with several algorithms of a kind does.
      shape: { ikev1: { encryption: Infinity, integrity: Infinity, dh: Infinity }, ikev2: { encryption: Infinity, integrity: Infinity, dh: Infinity } },
      // A gateway names exactly one IKE crypto profile ([codegen] ike-gateway.yaml `ike-crypto-profile`).
      maxProposals: 1,
      // `local-id type ipaddr|fqdn id …` on IKEv1 and IKEv2 ([codegen] ike-gateway.yaml).
      ikev1Identity: "any",
    },
    esp: {
      // [codegen] ipsec-crypto-profile.yaml: `lifetime seconds` 180..65535.
      lifetime: { min: 180, max: 65535 },
      // `esp encryption [ … ]` and `esp authentication [ … ]` are lists; `dh-group` (PFS) is one value.
      shape: { encryption: Infinity, integrity: Infinity, dh: 1 },
      // A tunnel names exactly one IPsec crypto profile ([codegen] ipsec.yaml `auto-key ipsec-crypto-profile`).
      maxProposals: 1,
      pfs: "one-group",
    },
    crypto: {
      objects: { ikev1: "IKE crypto profile", ikev2: "IKE crypto profile", esp: "IPsec crypto profile" },
      // [codegen] ike-crypto-profile.yaml / ipsec-crypto-profile.yaml encryption values.
      encryption: new Map([
        ["ENCR_AES_CBC/128", { ikev1: "aes-128-cbc", ikev2: "aes-128-cbc", esp: "aes-128-cbc" }],
        ["ENCR_AES_CBC/192", { ikev1: "aes-192-cbc", ikev2: "aes-192-cbc", esp: "aes-192-cbc" }],
        ["ENCR_AES_CBC/256", { ikev1: "aes-256-cbc", ikev2: "aes-256-cbc", esp: "aes-256-cbc" }],
        // ESP AES-GCM with `esp authentication none` (the factory Suite-B-GCM-128/256 IPsec profiles): RFC 4106
        // with the 16-octet ICV, the only one PAN-OS names.
        ["ENCR_AES_GCM_ICV16/128", { esp: "aes-128-gcm", aead: true }],
        ["ENCR_AES_GCM_ICV16/256", { esp: "aes-256-gcm", aead: true }],
        ["ENCR_3DES/0", { ikev1: "3des", ikev2: "3des", esp: "3des" }],
      ]),
      // IKE `hash` ([codegen] ike-crypto-profile.yaml; "non-auth" is not offered) and ESP `authentication`
      // ([admin] IKE Phase 2: md5, sha1, sha256, sha384, sha512): HMAC with the RFC 4868 truncations.
      integrity: new Map([
        ["AUTH_HMAC_MD5_96/0", { ikev1: "md5", ikev2: "md5", esp: "md5" }],
        ["AUTH_HMAC_SHA1_96/0", { ikev1: "sha1", ikev2: "sha1", esp: "sha1" }],
        ["AUTH_HMAC_SHA2_256_128/0", { ikev1: "sha256", ikev2: "sha256", esp: "sha256" }],
        ["AUTH_HMAC_SHA2_384_192/0", { ikev1: "sha384", ikev2: "sha384", esp: "sha384" }],
        ["AUTH_HMAC_SHA2_512_256/0", { ikev1: "sha512", ikev2: "sha512", esp: "sha512" }],
      ]),
      // An IKE crypto profile has no PRF keyword: IKEv2 uses the HMAC of the profile's hash as PRF.
      prf: "from-integrity",
      // [codegen] dh-group values; [admin] groups 15, 16 and 21 from PAN-OS 10.2.
      dh: new Map([
        ["MODP_768_BIT/0", "group1"],
        ["MODP_1024_BIT/0", "group2"],
        ["MODP_1536_BIT/0", "group5"],
        ["MODP_2048_BIT/0", "group14"],
        ["MODP_3072_BIT/0", "group15"],
        ["MODP_4096_BIT/0", "group16"],
        ["ECP_256_BIT/0", "group19"],
        ["ECP_384_BIT/0", "group20"],
        ["ECP_521_BIT/0", "group21"],
      ]),
    },
    // [codegen] ike-gateway.yaml: `dpd interval` 2..100 (IKEv1 and the IKEv2 liveness check) and IKEv1
    // `dpd retry` 2..100 (default 5), retries sent every interval. IKEv2's liveness check has no retry setting.
    dpd: { delay: { min: 2, max: 100 }, retryInterval: { min: 2, max: 100 }, retries: 5, retryCount: { min: 2, max: 100 } },
    // [kb-mss]: no MSS setting on tunnel interfaces; the firewall clamps to the tunnel MTU − 40 itself.
    mss: { fromMtu: 40 },
    // [codegen] tunnel.yaml: mtu 576..9216, up to 1500 without jumbo frames (sitewire assumes none).
    mtu: { min: 576, max: 1500 },
    // [outside]
    outsideInterface: {
      command: "network ike gateway … local-address interface",
      default: "required",
      pattern: "^(?:ethernet[1-9][0-9]?/[1-9][0-9]{0,2}(?:\\.[1-9][0-9]{0,3})?|ae[1-9][0-9]?(?:\\.[1-9][0-9]{0,3})?|loopback\\.[1-9][0-9]{0,3}|vlan\\.[1-9][0-9]{0,3})$",
      examples: ["ethernet1/1", "ethernet1/3.100", "ae1"],
    },
    // The tunnel's `tunnel-monitor` (profile: interval 2..100 s, threshold 2..10, [codegen] monitoring.yaml) and
    // each static route's `path-monitor` (interval 1..60 s, count 3..10, [codegen] static route): both probe with
    // the intent's interval and failures, so the ranges are their intersection. No per-probe timeout.
    monitor: { name: "tunnel-monitor + static route path-monitor", interval: { min: 2, max: 60 }, failures: { min: 3, max: 10 }, scope: "tunnel" },
    // IPv6 (issue 16): sitewire's PAN-OS translator writes IPv6 beside an IPv4 inside network over IPv4 gateways:
    // the tunnel unit's `ipv6 address` ([codegen] tunnel.yaml), `routing-table ipv6 static-route` with path-monitor
    // ([codegen] virtual-router-static-route-ipv6.yaml), IPv6 prefixes in the security rules, a second BGP peer
    // with MP-BGP AFI ipv6 (pango BGP peer: enable-mp-bgp, address-family-identifier; terraform-provider-panos
    // bgp_peer address_family_type ipv4|ipv6), and one proxy ID per family (auto-key proxy-id 0.0.0.0/0 and
    // proxy-id-v6 ::/0: IKEv1 proxy IDs and IKEv2 traffic selectors, [admin] "Traffic Selectors"), so one SA per
    // family with IKEv1 and IKEv2 alike. Not written: IPv6 gateways (the IPsec tunnel's `ipv6` and IPv6 gateway
    // addresses were not verified), IPv6-only tunnels (the tunnel monitor and path monitors probe IPv4), an IPv6
    // MSS (tunnel interfaces have no adjust-tcp-mss; the gateway clamps IPv6 SYNs).
    ipv6: {
      ipv6Only: false,
      inside: true,
      outer: [],
      dualStack: { ikeVersions: [1, 2], sas: "sa-per-family" },
      bgp: true,
      sources: [
        "PaloAltoNetworks/pan-os-codegen specs/network/interface/tunnel.yaml (ipv6 enabled, address)",
        "PaloAltoNetworks/pan-os-codegen specs/network/virtual-router-static-route-ipv6.yaml",
        "PaloAltoNetworks/pan-os-python network.py IpsecTunnelIpv6ProxyId (auto-key/proxy-id-v6)",
        "https://docs.paloaltonetworks.com/network-security/ipsec-vpn/administration/ipsec-vpn-basics/internet-key-exchange-ike-for-vpn/ikev2/traffic-selectors",
        "PaloAltoNetworks/terraform-provider-panos docs/resources/bgp_peer.md (enable_mp_bgp, address_family_type ipv6)",
      ],
    },
    tunnelKinds: ["ipsec-vti"],
    // A route-based tunnel without proxy-id proposes 0.0.0.0/0 both ways, as sitewire's strongSwan end does.
    // Whether PAN-OS narrows a wider proposal is not documented: declared as not narrowing.
    selectors: { proposes: "any", narrowing: false },
    // `tunnel.<n>`, n 1..9999 (PAN-OS tunnel interface units).
    interfaces: { prefix: "tunnel.", number: { min: 1, max: 9999 } },
    // Static routes with path-monitor, BGP with import/export policies and a BFD profile; no OSPF rendered.
    routing: {
      static: true,
      tracking: true,
      ospf: false,
      bgp: true,
      bfd: true,
      // [bgp-timers]
      bgpTimers: { holdTime: { min: 3, max: 3600, zero: false, command: "connection-options hold-time" }, keepalive: { min: 0, max: 1200, command: "connection-options keep-alive-interval" } },
    },
    // `authentication pre-shared-key key "<placeholder>"`.
    secret: { quote: "double" },
    numbers: [],
  },
};
