import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { compatSite } from "../../test/helpers/compat-site.js";
import { strongswanKeywordNames } from "./strongswan-keyword-names.js";

testRule(strongswanKeywordNames, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "an ordinary tunnel name", site: compatSite() },
    { name: "a name that only starts with the keyword", site: compatSite().replace("  vpn1:", "  include-a:") },
  ],
  invalid: [
    {
      name: "a tunnel named include",
      site: compatSite().replace("  vpn1:", "  include:"),
      errors: [
        {
          at: "16:3",
          token: "include",
          messageId: "keyword",
          data: { tunnel: "include", meaning: "strongSwan's include directive in swanctl.conf and strongswan.conf" },
          hint: "rename the tunnel (e.g. include-1)",
        },
      ],
    },
  ],
});
