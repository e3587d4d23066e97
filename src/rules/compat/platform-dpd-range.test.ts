import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { platformDpdRange } from "./platform-dpd-range.js";
import { compatSite } from "../../../test/helpers/compat-site.js";

testRule(platformDpdRange, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "a 10s delay", site: compatSite() },
    { name: "the gateway probes every 3s, the router's override says 10s", site: compatSite({ dpd: "{ delay: 3s, timeout: 15s }", tunnel: "    overrides:\n      rtr: { dpd: { delay: 10s, timeout: 30s } }" }) },
    { name: "a strongSwan peer may probe every 3s", site: compatSite({ dpd: "{ delay: 3s, timeout: 15s }" }).replace("platform: cisco-ios", "platform: strongswan") },
  ],
  invalid: [
    {
      name: "the tunnel's 3s delay reaches the router (seed 004's gateway setting)",
      site: compatSite({ dpd: "{ delay: 3s, timeout: 15s }" }),
      errors: [{ at: "23:19", token: "3s", message: "tunnel 'vpn1' on rtr: Cisco IOS cannot probe every 3s; the device will use 10s", hint: "say so in the intent: tunnels.vpn1.overrides.rtr.dpd.delay: 10s" }],
    },
    {
      name: "a router override beyond an hour",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        dpd: { delay: 2h, timeout: 3h }" }),
      errors: [{ at: "27:23", token: "2h", message: "tunnel 'vpn1' on rtr: Cisco IOS cannot probe every 2h; the device will use 3600s" }],
    },
  ],
});
