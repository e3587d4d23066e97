import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { mtuMismatch } from "./mtu-mismatch.js";
import { compatSite } from "../../../test/helpers/compat-site.js";

testRule(mtuMismatch, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "default MTU, MSS derived", site: compatSite() },
    { name: "one MTU for the tunnel, MSS derived on both ends", site: compatSite({ tunnel: "    mtu: 1436" }) },
    { name: "the router clamps lower than it has to", site: compatSite({ tunnel: "    overrides:\n      rtr: { mss: 1300 }" }) },
    { name: "an MSS beyond the MTU is SW108's (mtu-mss), not a mismatch", site: compatSite({ tunnel: "    mtu: 1400\n    mss: 1387" }) },
  ],
  invalid: [
    {
      name: "the router is overridden to another MTU",
      site: compatSite({ tunnel: "    mtu: 1436\n    overrides:\n      rtr:\n        mtu: 1400" }),
      errors: [{ at: "28:14", token: "1400", messageId: "mtu", data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostMtu: 1436, peerMtu: 1400 } }],
    },
  ],
});
