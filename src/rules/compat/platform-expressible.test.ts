import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { platformExpressible } from "./platform-expressible.js";
import { bgpSite, bgpTunnel } from "../../../test/fixtures/rules/bgp-sites.js";
import type { PlatformCapabilities, PlatformDeclaration } from "../../platform/contract.js";
import { platform as ios } from "../../targets/ios/platform.js";
import { compatSite, secondTunnel, withSecondGateway } from "../../../test/helpers/compat-site.js";

/** The rule reads only capability data: a made-up platform (IOS's data, changed) shows each check on its own. */
const madeUp = (change: (c: PlatformCapabilities) => PlatformCapabilities): PlatformDeclaration[] => [{ ...ios, title: "Example OS", capabilities: change(ios.capabilities) }];
const IOS_BGP_PEER = "{ platform: cisco-ios, address: 203.0.113.1, routing: { bgp: { as: 65020 } } }";
const SRX_BGP_PEER = "{ platform: juniper-srx, address: 203.0.113.1, routing: { bgp: { as: 65020 } } }";
const PANOS_BGP_PEER = "{ platform: paloalto-panos, address: 203.0.113.1, interface: ethernet1/1, routing: { bgp: { as: 65020 } } }";
/** The compat site with its router on another registered platform (its peer lines, e.g. an interface, via `peer`). */
const on = (platform: string, parts: Parameters<typeof compatSite>[0] = {}) => compatSite(parts).replace("platform: cisco-ios", `platform: ${platform}`);
const PANOS = "    interface: ethernet1/1";
/** A made-up platform that needs its outside interface named, as `eth<n>`. */
const needsInterface = (fallback: string) =>
  madeUp((c) => ({ ...c, outsideInterface: { command: "gateway outside-interface", default: fallback, pattern: "^eth[0-9]$", examples: ["eth0", "eth1"] } }));
const EX = { peer: "rtr", platform: "Example OS" };
const T = (platform: string) => ({ tunnel: "vpn1", peer: "rtr", platform });
const B = (platform: string) => ({ tunnel: "a", peer: "far", platform });

testRule(platformExpressible, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "IKEv1 with AES-CBC, SHA-256 and group 15", site: compatSite() },
    { name: "IKEv2 with AES-GCM and an explicit PRF", site: compatSite({ ike: "{ version: 2, proposals: [aes256gcm16-prfsha384-ecp384] }", esp: "{ proposals: [aes256gcm16-ecp384] }" }) },
    { name: "IKEv2 with a name identity", site: compatSite({ ike: "{ version: 2, proposals: [aes256-sha256-modp3072] }", peer: "    identity: rtr.example.net" }) },
    { name: "IKEv2 and ESP with the ICV written in bits: aes128gcm128 is IOS's aes-gcm-128 / esp-gcm 128", site: compatSite({ ike: "{ version: 2, proposals: [aes128gcm128-prfsha256-ecp256] }", esp: "{ proposals: [aes256gcm128-ecp384] }" }) },
    { name: "two gateways bring different keys to one router", site: withSecondGateway(compatSite({ more: secondTunnel("gw2", 20) })) },
    { name: "GCM in IKEv1 is not valid for strongSwan either: left to SW123", site: compatSite({ ike: "{ version: 1, proposals: [aes256gcm16-prfsha384-ecp384] }" }) },
    { name: "an IP SLA timeout equal to the interval, and a tunnel number apart from the key", site: compatSite({ tunnel: "    monitor: { interval: 3s, timeout: 3000ms }\n    number: 7" }) },
    { name: "a policy-based tunnel to a strongSwan peer", site: compatSite({ tunnel: "    kind: ipsec-policy" }).replace("platform: cisco-ios", "platform: strongswan") },
    // Outside interface
    { name: "an SRX without an interface gets the platform's default", site: on("juniper-srx") },
    { name: "an SRX redundant-ethernet interface", site: on("juniper-srx", { peer: "    interface: reth0.0" }) },
    { name: "a FortiGate port", site: on("fortigate", { peer: "    interface: port1" }) },
    { name: "a PAN-OS ethernet subinterface", site: on("paloalto-panos", { peer: "    interface: ethernet1/3.100" }) },
    { name: "a made-up platform with a default outside interface, none in the intent", site: compatSite(), platforms: needsInterface("eth0") },
    { name: "a made-up platform that requires one, named in its form", site: compatSite({ peer: "    interface: eth1" }), platforms: needsInterface("required") },
    // MSS and MTU where the platform derives its MSS from the MTU
    { name: "PAN-OS with an MTU and the MSS it derives (1360 = 1400 − 40)", site: on("paloalto-panos", { peer: PANOS, tunnel: "    mtu: 1400\n    mss: 1360" }) },
    { name: "PAN-OS, with the host end's own MSS in an override", site: on("paloalto-panos", { peer: PANOS, tunnel: "    overrides:\n      gw: { mss: 1300 }" }) },
    { name: "PAN-OS, an MTU override on the device end makes the tunnel's mss the host's only", site: on("paloalto-panos", { peer: PANOS, tunnel: "    mss: 1300\n    overrides:\n      rtr: { mtu: 1340 }" }) },
    // BGP timers
    { name: "Junos: a keepalive of a third of the hold time, written or derived", site: bgpSite(bgpTunnel("a", { bgp: "{ holdTime: 30s, keepalive: 10s }" }) + "\n" + bgpTunnel("b", { key: 2, bgp: "{ holdTime: 90s }" }), { peer: SRX_BGP_PEER }) },
    { name: "PAN-OS: timers within its connection options", site: bgpSite(bgpTunnel("a", { bgp: "{ holdTime: 3600s, keepalive: 1200s }" }), { peer: PANOS_BGP_PEER }) },
  ],
  invalid: [
    {
      name: "a policy-based tunnel to a router",
      site: compatSite({ tunnel: "    kind: ipsec-policy" }),
      errors: [{ at: "25:11", token: "ipsec-policy", message: "tunnel 'vpn1': Cisco IOS peers get ipsec-vti tunnels only; 'ipsec-policy' cannot be rendered" }],
    },
    {
      name: "a DH group strongSwan has and IOS has not, in an isakmp proposal",
      site: compatSite({ ike: "{ version: 1, proposals: [aes256-sha256-modp6144] }" }),
      errors: [
        {
          at: "18:36",
          token: "aes256-sha256-modp6144",
          message: "tunnel 'vpn1' on rtr: 'modp6144' in proposal 'aes256-sha256-modp6144' cannot be expressed in Cisco IOS's isakmp policy",
          hint: "use modp2048, modp3072, modp4096, ecp256, ecp384 or ecp521",
        },
      ],
    },
    {
      name: "GCM with a 64- or 96-bit ICV, and 192-bit GCM, have no IOS words: positioned at each proposal",
      site: compatSite({ ike: "{ version: 2, proposals: [aes256gcm16-prfsha384-ecp384, aes128gcm96-prfsha256-ecp256] }", esp: "{ proposals: [aes128gcm64-ecp384, aes192gcm128-ecp384, aes128ccm16-ecp384] }" }),
      errors: [
        {
          at: "18:66",
          token: "aes128gcm96-prfsha256-ecp256",
          message: "tunnel 'vpn1' on rtr: 'aes128gcm96' in proposal 'aes128gcm96-prfsha256-ecp256' cannot be expressed in Cisco IOS's IKEv2 proposal",
          hint: "Cisco IOS's AES-GCM has a 128-bit (16-octet) ICV only, 'aes128gcm96' has 96 bits; use aes128gcm16 (= aes128gcm128)",
        },
        {
          at: "19:24",
          token: "aes128gcm64-ecp384",
          message: "tunnel 'vpn1' on rtr: 'aes128gcm64' in proposal 'aes128gcm64-ecp384' cannot be expressed in Cisco IOS's transform set",
          hint: "Cisco IOS's AES-GCM has a 128-bit (16-octet) ICV only, 'aes128gcm64' has 64 bits; use aes128gcm16 (= aes128gcm128)",
        },
        {
          at: "19:44",
          token: "aes192gcm128-ecp384",
          message: "tunnel 'vpn1' on rtr: 'aes192gcm128' in proposal 'aes192gcm128-ecp384' cannot be expressed in Cisco IOS's transform set",
          hint: "use aes128gcm16 or aes256gcm16",
        },
        {
          at: "19:65",
          token: "aes128ccm16-ecp384",
          message: "tunnel 'vpn1' on rtr: 'aes128ccm16' in proposal 'aes128ccm16-ecp384' cannot be expressed in Cisco IOS's transform set",
          hint: "use aes128gcm16 or aes256gcm16",
        },
      ],
    },
    {
      name: "a PFS group IOS does not have, on the router's override",
      site: compatSite({ esp: "{ proposals: [aes256-sha256-curve25519] }", tunnel: "    overrides:\n      gw: { esp: { proposals: [aes256-sha256-curve25519] } }\n      rtr:\n        esp: { proposals: [aes256-sha256-curve25519] }" }),
      errors: [{ at: "28:28", token: "aes256-sha256-curve25519", message: "tunnel 'vpn1' on rtr: PFS group 'curve25519' cannot be expressed on Cisco IOS" }],
    },
    {
      name: "two algorithms of one kind in an ESP proposal",
      site: compatSite({ esp: "{ proposals: [aes256-aes128-sha256-modp3072] }" }),
      errors: [
        {
          at: "19:24",
          token: "aes256-aes128-sha256-modp3072",
          message:
            "tunnel 'vpn1' on rtr: ESP proposal 'aes256-aes128-sha256-modp3072' lists several algorithms of one kind; Cisco IOS's transform set holds one encryption algorithm, one integrity algorithm",
        },
      ],
    },
    {
      name: "an isakmp lifetime beyond a day",
      site: compatSite({ ike: "{ version: 1, proposals: [aes256-sha256-modp3072], lifetime: 2d }" }),
      errors: [{ at: "18:71", token: "2d", message: "tunnel 'vpn1' on rtr: 2d is outside the range of Cisco IOS 'crypto isakmp policy lifetime' (60..86400 seconds)" }],
    },
    {
      name: "jumbo MTU: the derived MSS is beyond ip tcp adjust-mss",
      site: compatSite({ tunnel: "    mtu: 9000" }),
      errors: [{ at: "25:10", token: "9000", message: "tunnel 'vpn1' on rtr: MSS 8960 is outside the range Cisco IOS can clamp to (500..1460)" }],
    },
    {
      name: "a probe interval below one second",
      site: compatSite({ tunnel: "    monitor: { interval: 500ms }" }),
      errors: [{ at: "25:26", token: "500ms", message: "tunnel 'vpn1' on rtr: the Cisco IOS monitor (IP SLA icmp-echo + track) probes every whole second from 1 to 604800; 500ms cannot be expressed" }],
    },
    {
      name: "an IP SLA timeout longer than the probe interval (IOS refuses timeout > frequency)",
      site: compatSite({ tunnel: "    monitor: { interval: 3s, timeout: 4s }" }),
      errors: [{ at: "25:39", token: "4s", message: "tunnel 'vpn1' on rtr: the monitor's probe timeout 4s must be a whole number of milliseconds from 1ms to the probe interval (3s); Cisco IOS refuses a timeout longer than the interval" }],
    },
    {
      name: "an explicit tunnel number another tunnel on the router already has: blamed on `number`",
      site: withSecondGateway(compatSite({ more: secondTunnel("gw2", 20) + "\n    number: 10\n" })),
      errors: [{ at: "36:13", token: "10", message: "tunnel 'vpn2' on rtr: Tunnel interface 10 is already used by tunnel 'vpn1' on this device" }],
    },
    {
      name: "IKEv1 aggressive mode towards a router",
      site: compatSite({ ike: "{ version: 1, aggressive: true, proposals: [aes256-sha256-modp3072] }" }),
      errors: [{ at: "18:36", token: "true", message: "tunnel 'vpn1' on rtr: sitewire configures Cisco IOS for IKEv1 main mode only; aggressive mode would not match" }],
    },
    {
      name: "an IKEv1 router identified by its public address",
      site: compatSite({ peer: "    identity: 52.0.0.1" }),
      errors: [{ at: "15:15", token: "52.0.0.1", message: "peer 'rtr' has identity 52.0.0.1, but Cisco IOS on IKEv1 identifies itself by its local address 10.10.1.1" }],
    },
    {
      name: "two gateways bring the same key to one router",
      site: withSecondGateway(compatSite({ more: secondTunnel("gw2", 10) })),
      errors: [
        { at: "35:10", token: "10", message: "tunnel 'vpn2' on rtr: Tunnel interface 10 is already used by tunnel 'vpn1' on this device" },
        { at: "35:10", token: "10", message: "tunnel 'vpn2' on rtr: ip sla 10 is already used by tunnel 'vpn1' on this device" },
        { at: "35:10", token: "10", message: "tunnel 'vpn2' on rtr: track 10 is already used by tunnel 'vpn1' on this device" },
      ],
    },
    {
      name: "a key beyond the IOS track range, used as the default track id",
      site: compatSite({ key: "3000", tunnel: "    table: 30" }),
      errors: [{ at: "22:10", token: "3000", message: "tunnel 'vpn1' on rtr: track 3000 is outside the Cisco IOS range 1..1000" }],
    },
      {
      name: "a platform without IKEv1 (made-up capability data)",
      site: compatSite(),
      platforms: madeUp((c) => ({ ...c, ike: { ...c.ike, versions: [2] } })),
      errors: [{ at: "18:21", token: "1", message: "tunnel 'vpn1' on rtr: Example OS cannot run IKEv1" }],
    },
    {
      name: "more failed probes than the platform's monitor counts (made-up capability data)",
      site: compatSite({ tunnel: "    monitor: { failures: 5 }" }),
      platforms: madeUp((c) => ({ ...c, monitor: { ...c.monitor, failures: { min: 1, max: 3 } } })),
      errors: [{ at: "25:26", token: "5", message: "tunnel 'vpn1' on rtr: Example OS declares a tunnel down after 1 to 3 failed probes; 5 cannot be expressed" }],
    },
    {
      name: "BGP towards a platform without BGP (made-up capability data)",
      site: bgpSite(bgpTunnel("a", { bgp: "{ preference: primary }" }), { peer: IOS_BGP_PEER }),
      platforms: madeUp((c) => ({ ...c, routing: { ...c.routing, bgp: false } })),
      errors: [{ at: "19:5", token: "bgp", message: "tunnel 'a' on far: sitewire cannot configure BGP on Example OS" }],
    },
    // Outside interface
    {
      name: "an interface on a router that binds IKE to its address",
      site: compatSite({ peer: "    interface: Gi0/0" }),
      errors: [{ at: "15:16", token: "Gi0/0", messageId: "interfaceUnused", data: { peer: "rtr", platform: "Cisco IOS", interface: "Gi0/0" }, hint: "remove interface" }],
    },
    {
      name: "an interface on a strongSwan peer (sitewire writes no device configuration for it)",
      site: compatSite({ peer: "    interface: eth0", tunnel: "    kind: ipsec-policy" }).replace("platform: cisco-ios", "platform: strongswan"),
      errors: [{ at: "15:16", token: "eth0", messageId: "interfaceUnused", data: { peer: "rtr", platform: "strongswan", interface: "eth0" } }],
    },
    {
      name: "PAN-OS without its outside interface: no safe default, asked for at the peer",
      site: on("paloalto-panos"),
      errors: [
        {
          at: "11:3",
          token: "rtr",
          messageId: "interfaceMissing",
          data: { peer: "rtr", platform: "Palo Alto PAN-OS", command: "network ike gateway … local-address interface" },
          hint: "set peers.rtr.interface to the interface that holds 10.10.1.1, e.g. ethernet1/1",
        },
      ],
    },
    {
      name: "a Junos-style name on a FortiGate",
      site: on("fortigate", { peer: "    interface: ge-0/0/0.0" }),
      errors: [{ at: "15:16", token: "ge-0/0/0.0", messageId: "interfaceName", data: { peer: "rtr", platform: "FortiGate", interface: "ge-0/0/0.0", command: "vpn ipsec phase1-interface … set interface" } }],
    },
    {
      name: "an SRX interface without its logical unit",
      site: on("juniper-srx", { peer: "    interface: ge-0/0/1" }),
      errors: [
        {
          at: "15:16",
          token: "ge-0/0/1",
          messageId: "interfaceName",
          data: { peer: "rtr", platform: "Juniper SRX", interface: "ge-0/0/1", command: "security ike gateway … external-interface" },
          hint: "name it as Juniper SRX does, e.g. ge-0/0/0.0, reth0.0, xe-1/0/0.100",
        },
      ],
    },
    {
      name: "a made-up platform that requires its outside interface (made-up capability data)",
      site: compatSite(),
      platforms: needsInterface("required"),
      errors: [{ at: "11:3", token: "rtr", messageId: "interfaceMissing", data: { ...EX, command: "gateway outside-interface" } }],
    },
    // MSS and MTU
    {
      name: "an explicit MSS on PAN-OS, which clamps to MTU − 40 by itself",
      site: on("paloalto-panos", { peer: PANOS, tunnel: "    mss: 1300" }),
      errors: [
        {
          at: "26:10",
          token: "1300",
          messageId: "mssFixed",
          data: { ...T("Palo Alto PAN-OS"), mss: 1300, overhead: 40, derived: 1360 },
          hint: "drop mss: the device's MSS follows its MTU (1400 − 40); for MSS 1300 set its MTU to 1340 (overrides.rtr.mtu), or give the host end its own mss (overrides.gw.mss)",
        },
      ],
    },
    {
      name: "an MSS override for the PAN-OS end",
      site: on("paloalto-panos", { peer: PANOS, tunnel: "    overrides:\n      rtr: { mss: 1200 }" }),
      errors: [{ at: "27:19", token: "1200", messageId: "mssFixed", data: { ...T("Palo Alto PAN-OS"), mss: 1200, overhead: 40, derived: 1360 } }],
    },
    {
      name: "a jumbo MTU on PAN-OS, beyond its tunnel interface without jumbo frames",
      site: on("paloalto-panos", { peer: PANOS, tunnel: "    mtu: 9000" }),
      errors: [{ at: "26:10", token: "9000", messageId: "mtu", data: { ...T("Palo Alto PAN-OS"), mtu: 9000, min: 576, max: 1500 } }],
    },
    {
      name: "an MTU override of the device end below the platform's range (made-up capability data)",
      site: compatSite({ tunnel: "    overrides:\n      rtr: { mtu: 1000 }" }),
      platforms: madeUp((c) => ({ ...c, mtu: { min: 1280, max: 1500 } })),
      errors: [{ at: "26:19", token: "1000", messageId: "mtu", data: { tunnel: "vpn1", ...EX, mtu: 1000, min: 1280, max: 1500 } }],
    },
    // Routing
    {
      name: "OSPF towards an SRX, which sitewire configures without OSPF",
      site: on("juniper-srx", { peer: "    routing: { ospf: { process: 1 } }" }),
      errors: [{ at: "15:16", token: "ospf", messageId: "routing", data: { peer: "rtr", platform: "Juniper SRX", feature: "OSPF" } }],
    },
    // BGP timers
    {
      name: "a keepalive on Junos other than a third of the hold time",
      site: bgpSite(bgpTunnel("a", { bgp: "{ holdTime: 30s, keepalive: 5s }" }), { peer: SRX_BGP_PEER }),
      errors: [
        {
          at: "19:38",
          token: "5s",
          messageId: "keepaliveFixed",
          data: { ...B("Juniper SRX"), holdTime: "30s", value: "5s" },
          hint: "drop bgp.keepalive (it defaults to a third of the hold time), or set bgp.holdTime: 15s",
        },
      ],
    },
    {
      name: "a hold time beyond PAN-OS's connection options",
      site: bgpSite(bgpTunnel("a", { bgp: "{ holdTime: 7200s }" }), { peer: PANOS_BGP_PEER }),
      errors: [{ at: "19:22", token: "7200s", messageId: "holdTime", data: { ...B("Palo Alto PAN-OS"), allowed: "3 to 3600 seconds", command: "connection-options hold-time", value: "7200s" } }],
    },
    {
      name: "a keepalive beyond the platform's range, derived from the hold time (made-up capability data)",
      site: bgpSite(bgpTunnel("a", { bgp: "{ holdTime: 90s }" }), { peer: IOS_BGP_PEER }),
      platforms: madeUp((c) => ({ ...c, routing: { ...c.routing, bgpTimers: { holdTime: { min: 3, max: 65535, zero: true }, keepalive: { min: 1, max: 20 } } } })),
      errors: [{ at: "19:22", token: "90s", messageId: "keepalive", data: { ...B("Example OS"), min: 1, max: 20, command: "keepalive", value: "30s" } }],
    },
  ],
});
