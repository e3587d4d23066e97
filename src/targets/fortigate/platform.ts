/**
 * FortiGate (FortiOS 7.0 and later) as a far-side platform: what sitewire can say on the firewall, as data
 * (src/platform/contract.ts). Every range and table below cites the vendor documentation it comes from.
 *
 * Sources:
 * - [P1] FortiOS CLI Reference, `config vpn ipsec phase1-interface` (keylife 120..172800, dpd-retrycount 0..10,
 *   dhgrp 1 2 5 14 15 16 17 18 19 20 21 27 28 29 30 31 32):
 *   https://docs.fortinet.com/document/fortigate/7.2.8/cli-reference/ (vpn ipsec phase1-interface); the proposal
 *   keyword list (des/3des/aes128/aes192/aes256 × md5/sha1/sha256/sha384/sha512, aes128gcm/aes256gcm/
 *   chacha20poly1305 × prfsha1/prfsha256/prfsha384/prfsha512) from Fortinet's own provider documentation,
 *   fortinetdev/terraform-provider-fortios website/docs/r/fortios_vpnipsec_phase1interface.html.markdown.
 * - [P2] `config vpn ipsec phase2-interface` (keylifeseconds 120..172800, proposal aes128-sha256 … aes128gcm
 *   aes256gcm chacha20poly1305, one `dhgrp` list with `pfs enable`): fortinetdev/terraform-provider-fortios
 *   website/docs/r/fortios_vpnipsec_phase2interface.html.markdown and the FortiOS CLI Reference.
 * - [NAME] Phase 1 name of an interface-mode VPN (= the tunnel interface name): at most 15 characters. FortiOS
 *   Administration Guide, "Phase 1 configuration":
 *   https://docs.fortinet.com/document/fortigate/7.4.1/administration-guide/790613/phase-1-configuration
 * - [GUI3] Phase 1 / phase 2 proposals: "a minimum of one and a maximum of three combinations" (FortiOS Handbook,
 *   IPsec VPN, https://help.fortinet.com/fos50hlp/52/FortiOS%205.2%20Help/phase1.102.18.html). Later FortiOS CLIs
 *   take longer lists (Fortinet's provider examples show four and seven); three is the documented, safe bound.
 * - [DPD] dpd-retryinterval 1..60 seconds (FortiGate CLI Reference, ipsec phase1 keywords: "The dpd-retryinterval
 *   range is 1 to 60"); on-idle probes every retry interval when no traffic arrives and declares the peer dead
 *   after dpd-retrycount unanswered probes (Fortinet Community "Technical Tip: Explanation of IPsec VPN DPD
 *   Options and On-Idle", https://community.fortinet.com/t5/FortiGate/Technical-Tip-Explanation-of-IPsec-VPN-DPD-Options-and-On-Idle/ta-p/260424).
 * - [IF] `config system interface`: tcp-mss 48..65535 (FortiOS CMDB schema, "TCP maximum segment size. 0 means do
 *   not change segment size"); mtu 256..9216 with `mtu-override enable` (FortiGate-6000 Administration Guide,
 *   "Setting the MTU for a data interface",
 *   https://docs.fortinet.com/document/fortigate/7.4.1/fortigate-6000-administration-guide/807854).
 * - [LM] `config system link-monitor` (FortiOS 7.x: interval in milliseconds 500..3600000, probe-timeout
 *   500..5000 ms, failtime 1..10 as documented in 6.4 and 7.x): FortiOS CLI Reference config system link-monitor,
 *   https://docs.fortinet.com/document/fortigate/7.2.8/cli-reference/320711343 and
 *   https://docs.fortinet.com/document/fortigate/6.4.16/cli-reference/320711343; route updates limited to the
 *   listed routes: "Link monitor with route updates",
 *   https://docs.fortinet.com/document/fortigate/7.0.1/administration-guide/647723/link-monitor-with-route-updates
 * - [BFD] BGP neighbour `set bfd enable` plus interface `set bfd enable` / `bfd-desired-min-tx` /
 *   `bfd-required-min-rx` / `bfd-detect-mult`: Fortinet Community "Technical Tip: Bidirectional Forwarding
 *   Detection (BFD) with BGP", https://community.fortinet.com/t5/FortiGate/Technical-Tip-Bidirectional-Forwarding-Detection-BFD-with-BGP/ta-p/423106
 * - [BGPT] `config router bgp` / `config neighbor`: `keep-alive-timer` 0..65535, `holdtime-timer` 3..65535 ("Interval
 *   (sec) before peer considered dead"), as the FortiOS 7.0.1 schema states them (generated into poroping's
 *   terraform-provider-fortios, router bgp neighbor: keep_alive_timer IntBetween(0, 65535), holdtime_timer
 *   IntBetween(3, 65535)); FortiOS CLI Reference, router bgp.
 * - [OUT] phase1-interface `set interface`: "Local physical, aggregate, or VLAN outgoing interface" (FortiOS CLI
 *   Reference; fortinetdev/terraform-provider-fortios fortios_vpnipsec_phase1interface), a `system interface`
 *   name; FortiOS interface names are at most 15 characters (the same schema: interface StringLenBetween(0, 15)).
 */
import type { PlatformDeclaration } from "../../platform/contract.js";

export const platform: PlatformDeclaration<"fortigate"> = {
  name: "fortigate",
  folder: "fortigate",
  title: "FortiGate",
  syntax: "fortios",
  artifact: { file: "fortios.conf", kind: "fortios-cli", text: "FortiGate (FortiOS CLI) configuration" },
  sources: [
    "https://docs.fortinet.com/document/fortigate/7.2.8/cli-reference/",
    "https://docs.fortinet.com/document/fortigate/7.4.1/administration-guide/790613/phase-1-configuration",
    "https://docs.fortinet.com/document/fortigate/7.2.8/cli-reference/320711343",
    "fortinetdev/terraform-provider-fortios fortios_vpnipsec_phase1interface / fortios_vpnipsec_phase2interface",
    "awsdocs/amazon-vpc-network-administrator-guide doc_source/fortinet.md (AWS's FortiGate sample)",
  ],
  // Lines `sitewire explain` cites (the first line containing every fragment).
  citations: { staticRoute: ["set dst {network} {mask}"], bgpNeighbor: ['edit "{neighbor}"'] },
  imports: { customer: "fortigate", netbox: /fortios|fortigate|fortinet/ },
  capabilities: {
    ike: {
      versions: [1, 2],
      // `set mode main` only: aggressive mode sends the identities in clear.
      aggressive: false,
      // [P1] keylife 120..172800 for both versions.
      lifetime: { ikev1: { min: 120, max: 172800 }, ikev2: { min: 120, max: 172800 } },
      // [P1] A phase 1 proposal word is one `<encryption>-<integrity|prf>` pair; the DH groups are one `dhgrp`
      // list per phase 1, offered with every word (so a list of groups in one proposal is fine).
      shape: { ikev1: { encryption: 1, integrity: 1, dh: Infinity }, ikev2: { encryption: 1, integrity: 1, dh: Infinity } },
      maxProposals: 3, // [GUI3]
      // FortiOS identifies an IKEv1 main-mode peer by its address; localid/peerid are for IKEv2 and aggressive mode.
      ikev1Identity: "address",
    },
    esp: {
      lifetime: { min: 120, max: 172800 }, // [P2] keylifeseconds
      shape: { encryption: 1, integrity: 1, dh: 1 }, // [P2] one `<encryption>-<integrity>` word (or an AEAD cipher) per proposal
      maxProposals: 3, // [GUI3]
      pfs: "one-group", // [P2] `set pfs enable` + one `set dhgrp` for the phase 2
    },
    crypto: {
      objects: { ikev1: "phase 1 proposal", ikev2: "phase 1 proposal", esp: "phase 2 proposal" },
      // [P1]/[P2] proposal keywords. AES-GCM in FortiOS is the 16-octet ICV transform (RFC 4106 / RFC 5282);
      // there is no 192-bit GCM keyword and no 8/12-octet ICV. GCM and ChaCha20-Poly1305 in phase 1 are IKEv2 only.
      encryption: new Map([
        ["ENCR_DES/0", { ikev1: "des", ikev2: "des", esp: "des" }],
        ["ENCR_3DES/0", { ikev1: "3des", ikev2: "3des", esp: "3des" }],
        ["ENCR_AES_CBC/128", { ikev1: "aes128", ikev2: "aes128", esp: "aes128" }],
        ["ENCR_AES_CBC/192", { ikev1: "aes192", ikev2: "aes192", esp: "aes192" }],
        ["ENCR_AES_CBC/256", { ikev1: "aes256", ikev2: "aes256", esp: "aes256" }],
        ["ENCR_AES_GCM_ICV16/128", { ikev2: "aes128gcm", esp: "aes128gcm", aead: true }],
        ["ENCR_AES_GCM_ICV16/256", { ikev2: "aes256gcm", esp: "aes256gcm", aead: true }],
        ["ENCR_CHACHA20_POLY1305/0", { ikev2: "chacha20poly1305", esp: "chacha20poly1305", aead: true }],
      ]),
      integrity: new Map([
        ["AUTH_HMAC_MD5_96/0", { ikev1: "md5", ikev2: "md5", esp: "md5" }],
        ["AUTH_HMAC_SHA1_96/0", { ikev1: "sha1", ikev2: "sha1", esp: "sha1" }],
        ["AUTH_HMAC_SHA2_256_128/0", { ikev1: "sha256", ikev2: "sha256", esp: "sha256" }],
        ["AUTH_HMAC_SHA2_384_192/0", { ikev1: "sha384", ikev2: "sha384", esp: "sha384" }],
        ["AUTH_HMAC_SHA2_512_256/0", { ikev1: "sha512", ikev2: "sha512", esp: "sha512" }],
      ]),
      // [P1] `aes256gcm-prfsha384`: only AEAD words name a PRF; `aes256-sha256` derives it from the integrity.
      prf: new Map([
        ["PRF_HMAC_SHA1/0", "prfsha1"],
        ["PRF_HMAC_SHA2_256/0", "prfsha256"],
        ["PRF_HMAC_SHA2_384/0", "prfsha384"],
        ["PRF_HMAC_SHA2_512/0", "prfsha512"],
      ]),
      prfOnlyWithAead: true,
      // [P1]/[P2] dhgrp values: IANA IKEv2 transform type 4 numbers (RFC 3526, RFC 5903, RFC 6954, RFC 8031).
      dh: new Map([
        ["MODP_768_BIT/0", "1"],
        ["MODP_1024_BIT/0", "2"],
        ["MODP_1536_BIT/0", "5"],
        ["MODP_2048_BIT/0", "14"],
        ["MODP_3072_BIT/0", "15"],
        ["MODP_4096_BIT/0", "16"],
        ["MODP_6144_BIT/0", "17"],
        ["MODP_8192_BIT/0", "18"],
        ["ECP_256_BIT/0", "19"],
        ["ECP_384_BIT/0", "20"],
        ["ECP_521_BIT/0", "21"],
        ["ECP_224_BP/0", "27"],
        ["ECP_256_BP/0", "28"],
        ["ECP_384_BP/0", "29"],
        ["ECP_512_BP/0", "30"],
        ["CURVE_25519/0", "31"],
        ["CURVE_448/0", "32"],
      ]),
    },
    // [DPD] One interval: `dpd-retryinterval` is both the idle probe interval and the retry interval. `retries` is
    // FortiOS's default dpd-retrycount; the renderer sets dpd-retrycount to ceil(timeout / interval) within
    // retryCount ([P1] 0..10; 0 would never declare the peer dead).
    dpd: { delay: { min: 1, max: 60 }, retryInterval: { min: 1, max: 60 }, retries: 3, retryCount: { min: 1, max: 10 } },
    mss: { min: 48, max: 65535 }, // [IF]
    mtu: { min: 256, max: 9216 }, // [IF]
    // [OUT] "wan1" is the first WAN port of the desktop FortiGates (60F, 40F, …); larger models name it port1.
    outsideInterface: {
      command: "vpn ipsec phase1-interface … set interface",
      default: "wan1",
      pattern: "^[A-Za-z][A-Za-z0-9_.-]{0,14}$",
      examples: ["wan1", "port1", "internal1"],
    },
    // [LM] interval in whole seconds (written in ms), probe-timeout in ms, failtime; one link-monitor per tunnel.
    monitor: { name: "link-monitor (ping)", interval: { min: 1, max: 3600 }, failures: { min: 1, max: 10 }, timeoutMs: { min: 500, max: 5000 }, scope: "tunnel" },
    // IPv6 (issue 16): FortiOS does route-based IPv6 IPsec only: phase1-interface `ip-version 6` with `remote-gw6`
    // for IPv6 gateways, IPv6 phase 2 selectors for IPv6 networks over IPv4 gateways (FortiOS 6.0 Handbook, "IPv6
    // IPsec VPNs": overview and the IPv6-over-IPv4 example), one phase 2 per family under one phase 1, so one CHILD
    // SA per family ("sa-per-family"), with IKEv1 and IKEv2 alike (a phase 2 per family is not tied to the IKE
    // version). sitewire's FortiGate translator writes IPv6 beside an IPv4 inside network over IPv4 gateways: the
    // tunnel interface's ip6-address, a second phase 2 with subnet6 selectors ::/0, address6 objects and IPv6
    // policies (srcaddr6/dstaddr6, tcp-mss-sender/-receiver = MSS − 20), router static6, BGP neighbour activate6
    // with prefix-list6 and network6 (templates/fortigate/device.hbs cites each keyword). Not written: IPv6
    // gateways (local-gw6 was not verified for FortiOS 7.x), IPv6-only tunnels (the link-monitor probes IPv4).
    ipv6: {
      ipv6Only: false,
      inside: true,
      outer: [],
      dualStack: { ikeVersions: [1, 2], sas: "sa-per-family" },
      bgp: true,
      sources: [
        "https://docs.fortinet.com/document/fortigate/6.0.0/Handbook/474236/ipsec-vpn",
        "https://docs.fortinet.com/document/fortigate/6.0.0/handbook/687583 (Site-to-site IPv6 over IPv4 VPN example)",
        "https://docs.fortinet.com/document/fortigate/6.0.4/Handbook/189912/bgp",
        "https://docs.fortinet.com/document/fortigate/6.4.0/new-features/815846/consolidated-ipv4-and-ipv6-policy-configuration",
      ],
    },
    tunnelKinds: ["ipsec-vti"],
    // Route-based: phase 2 selectors 0.0.0.0/0 both ways; as responder FortiOS accepts a narrower proposal.
    selectors: { proposes: "any", narrowing: true },
    // [NAME] "sitewire-" (9) + at most 6 digits = the 15-character limit of an interface-mode phase 1 name. The
    // firewall policy ids (1000000000 + number × 10) stay below FortiManager's 1071741824 (see names.ts).
    interfaces: { prefix: "sitewire-", number: { min: 1, max: 999999 } },
    // Static routes withdrawn by the link-monitor ([LM]); BGP with BFD ([BFD]). No OSPF redistribution.
    routing: {
      static: true,
      tracking: true,
      ospf: false,
      bgp: true,
      bfd: true,
      // [BGPT] per neighbour; a hold time of 0 is not accepted.
      bgpTimers: { holdTime: { min: 3, max: 65535, zero: false, command: "set holdtime-timer" }, keepalive: { min: 0, max: 65535, command: "set keep-alive-timer" } },
    },
    // `set psksecret "<placeholder>"`: a FortiOS string in double quotes.
    secret: { quote: "double" },
    // Everything else sitewire numbers on the device derives from the tunnel number (names.ts).
    numbers: [],
  },
};
