import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { pskMismatch } from "./psk-mismatch.js";
import { compatSite } from "../../../test/helpers/compat-site.js";

testRule(pskMismatch, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "one secret for the tunnel", site: compatSite() },
    { name: "an override naming the same secret", site: compatSite({ tunnel: "    overrides:\n      rtr: { psk: { env: VPN1_PSK } }" }) },
  ],
  invalid: [
    {
      name: "the router is pointed at another variable",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        psk: { env: ROUTER_PSK }" }),
      errors: [{ at: "27:21", token: "ROUTER_PSK", messageId: "differ", data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostRef: "env VPN1_PSK", peerRef: "env ROUTER_PSK" } }],
    },
    {
      name: "the gateway reads the key from a file",
      site: compatSite({ tunnel: "    overrides:\n      gw:\n        psk: { file: /run/secrets/vpn1 }" }),
      errors: [{ at: "27:22", token: "/run/secrets/vpn1", messageId: "differ", data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostRef: "file /run/secrets/vpn1", peerRef: "env VPN1_PSK" } }],
    },
  ],
});
