import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { TWO_ZONES, tunnelSite, vti } from "../../test/fixtures/rules/sites.js";
import { durations } from "./durations.js";

const IKE = "{ proposals: [aes256-sha256-modp3072] }";
const ESP = "{ proposals: [aes256-sha256] }";

testRule(durations, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "defaults (IKE 8h, ESP 1h, DPD 10s/30s)", site: tunnelSite(IKE, ESP) },
    { name: "seed 004's values", site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072], lifetime: 8h }", "{ proposals: [aes256-sha256], lifetime: 1h }", "    dpd: { delay: 3s, timeout: 15s }\n    monitor: { interval: 5s }\n") },
    { name: "unusual but sound: a one-minute ESP lifetime, a 1s probe", site: tunnelSite("{ proposals: [aes256-sha256-modp3072], lifetime: 1d }", "{ proposals: [aes256-sha256], lifetime: 60s }", "    monitor: { interval: 1s }\n") },
  ],
  invalid: [
    {
      name: "lifetimes under a minute, ESP outliving IKE",
      site: tunnelSite("{ proposals: [aes256-sha256-modp3072], lifetime: 30s }", "{ proposals: [aes256-sha256], lifetime: 2h }"),
      errors: [
        { at: "9:59", token: "30s", messageId: "lifetime", data: { what: "IKE lifetime", value: "30s", owner: "tunnel 't1'" }, hint: "IKE SAs usually live hours (default 8h), CHILD SAs an hour (default 1h)" },
        { at: "10:50", token: "2h", messageId: "espOutlivesIke", data: { esp: "2h", ike: "30s", owner: "tunnel 't1'" }, hint: "make the ESP lifetime shorter than the IKE lifetime (defaults: IKE 8h, ESP 1h)" },
      ],
    },
    {
      name: "an end whose override shortens the IKE lifetime below the (default) ESP lifetime",
      site: tunnelSite(IKE, ESP, "    overrides:\n      r1: { ike: { lifetime: 30m } }\n"),
      errors: [
        { at: "15:30", token: "30m", messageId: "espOutlivesIke", data: { esp: "1h", ike: "30m", owner: "tunnel 't1' on 'r1'" }, hint: "make the ESP lifetime shorter than the IKE lifetime (defaults: IKE 8h, ESP 1h)" },
      ],
    },
    {
      name: "a DPD timeout not longer than the delay, and sub-second intervals",
      site: tunnelSite(IKE, ESP, "    dpd: { delay: 30s, timeout: 30s }\n    monitor: { interval: 500ms }\n"),
      errors: [
        { at: "14:33", token: "30s", messageId: "dpdTimeout", data: { timeout: "30s", delay: "30s", owner: "tunnel 't1'" }, hint: "make the timeout a few delays long (defaults: delay 10s, timeout 30s)" },
        { at: "15:26", token: "500ms", messageId: "subSecond", data: { what: "monitor interval", owner: "tunnel 't1'", value: "500ms" }, hint: "use seconds or longer units" },
      ],
    },
    {
      name: "a DPD timeout below the default delay of 10s, and sub-second DPD",
      site: tunnelSite(IKE, ESP, "    dpd: { timeout: 900ms }\n"),
      errors: [
        { at: "14:21", token: "900ms", messageId: "dpdTimeout", data: { timeout: "900ms", delay: "10s", owner: "tunnel 't1'" }, hint: "make the timeout a few delays long (defaults: delay 10s, timeout 30s)" },
        { at: "14:21", token: "900ms", messageId: "subSecond", data: { what: "DPD timeout", owner: "tunnel 't1'", value: "900ms" }, hint: "use seconds or longer units" },
      ],
    },
    {
      name: "sub-second failover probes and ip-masq-agent resync",
      site: yaml`
        site: test
${TWO_ZONES}
        tunnels:
          vpn1: ${vti("gw1, r1", "169.254.100.0/30", 100)}
          vpn2: ${vti("gw2, r2", "169.254.200.0/30", 100)}
        failover:
          zones: { gateways: [gw1, gw2], interval: 100ms }
        cluster:
          masquerade: { nonMasqueradeCIDRs: agent-defaults, resyncInterval: 10ms }
      `,
      errors: [
        { at: "12:44", token: "100ms", messageId: "subSecond", data: { what: "probe interval", owner: "failover pair 'zones'", value: "100ms" }, hint: "use seconds or longer units" },
        { at: "14:69", token: "10ms", messageId: "subSecond", data: { what: "resyncInterval", owner: "ip-masq-agent", value: "10ms" }, hint: "use seconds or longer units" },
      ],
    },
  ],
});
