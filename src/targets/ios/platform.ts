/**
 * Cisco IOS / IOS XE as a far-side platform: what sitewire can say on a router, as data (src/platform/contract.ts).
 *
 * Sources:
 * - isakmp policy (`encr`, `hash`, `group`, `lifetime`) and transform-set keywords: batfish/batfish
 *   projects/batfish/src/main/antlr4/org/batfish/grammar/cisco/Cisco_crypto.g4 (cispol_*, ipsec_encryption,
 *   ipsec_authentication, dh_group) and AWS's generated IOS sample (reference.md "Cisco IOS").
 * - IKEv2 proposal values (aes-cbc-128/192/256, aes-gcm-128/256, integrity/prf md5 sha1 sha256 sha384 sha512,
 *   groups 1 2 14 15 16 19 20 21 24): CiscoDevNet/terraform-provider-iosxe gen/definitions/crypto_ikev2_proposal.yaml
 *   (the IOS XE YANG model).
 * - esp-sha384-hmac is not in the Batfish grammar; it appears in IOS XE configurations and Cisco's
 *   "Configuring Security for VPNs with IPsec" transform table, so it is accepted here.
 * - AES-GCM: IOS's `esp-gcm 128|256` and IKEv2 `aes-gcm-128|256` are the Suite B / NGE transforms of
 *   RFC 6379, which fix the 16-octet ICV (IKEv2 transform ENCR_AES_GCM_16); IOS has no keyword for an 8- or
 *   12-octet ICV, no 192-bit GCM in the IOS XE model above, and no AES-CCM or ChaCha20-Poly1305.
 * - Ranges: Cisco IOS Security Command Reference (crypto isakmp policy `lifetime` 60..86400, crypto ikev2 profile
 *   `lifetime` 120..86400, `set security-association lifetime seconds` 120..2592000, isakmp profile `keepalive`
 *   10..3600 retry 2..60, `ip tcp adjust-mss` 500..1460); IP SLAs Command Reference (`frequency` 1..604800,
 *   `timeout` in ms, at most the frequency; `ip sla` 1..2147483647; `track` 1..1000).
 */
import type { PlatformDeclaration } from "../../platform/contract.js";

export const platform: PlatformDeclaration<"cisco-ios"> = {
  name: "cisco-ios",
  folder: "ios",
  title: "Cisco IOS",
  syntax: "ios",
  artifact: { file: "ios.cfg", kind: "cisco-ios", text: "Cisco IOS configuration" },
  sources: [
    "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/security/m1/sec-m1-cr-book.html",
    "https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/ipsla/command/sla-cr-book.html",
    "batfish/batfish Cisco_crypto.g4",
    "CiscoDevNet/terraform-provider-iosxe crypto_ikev2_proposal.yaml",
  ],
  // Lines `sitewire explain` cites (the first line containing every fragment).
  citations: { staticRoute: ["ip route {network} {mask} {interface} "], bgpNeighbor: ["neighbor {neighbor} remote-as"] },
  imports: { customer: "ios", netbox: /(?:^|[^a-z])ios|cisco/ },
  capabilities: {
    ike: {
      versions: [1, 2],
      // sitewire configures IKEv1 main mode only (main mode protects the identities).
      aggressive: false,
      lifetime: { ikev1: { min: 60, max: 86400, command: "crypto isakmp policy lifetime" }, ikev2: { min: 120, max: 86400, command: "crypto ikev2 profile lifetime" } },
      // An isakmp policy holds one of each; an IKEv2 proposal holds lists.
      shape: { ikev1: { encryption: 1, integrity: 1, dh: 1 }, ikev2: { encryption: Infinity, integrity: Infinity, dh: Infinity } },
      maxProposals: 100,
      ikev1Identity: "address",
      // An isakmp policy matches only when the initiator's lifetime is at most the policy's (Cisco IOS Security
      // Configuration Guide, "Configuring Internet Key Exchange for IPsec VPNs": lifetime matching).
      ikev1Lifetime: "at-most-own",
    },
    esp: {
      lifetime: { min: 120, max: 2592000, command: "set security-association lifetime seconds" },
      // `crypto ipsec transform-set NAME <transforms>`: one encryption and at most one authentication transform.
      shape: { encryption: 1, integrity: 1, dh: 1 },
      maxProposals: 100,
      pfs: "one-group",
    },
    crypto: {
      objects: { ikev1: "isakmp policy", ikev2: "IKEv2 proposal", esp: "transform set" },
      encryption: new Map([
        ["ENCR_AES_CBC/128", { ikev1: "aes 128", ikev2: "aes-cbc-128", esp: "esp-aes 128" }],
        ["ENCR_AES_CBC/192", { ikev1: "aes 192", ikev2: "aes-cbc-192", esp: "esp-aes 192" }],
        ["ENCR_AES_CBC/256", { ikev1: "aes 256", ikev2: "aes-cbc-256", esp: "esp-aes 256" }],
        ["ENCR_AES_GCM_ICV16/128", { ikev2: "aes-gcm-128", esp: "esp-gcm 128", aead: true }],
        ["ENCR_AES_GCM_ICV16/256", { ikev2: "aes-gcm-256", esp: "esp-gcm 256", aead: true }],
        ["ENCR_3DES/0", { ikev1: "3des", ikev2: "3des", esp: "esp-3des" }],
        ["ENCR_DES/0", { ikev1: "des", esp: "esp-des" }],
      ]),
      integrity: new Map([
        ["AUTH_HMAC_MD5_96/0", { ikev1: "md5", ikev2: "md5", esp: "esp-md5-hmac" }],
        ["AUTH_HMAC_SHA1_96/0", { ikev1: "sha", ikev2: "sha1", esp: "esp-sha-hmac" }],
        ["AUTH_HMAC_SHA2_256_128/0", { ikev1: "sha256", ikev2: "sha256", esp: "esp-sha256-hmac" }],
        ["AUTH_HMAC_SHA2_384_192/0", { ikev1: "sha384", ikev2: "sha384", esp: "esp-sha384-hmac" }],
        ["AUTH_HMAC_SHA2_512_256/0", { ikev1: "sha512", ikev2: "sha512", esp: "esp-sha512-hmac" }],
      ]),
      prf: new Map([
        ["PRF_HMAC_MD5/0", "md5"],
        ["PRF_HMAC_SHA1/0", "sha1"],
        ["PRF_HMAC_SHA2_256/0", "sha256"],
        ["PRF_HMAC_SHA2_384/0", "sha384"],
        ["PRF_HMAC_SHA2_512/0", "sha512"],
      ]),
      // Diffie-Hellman group numbers (RFC 3526 / RFC 5903 / RFC 5114 numbering, as IOS uses them).
      dh: new Map([
        ["MODP_768_BIT/0", "1"],
        ["MODP_1024_BIT/0", "2"],
        ["MODP_1536_BIT/0", "5"],
        ["MODP_2048_BIT/0", "14"],
        ["MODP_3072_BIT/0", "15"],
        ["MODP_4096_BIT/0", "16"],
        ["ECP_256_BIT/0", "19"],
        ["ECP_384_BIT/0", "20"],
        ["ECP_521_BIT/0", "21"],
        ["MODP_2048_256/0", "24"],
      ]),
    },
    // `keepalive <s> retry <r>` / `dpd <s> <r> on-demand`: IOS sends five retries before declaring the peer dead.
    dpd: { delay: { min: 10, max: 3600 }, retryInterval: { min: 2, max: 60 }, retries: 5 },
    mss: { min: 500, max: 1460 },
    // IKE is bound to the router's address (`local-address <address>`, `tunnel source <address>`), never to an
    // interface name: `peers.<p>.interface` would change nothing, so SW208 refuses it.
    outsideInterface: "not-used",
    // One IP SLA operation and one track object per tunnel.
    monitor: { name: "IP SLA icmp-echo + track", interval: { min: 1, max: 604800 }, timeoutMs: { min: 1, max: 604800000 }, scope: "tunnel" },
    // IPv6 (issue 16). An IPv6 inside (inside6, or an IPv6-only inside): `ipv6 address`, `ipv6 tcp adjust-mss`, `ipv6
    // route … tag … track …` (ansible-collections/cisco.ios rm_templates/static_routes.py, ipv6 parser), BGP
    // `address-family ipv6` with `neighbor … activate`. IPv6 outer addresses: `tunnel mode ipsec ipv6` with IPv6
    // `tunnel source`/`destination` (Cisco IOS XE 17 Security and VPN Configuration Guide, "IPv6 Virtual Tunnel
    // Interface"), the IKEv2 keyring peer `address <ipv6>/128` and profile `match identity remote address <ipv6>/128`
    // (IOS XE YANG via CiscoDevNet/terraform-provider-iosxe crypto_ikev2_keyring.yaml / crypto_ikev2_profile.yaml,
    // ipv6-prefix); sitewire writes IKEv1 keyrings for IPv4 only. A static VTI negotiates one IPsec SA, selector "IP
    // any any" of its mode (Cisco IOS XE 17 "IPsec Virtual Tunnel Interfaces", restrictions): both families in one
    // tunnel take `tunnel mode ipsec dual-overlay`, the FlexVPN (IKEv2) mode with an IPsec SA per family
    // (CiscoTestAutomation/genielibs apis/iosxe/flexvpn/configure.py and dmvpn/configure.py).
    ipv6: {
      ipv6Only: true,
      inside: true,
      outer: [2],
      dualStack: { ikeVersions: [2], sas: "sa-per-family" },
      bgp: true,
      sources: [
        "https://www.cisco.com/c/en/us/td/docs/routers/ios/config/17-x/sec-vpn/b-security-vpn/m_ip6-ipsec-vti.html",
        "https://www.cisco.com/c/en/us/td/docs/routers/ios/config/17-x/sec-vpn/b-security-vpn/m_sec-ipsec-virt-tunnl-0.html",
        "CiscoDevNet/terraform-provider-iosxe crypto_ikev2_keyring.yaml, crypto_ikev2_profile.yaml",
        "CiscoTestAutomation/genielibs apis/iosxe/flexvpn/configure.py (tunnel mode ipsec dual-overlay)",
        "ansible-collections/cisco.ios rm_templates/static_routes.py (ipv6 route)",
      ],
    },
    tunnelKinds: ["ipsec-vti"],
    selectors: { proposes: "any", narrowing: true },
    interfaces: { prefix: "Tunnel", number: { min: 0, max: 2147483647 } },
    routing: {
      static: true,
      tracking: true,
      ospf: true,
      bgp: true,
      bfd: true,
      // `neighbor <ip> timers <keepalive> <holdtime>`: both 0..65535 in the IOS XE model (CiscoDevNet/
      // terraform-provider-iosxe docs/resources/bgp_neighbor: timers_keepalive_interval, timers_holdtime "Range:
      // 0-65535"); a hold time of 1 or 2 is not a BGP hold time (RFC 4271 section 4.2), so 0 or 3..65535.
      bgpTimers: { holdTime: { min: 3, max: 65535, zero: true, command: "neighbor timers" }, keepalive: { min: 0, max: 65535, command: "neighbor timers" } },
    },
    secret: { quote: "none" },
    numbers: [
      { what: "ip sla", setting: "monitor.slaId", range: { min: 1, max: 2147483647 } },
      { what: "track", setting: "monitor.trackId", range: { min: 1, max: 1000 } },
      { what: "isakmp policy", setting: "number", range: { min: 1, max: 10000 }, perIkev1Proposal: true },
    ],
  },
};
