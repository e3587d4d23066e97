import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { forwardDefaultDrop } from "./forward-default-drop.js";

/** Seed 000's front machine forwarding one flow; `firewall` is its firewall setting (a flow mapping). */
const site = (firewall: string, flows = "  partner-api: { from: [node-lan], to: [partner-vpn], via: vpn-front, out: tun0 }") => yaml`
  site: test
  networks:
    partner-vpn: 172.16.0.0/24
  hosts:
    vpn-front: { os: rhel, address: 10.24.0.20/22, interfaces: { tun0: { address: 172.16.0.10/24 } }, firewall: ${firewall} }
    node-lan: { os: debian, address: 10.24.0.10/22 }
  flows:
${flows}
`;

const HINT = "remove forwardDefault to leave other forwarded traffic to the host's own FORWARD rules and policy (sitewire never sets a policy); keep drop only on a dedicated gateway";
const DROP = { messageId: "drop", data: { host: "vpn-front" } } as const;

testRule(forwardDefaultDrop, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "the default: other traffic is the host's business", site: site("{}") },
    { name: "host, said explicitly", site: site("{ forwardDefault: host }") },
  ],
  invalid: [
    {
      name: "drop on a gateway with a flow",
      site: site("{ forwardDefault: drop }"),
      errors: [{ at: "5:129", token: "drop", ...DROP, hint: HINT }],
    },
    {
      name: "drop on a host that forwards nothing for the site",
      site: site("{ forwardDefault: drop }", "  {}"),
      errors: [{ at: "5:129", token: "drop", messageId: "nothing", data: { host: "vpn-front" }, hint: HINT }],
    },
    {
      name: "an error under --strict",
      strict: true,
      site: site("{ forwardDefault: drop }"),
      errors: [{ at: "5:129", token: "drop", ...DROP, hint: HINT }],
    },
  ],
});
