import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { insideAddresses } from "./inside-addresses.js";
import { compatSite } from "../../../test/helpers/compat-site.js";

testRule(insideAddresses, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "a /30", site: compatSite() },
    { name: "a /31 (both addresses usable)", site: compatSite({ inside: "169.254.10.0/31" }) },
    { name: "IPv6: a /126", site: compatSite({ inside: '"fd00:10::/126"' }) },
    { name: "IPv6: a /127 (RFC 6164: both addresses usable)", site: compatSite({ inside: '"fd00:10::/127"' }) },
    { name: "IPv6: a link-local /64", site: compatSite({ inside: '"fe80::/64"' }) },
    { name: "mixed: a /30 and a /127 inside6", site: compatSite({ tunnel: '    inside6: "fd00:10::/127"' }) },
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
    {
      name: "IPv6: a /128 cannot hold two addresses",
      site: compatSite({ inside: '"fd00:10::/128"' }),
      errors: [
        {
          at: "21:13",
          token: '"fd00:10::/128"',
          messageId: "outside",
          data: { tunnel: "vpn1", network: "fd00:10::/128", addresses: "gw fd00:10::2, rtr fd00:10::1" },
          hint: "a /128 holds one address: use a /126 or /127",
        },
      ],
    },
    {
      name: "mixed: a good IPv4 /30 beside a /128 inside6",
      site: compatSite({ tunnel: '    inside6: "fd00:10::/128"' }),
      errors: [
        {
          at: "25:14",
          token: '"fd00:10::/128"',
          messageId: "outside",
          data: { tunnel: "vpn1", network: "fd00:10::/128", addresses: "gw fd00:10::2, rtr fd00:10::1" },
          hint: "a /128 holds one address: use a /126 or /127",
        },
      ],
    },
  ],
});
