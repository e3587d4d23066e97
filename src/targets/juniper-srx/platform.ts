/**
 * Juniper SRX (Junos OS, flow mode) as a far-side platform: what sitewire can say on an SRX firewall, as data
 * (src/platform/contract.ts). The device configuration is Junos `set` commands (./index.ts, templates/juniper-srx).
 *
 * Sources (Junos CLI Reference, juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/):
 * - IKE proposal keywords and groups: "proposal (Security IKE)", security-edit-proposal.html —
 *   authentication-algorithm (md5 | sha-256 | sha-384 | sha1 | sha-512), dh-group (group1 group2 group5 group14
 *   group15 group16 group19 group20 group21 group24), encryption-algorithm (3des-cbc aes-128-cbc aes-128-gcm
 *   aes-192-cbc aes-256-cbc aes-256-gcm chacha20-poly1305 des-cbc); the proposal holds one of each; its name is up to
 *   32 characters. AES-GCM in an IKE proposal is IKEv2 only (RFC 5282 defines no IKEv1 AEAD).
 * - IKEv2 PRF: "prf-algorithm", prf-algorithm-edit-security-ike-proposal.html — without a prf-algorithm the PRF is
 *   "implicitly derived from the configured authentication algorithm", and AES-GCM "variants, such as the aes-256-gcm
 *   authenticated-encryption algorithm, are internally associated with a PRF-384" (aes-128-gcm with PRF-256, the
 *   RFC 6379 Suite B pairing). sitewire never writes prf-algorithm (a recent iked-only statement that the commit
 *   refuses next to an AEAD cipher), so the PRF is data: "from-integrity" plus the AEAD ciphers' implied PRF.
 * - IPsec proposal keywords: "proposal (Security IPsec)", security-edit-proposal-ipsec.html — authentication-algorithm
 *   (hmac-md5-96 hmac-sha-256-128 hmac-sha-256-96 hmac-sha-384-192 hmac-sha-512-256 hmac-sha1-96), encryption-algorithm
 *   (3des-cbc aes-128-cbc aes-128-gcm aes-192-cbc aes-192-gcm aes-256-cbc aes-256-gcm des-cbc; GCM is RFC 4106 with
 *   the 16-octet ICV), `lifetime-seconds` 180..86400 ("Configuring the Lifetime for an IPSec SA": "the number of
 *   seconds (180 through 86,400)"); the same range for the IKE proposal's lifetime-seconds (lifetime-seconds,
 *   "Range: 180 through 86,400"); `perfect-forward-secrecy keys <group>` is one group per IPsec policy.
 * - Proposals per policy: "policy (Security IKE)" takes a list; Junos documents "up to four Phase 1 proposals for an
 *   IKE policy" (policy-edit-security-group-vpn-ike.html). sitewire holds both IKE and IPsec policies to four.
 * - DPD: "dead-peer-detection", security-edit-dead-peer-detection.html — interval "Range: 2 through 60 seconds",
 *   threshold "Range: 1 through 5" (unanswered probes, sent every interval, before the peer is declared dead).
 * - Tunnel interface: st0.<unit>; the unit range 0..1073741823 is the Junos logical unit range
 *   (jeremmfr/terraform-provider-junos internal/providerfwk/resource_interface_st0_unit.go searches st0 units in it).
 *   `family inet mtu`: "Range: 256 through 9192 bytes" (Junos interfaces, "mtu", protocol MTU).
 * - TCP MSS: per security policy `then permit tcp-options initial-tcp-mss / reverse-tcp-mss`
 *   (initial-tcp-mss-edit-security-policies.html; "takes precedence over a global tcp-mss value"); the value range
 *   64..65535 of `security flow tcp-mss` (security-edit-tcp-mss.html). Global policies take the same `then` as zone
 *   policies and match from-zone/to-zone (match-edit-security-policies-global.html; ansible-collections/
 *   junipernetworks.junos plugins/modules/junos_security_policies.py).
 * - Monitor: `security ipsec vpn <vpn> vpn-monitor` (ICMP through the tunnel; the st0 unit goes down when it fails,
 *   so static routes over it are withdrawn) with the device-wide `security ipsec vpn-monitor-options interval
 *   2..3600 threshold 1..65535` (security-edit-vpn-monitor-options.html). No per-probe timeout.
 * - BGP timers: "hold-time (Protocols BGP)", hold-time-edit-protocols-bgp.html — "Range: 3 through 65,535 seconds (or 0
 *   for infinite hold time)"; "The hold time is three times the interval at which keepalive messages are sent":
 *   Junos has no keepalive statement.
 * - Outside interface: "external-interface (IKE Gateway)" — "Name of the interface to be used to send traffic to the
 *   IPsec VPN", a logical interface (`ge-0/0/0.0`, unit 0..16384 per "unit (Interfaces)"); Junos interface names
 *   are type-fpc/pic/port (ge, xe, et, fe, mge) or a bundle (reth, ae), irb, vlan or lo0, then `.unit`.
 * - Cloud providers' SRX samples, for the shape of a complete route-based configuration: AWS's generated Juniper
 *   SRX configuration (awsdocs, Site-to-Site VPN "Example configuration files": ike proposal/policy/gateway, ipsec
 *   proposal/policy/vpn bound to st0.N, st0 family inet mtu, host-inbound-traffic, protocols bgp group) and Google
 *   Cloud's "Cloud VPN interoperability guide for Juniper SRX" (GoogleCloudPlatform/community
 *   tutorials/using-cloud-vpn-with-juniper-srx/index.md: dead-peer-detection probe-idle-tunnel/interval/threshold,
 *   version v2-only, local-identity inet, establish-tunnels immediately, routing-options static next-hop st0.N).
 */
import type { PlatformDeclaration } from "../../platform/contract.js";

export const platform: PlatformDeclaration<"juniper-srx"> = {
  name: "juniper-srx",
  folder: "juniper-srx",
  title: "Juniper SRX",
  syntax: "junos-set",
  artifact: { file: "junos.set", kind: "junos-set", text: "Juniper SRX configuration (Junos set commands, for load set)" },
  sources: [
    "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/security-edit-proposal.html",
    "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/prf-algorithm-edit-security-ike-proposal.html",
    "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/security-edit-proposal-ipsec.html",
    "https://www.juniper.net/documentation/us/en/software/junos/vpn-ipsec/topics/ref/statement/security-edit-dead-peer-detection.html",
    "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/security-edit-vpn-monitor-options.html",
    "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/initial-tcp-mss-edit-security-policies.html",
    "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/match-edit-security-policies-global.html",
    "GoogleCloudPlatform/community tutorials/using-cloud-vpn-with-juniper-srx/index.md",
    "AWS Site-to-Site VPN example configuration for Juniper SRX (awsdocs)",
  ],
  // Lines `sitewire explain` cites (the first line containing every fragment).
  citations: { staticRoute: ["routing-options static route {cidr} ", "{interface}"], bgpNeighbor: ["neighbor {neighbor}"] },
  imports: { customer: "juniper-srx", netbox: /junos|juniper|srx/ },
  capabilities: {
    ike: {
      versions: [1, 2],
      // sitewire configures IKEv1 main mode only (`ike policy … mode main`).
      aggressive: false,
      lifetime: { ikev1: { min: 180, max: 86400 }, ikev2: { min: 180, max: 86400 } },
      // An SRX ike proposal holds one encryption, one authentication algorithm and one dh-group, in IKEv1 and IKEv2.
      shape: { ikev1: { encryption: 1, integrity: 1, dh: 1 }, ikev2: { encryption: 1, integrity: 1, dh: 1 } },
      maxProposals: 4,
      // `ike gateway … local-identity (inet | hostname)` is configurable for IKEv1 as well.
      ikev1Identity: "any",
    },
    esp: {
      lifetime: { min: 180, max: 86400 },
      // An ipsec proposal holds one encryption and at most one authentication algorithm.
      shape: { encryption: 1, integrity: 1, dh: 1 },
      maxProposals: 4,
      // `ipsec policy … perfect-forward-secrecy keys <group>`: one group per tunnel.
      pfs: "one-group",
    },
    crypto: {
      objects: { ikev1: "ike proposal", ikev2: "ike proposal", esp: "ipsec proposal" },
      encryption: new Map([
        ["ENCR_AES_CBC/128", { ikev1: "aes-128-cbc", ikev2: "aes-128-cbc", esp: "aes-128-cbc" }],
        ["ENCR_AES_CBC/192", { ikev1: "aes-192-cbc", ikev2: "aes-192-cbc", esp: "aes-192-cbc" }],
        ["ENCR_AES_CBC/256", { ikev1: "aes-256-cbc", ikev2: "aes-256-cbc", esp: "aes-256-cbc" }],
        // AES-GCM with the 16-octet ICV (RFC 4106 / RFC 5282); IKE has no 192-bit GCM.
        ["ENCR_AES_GCM_ICV16/128", { ikev2: "aes-128-gcm", esp: "aes-128-gcm", aead: true, prf: "PRF_HMAC_SHA2_256/0" }],
        ["ENCR_AES_GCM_ICV16/192", { esp: "aes-192-gcm", aead: true }],
        ["ENCR_AES_GCM_ICV16/256", { ikev2: "aes-256-gcm", esp: "aes-256-gcm", aead: true, prf: "PRF_HMAC_SHA2_384/0" }],
        ["ENCR_3DES/0", { ikev1: "3des-cbc", ikev2: "3des-cbc", esp: "3des-cbc" }],
        ["ENCR_DES/0", { ikev1: "des-cbc", ikev2: "des-cbc", esp: "des-cbc" }],
      ]),
      integrity: new Map([
        ["AUTH_HMAC_MD5_96/0", { ikev1: "md5", ikev2: "md5", esp: "hmac-md5-96" }],
        ["AUTH_HMAC_SHA1_96/0", { ikev1: "sha1", ikev2: "sha1", esp: "hmac-sha1-96" }],
        ["AUTH_HMAC_SHA2_256_96/0", { esp: "hmac-sha-256-96" }],
        ["AUTH_HMAC_SHA2_256_128/0", { ikev1: "sha-256", ikev2: "sha-256", esp: "hmac-sha-256-128" }],
        ["AUTH_HMAC_SHA2_384_192/0", { ikev1: "sha-384", ikev2: "sha-384", esp: "hmac-sha-384-192" }],
        ["AUTH_HMAC_SHA2_512_256/0", { ikev1: "sha-512", ikev2: "sha-512", esp: "hmac-sha-512-256" }],
      ]),
      // No PRF keyword is written: the PRF is the HMAC of the authentication algorithm, or the AEAD cipher's (above).
      prf: "from-integrity",
      // `dh-group` (IKE) and `perfect-forward-secrecy keys` (IPsec) take the same words.
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
        ["MODP_2048_256/0", "group24"],
      ]),
    },
    // `dead-peer-detection interval 2..60 threshold 1..5`: Junos re-probes every interval, so the retry interval is
    // the interval's range; `retries` is the most Junos sends (its default threshold). The view writes
    // threshold = ceil(timeout / interval), at most 5, so the peer is declared dead about when the intent says.
    dpd: { delay: { min: 2, max: 60 }, retryInterval: { min: 2, max: 60 }, retries: 5 },
    mss: { min: 64, max: 65535 },
    mtu: { min: 256, max: 9192 },
    // `ike gateway … external-interface`: ge-0/0/0.0 is the untrust interface of the branch SRX factory configuration
    // and the one AWS's and Google Cloud's SRX samples use.
    outsideInterface: {
      command: "security ike gateway … external-interface",
      default: "ge-0/0/0.0",
      pattern: "^(?:(?:ge|xe|et|fe|mge)-[0-9]{1,2}/[0-9]{1,2}/[0-9]{1,3}|(?:reth|ae)[0-9]{1,3}|irb|vlan|lo0)\\.(?:0|[1-9][0-9]{0,4})$",
      examples: ["ge-0/0/0.0", "reth0.0", "xe-1/0/0.100"],
    },
    // vpn-monitor-options are device-wide: the device gets the smallest interval and threshold of its tunnels.
    monitor: { name: "vpn-monitor (ICMP through st0)", interval: { min: 2, max: 3600 }, failures: { min: 1, max: 65535 }, scope: "device" },
    // IPv6 (issue 16): Junos runs IKEv1 and IKEv2 over IPv6 and route-based st0 tunnels in all four modes (IPv4/IPv6
    // in IPv4/IPv6); one VPN tunnel carries both families when its st0 unit has family inet and family inet6
    // (Juniper, "IPv6 IPsec VPNs" and "Dual Stack Tunnels over an External Interface"; how many IPsec SAs the SRX
    // negotiates for the two families is not stated there: "one-sa" is the reading of "a single IPsec VPN tunnel").
    // sitewire's SRX translator writes IPv6 beside an IPv4 inside network over IPv4 outer addresses: st0 family inet6,
    // rib inet6.0 static routes, BGP family inet6 unicast. It writes no IPv6 gateways (outer) and no IPv6-only
    // tunnel (its vpn-monitor probes the IPv4 inside address).
    ipv6: {
      ipv6Only: false,
      inside: true,
      outer: [],
      dualStack: { ikeVersions: [1, 2], sas: "one-sa" },
      bgp: true,
      sources: [
        "https://www.juniper.net/documentation/us/en/software/junos/vpn-ipsec/topics/topic-map/security-ipv6-ipsec-vpns.html",
        "https://www.juniper.net/documentation/us/en/software/junos/vpn-ipsec/topics/topic-map/security-dual-stack-tunnels-over-an-external-interface.html",
      ],
    },
    tunnelKinds: ["ipsec-vti"],
    // A route-based VPN without traffic-selector/proxy-identity proposes 0.0.0.0/0 both ways and, as a responder,
    // takes the initiator's selectors.
    selectors: { proposes: "any", narrowing: true },
    interfaces: { prefix: "st0.", number: { min: 0, max: 1073741823 } },
    // Static routes over st0.N leave the table when vpn-monitor takes the unit down; BGP with BFD; no OSPF written.
    routing: {
      static: true,
      tracking: true,
      ospf: false,
      bgp: true,
      bfd: true,
      // hold-time 3..65535 or 0; keepalives every third of the hold time, not settable (sources above).
      bgpTimers: { holdTime: { min: 3, max: 65535, zero: true, command: "protocols bgp group … hold-time" }, keepalive: "third-of-hold" },
    },
    // `pre-shared-key ascii-text "<placeholder>"`.
    secret: { quote: "double" },
    numbers: [],
  },
};
