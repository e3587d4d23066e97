import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { insideAddresses } from "./inside-addresses.js";
import { compatSite } from "../../../test/helpers/compat-site.js";

testRule(insideAddresses, {
  valid: [
    { name: "a /30", site: compatSite() },
    { name: "a /31 (both addresses usable)", site: compatSite({ inside: "169.254.10.0/31" }) },
  ],
  invalid: [
    {
      name: "a /32 cannot hold two addresses",
      site: compatSite({ inside: "169.254.10.0/32" }),
      errors: [
        {
          at: "21:13",
          token: "169.254.10.0/32",
          messageId: "outside",
          data: { tunnel: "vpn1", network: "169.254.10.0/32", addresses: "gw 169.254.10.2, rtr 169.254.10.1" },
          hint: "a /32 holds one address: use a /30 or /31",
        },
      ],
    },
  ],
});
