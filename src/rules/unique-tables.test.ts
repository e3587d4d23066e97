import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { ONE_GATEWAY, vti } from "../../test/fixtures/rules/sites.js";
import { uniqueTables } from "./unique-tables.js";

/** Two tunnels on one host with keys 10 and 11; `b` is the rest of tunnel b's mapping. */
const tunnels = (b: string) => yaml`
  site: test
${ONE_GATEWAY}
  tunnels:
    a: ${vti("gw, r1", "169.254.1.0/30", 10)}
    b: ${vti("gw, r1", "169.254.1.4/30", 11, b)}
`;

testRule(uniqueTables, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "tables and priorities derived from distinct keys", site: tunnels("") },
    { name: "explicit distinct tables and priorities", site: tunnels(", table: 20, rulePriority: 200") },
  ],
  invalid: [
    {
      name: "two tunnels sharing a table (decision: a table belongs to one tunnel), priority reported once with it",
      site: tunnels(", table: 10"),
      errors: [
        { at: "8:172", token: "10", messageId: "table", data: { value: 10, tunnel: "b", first: "a", host: "gw", line: 7 }, hint: "give each route-based tunnel its own table (1..252)" },
      ],
    },
    {
      name: "distinct tables with one rule priority",
      site: tunnels(", table: 20, rulePriority: 10"),
      errors: [
        { at: "8:190", token: "10", messageId: "priority", data: { value: 10, tunnel: "b", first: "a", host: "gw", line: 7 }, hint: "give every ip rule its own priority (1..32765)" },
      ],
    },
  ],
});
