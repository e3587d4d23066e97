import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { dpdTimeouts } from "./dpd-timeouts.js";
import { compatSite } from "./site-fixture.js";

testRule(dpdTimeouts, {
  valid: [
    { name: "timeout three times the delay", site: compatSite() },
    { name: "the router probes less often but waits longer", site: compatSite({ tunnel: "    overrides:\n      rtr: { dpd: { delay: 20s, timeout: 120s } }" }) },
  ],
  invalid: [
    {
      name: "the router's override times out before its first probe is answered",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        dpd: { timeout: 5s }" }),
      errors: [{ at: "27:25", token: "5s", message: "tunnel 'vpn1': the dead peer timeout of rtr (5s) is not longer than its probe delay (10s)", hint: "make dpd.timeout at least three probes (30s)" }],
    },
    {
      name: "one tunnel-level setting is reported once for both ends",
      site: compatSite({ dpd: "{ delay: 30s, timeout: 30s }" }),
      errors: [{ at: "23:33", token: "30s }", message: "tunnel 'vpn1': the dead peer timeout of gw and rtr (30s) is not longer than its probe delay (30s)" }],
    },
  ],
});
