import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { inapplicableSettings } from "./inapplicable-settings.js";

const ESP = "{ proposals: [aes256-sha256] }";
/** tunnelSite turned policy-based: its inside and key lines replaced by `settings`. */
const policy = (settings: string) =>
  tunnelSite("{ proposals: [aes256-sha256-modp3072] }", ESP).replace("    inside: 169.254.1.0/30\n    key: 1\n", `    kind: ipsec-policy\n${settings}`);

testRule(inapplicableSettings, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "a route-based tunnel with all its settings", site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072], aggressive: true }", ESP, "    device: vti9\n    table: 9\n    rulePriority: 90\n    monitor: { interval: 5s }\n") },
    { name: "a policy-based tunnel without them", site: policy("") },
    { name: "aggressive: false with IKEv2", site: tunnelSite("{ proposals: [aes256-sha256-modp3072], aggressive: false }", ESP) },
  ],
  invalid: [
    {
      name: "vti settings on a policy-based tunnel",
      site: policy("    inside: 169.254.1.0/30\n    key: 1\n    device: vti1\n    table: 1\n    rulePriority: 10\n    monitor: { interval: 5s }\n"),
      errors: [
        { at: "13:5", token: "inside", messageId: "vtiOnly", data: { setting: "inside", tunnel: "t1" }, hint: "remove it, or make the tunnel route-based (kind: ipsec-vti)" },
        { at: "14:5", token: "key", messageId: "vtiOnly", data: { setting: "key", tunnel: "t1" }, hint: "remove it, or make the tunnel route-based (kind: ipsec-vti)" },
        { at: "15:5", token: "device", messageId: "vtiOnly", data: { setting: "device", tunnel: "t1" }, hint: "remove it, or make the tunnel route-based (kind: ipsec-vti)" },
        { at: "16:5", token: "table", messageId: "vtiOnly", data: { setting: "table", tunnel: "t1" }, hint: "remove it, or make the tunnel route-based (kind: ipsec-vti)" },
        { at: "17:5", token: "rulePriority", messageId: "vtiOnly", data: { setting: "rulePriority", tunnel: "t1" }, hint: "remove it, or make the tunnel route-based (kind: ipsec-vti)" },
        { at: "18:5", token: "monitor", messageId: "vtiOnly", data: { setting: "monitor", tunnel: "t1" }, hint: "remove it, or make the tunnel route-based (kind: ipsec-vti)" },
      ],
    },
    {
      name: "aggressive mode with IKEv2",
      site: tunnelSite("{ proposals: [aes256-sha256-modp3072], aggressive: true }", ESP),
      errors: [
        { at: "9:49", token: "aggressive", messageId: "aggressiveV2", data: { tunnel: "t1" }, hint: "remove aggressive: true" },
      ],
    },
  ],
});
