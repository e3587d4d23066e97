import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { iosExpressible } from "./ios-expressible.js";
import { compatSite, secondTunnel, withSecondGateway } from "./site-fixture.js";

testRule(iosExpressible, {
  valid: [
    { name: "IKEv1 with AES-CBC, SHA-256 and group 15", site: compatSite() },
    { name: "IKEv2 with AES-GCM and an explicit PRF", site: compatSite({ ike: "{ version: 2, proposals: [aes256gcm16-prfsha384-ecp384] }", esp: "{ proposals: [aes256gcm16-ecp384] }" }) },
    { name: "IKEv2 with a name identity", site: compatSite({ ike: "{ version: 2, proposals: [aes256-sha256-modp3072] }", peer: "    identity: rtr.example.net" }) },
    { name: "IKEv2 and ESP with the ICV written in bits: aes128gcm128 is IOS's aes-gcm-128 / esp-gcm 128", site: compatSite({ ike: "{ version: 2, proposals: [aes128gcm128-prfsha256-ecp256] }", esp: "{ proposals: [aes256gcm128-ecp384] }" }) },
    { name: "two gateways bring different keys to one router", site: withSecondGateway(compatSite({ more: secondTunnel("gw2", 20) })) },
    { name: "GCM in IKEv1 is not valid for strongSwan either: left to SW123", site: compatSite({ ike: "{ version: 1, proposals: [aes256gcm16-prfsha384-ecp384] }" }) },
    { name: "an IP SLA timeout equal to the interval, and a tunnel number apart from the key", site: compatSite({ tunnel: "    monitor: { interval: 3s, timeout: 3000ms }\n    number: 7" }) },
    { name: "a policy-based tunnel to a strongSwan peer", site: compatSite({ tunnel: "    kind: ipsec-policy" }).replace("platform: cisco-ios", "platform: strongswan") },
  ],
  invalid: [
    {
      name: "a policy-based tunnel to a router",
      site: compatSite({ tunnel: "    kind: ipsec-policy" }),
      errors: [{ at: "25:11", token: "ipsec-policy", message: "tunnel 'vpn1': cisco-ios peers get route-based tunnels only (a Tunnel interface with tunnel protection); 'ipsec-policy' cannot be rendered" }],
    },
    {
      name: "a DH group strongSwan has and IOS has not, in an isakmp proposal",
      site: compatSite({ ike: "{ version: 1, proposals: [aes256-sha256-modp6144] }" }),
      errors: [
        {
          at: "18:36",
          token: "aes256-sha256-modp6144",
          message: "tunnel 'vpn1' on rtr: 'modp6144' in proposal 'aes256-sha256-modp6144' cannot be expressed in an IOS isakmp policy",
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
          message: "tunnel 'vpn1' on rtr: 'aes128gcm96' in proposal 'aes128gcm96-prfsha256-ecp256' cannot be expressed in an IOS IKEv2 proposal",
          hint: "IOS's AES-GCM has a 128-bit (16-octet) ICV only, 'aes128gcm96' has 96 bits; use aes128gcm16 (= aes128gcm128)",
        },
        {
          at: "19:24",
          token: "aes128gcm64-ecp384",
          message: "tunnel 'vpn1' on rtr: 'aes128gcm64' in proposal 'aes128gcm64-ecp384' cannot be expressed in an IOS transform set",
          hint: "IOS's AES-GCM has a 128-bit (16-octet) ICV only, 'aes128gcm64' has 64 bits; use aes128gcm16 (= aes128gcm128)",
        },
        {
          at: "19:44",
          token: "aes192gcm128-ecp384",
          message: "tunnel 'vpn1' on rtr: 'aes192gcm128' in proposal 'aes192gcm128-ecp384' cannot be expressed in an IOS transform set",
          hint: "IOS's AES-GCM has 128- and 256-bit keys only; use aes128gcm16 or aes256gcm16",
        },
        {
          at: "19:65",
          token: "aes128ccm16-ecp384",
          message: "tunnel 'vpn1' on rtr: 'aes128ccm16' in proposal 'aes128ccm16-ecp384' cannot be expressed in an IOS transform set",
          hint: "IOS has no AES_CCM; use aes128gcm16 or aes256gcm16",
        },
      ],
    },
    {
      name: "a PFS group IOS does not have, on the router's override",
      site: compatSite({ esp: "{ proposals: [aes256-sha256-curve25519] }", tunnel: "    overrides:\n      gw: { esp: { proposals: [aes256-sha256-curve25519] } }\n      rtr:\n        esp: { proposals: [aes256-sha256-curve25519] }" }),
      errors: [{ at: "28:28", token: "aes256-sha256-curve25519", message: "tunnel 'vpn1' on rtr: PFS group 'curve25519' cannot be expressed on IOS ('set pfs')" }],
    },
    {
      name: "two algorithms of one kind in an ESP proposal",
      site: compatSite({ esp: "{ proposals: [aes256-aes128-sha256-modp3072] }" }),
      errors: [
        {
          at: "19:24",
          token: "aes256-aes128-sha256-modp3072",
          message:
            "tunnel 'vpn1' on rtr: ESP proposal 'aes256-aes128-sha256-modp3072' lists several algorithms of one kind; an IOS transform set holds one encryption and one authentication transform",
        },
      ],
    },
    {
      name: "an isakmp lifetime beyond a day",
      site: compatSite({ ike: "{ version: 1, proposals: [aes256-sha256-modp3072], lifetime: 2d }" }),
      errors: [{ at: "18:71", token: "2d", message: "tunnel 'vpn1' on rtr: 2d is outside the range of IOS 'crypto isakmp policy lifetime' (60..86400 seconds)" }],
    },
    {
      name: "jumbo MTU: the derived MSS is beyond ip tcp adjust-mss",
      site: compatSite({ tunnel: "    mtu: 9000" }),
      errors: [{ at: "25:10", token: "9000", message: "tunnel 'vpn1' on rtr: MSS 8960 is outside the range of IOS 'ip tcp adjust-mss' (500..1460)" }],
    },
    {
      name: "a probe interval below one second",
      site: compatSite({ tunnel: "    monitor: { interval: 500ms }" }),
      errors: [{ at: "25:26", token: "500ms", message: "tunnel 'vpn1' on rtr: IP SLA probes every whole second from 1 to 604800; 500ms cannot be expressed" }],
    },
    {
      name: "an IP SLA timeout longer than the probe interval (IOS refuses timeout > frequency)",
      site: compatSite({ tunnel: "    monitor: { interval: 3s, timeout: 4s }" }),
      errors: [{ at: "25:39", token: "4s", message: "tunnel 'vpn1' on rtr: IP SLA timeout 4s must be a whole number of milliseconds from 1 to the probe interval (3s); IOS refuses a timeout longer than the frequency" }],
    },
    {
      name: "an explicit tunnel number another tunnel on the router already has: blamed on `number`",
      site: withSecondGateway(compatSite({ more: secondTunnel("gw2", 20) + "\n    number: 10\n" })),
      errors: [{ at: "36:13", token: "10", message: "tunnel 'vpn2' on rtr: Tunnel interface 10 is already used by tunnel 'vpn1' on this device" }],
    },
    {
      name: "IKEv1 aggressive mode towards a router",
      site: compatSite({ ike: "{ version: 1, aggressive: true, proposals: [aes256-sha256-modp3072] }" }),
      errors: [{ at: "18:36", token: "true", message: "tunnel 'vpn1' on rtr: sitewire configures IOS for IKEv1 main mode only; aggressive mode would not match" }],
    },
    {
      name: "an IKEv1 router identified by its public address",
      site: compatSite({ peer: "    identity: 52.0.0.1" }),
      errors: [{ at: "15:15", token: "52.0.0.1", message: "peer 'rtr' has identity 52.0.0.1, but IOS on IKEv1 identifies itself by its local address 10.10.1.1" }],
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
      errors: [{ at: "22:10", token: "3000", message: "tunnel 'vpn1' on rtr: track 3000 is outside the IOS range 1..1000" }],
    },
  ],
});
