import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { compatSite, secondTunnel, withSecondGateway } from "../../../test/helpers/compat-site.js";
import type { PlatformDeclaration } from "../../platform/contract.js";
import { platform as ios } from "../../targets/ios/platform.js";
import { platformDeviceMonitor } from "./platform-device-monitor.js";

/** Two tunnels from two gateways to one device `rtr` on `platform`; `first`/`second` append lines to each tunnel. */
function twoTunnels(platform: string, first = "", second = ""): string {
  const site = withSecondGateway(compatSite({ tunnel: first || undefined, more: secondTunnel("gw2", 20) + (second ? `\n${second}` : "") }));
  return site.replace("platform: cisco-ios", `platform: ${platform}`);
}

/** IOS's data with one monitor setting for the whole device: shows the probe timeout (the SRX has none). */
const deviceWide: PlatformDeclaration[] = [{ ...ios, title: "Example OS", capabilities: { ...ios.capabilities, monitor: { ...ios.capabilities.monitor, scope: "device" } } }];
const SRX = { peer: "rtr", platform: "Juniper SRX", monitor: "vpn-monitor (ICMP through st0)" };

testRule(platformDeviceMonitor, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "one tunnel on an SRX", site: compatSite().replace("platform: cisco-ios", "platform: juniper-srx") },
    { name: "two tunnels on an SRX asking for the same monitor", site: twoTunnels("juniper-srx", "    monitor: { interval: 10s, failures: 4 }", "    monitor: { interval: 10s, failures: 4 }") },
    { name: "different monitors on a router that monitors each tunnel on its own", site: twoTunnels("cisco-ios", "", "    monitor: { interval: 10s, failures: 5 }") },
  ],
  invalid: [
    {
      name: "a second SRX tunnel probing less often: the device probes both every 5s",
      site: twoTunnels("juniper-srx", "", "    monitor: { interval: 10s }"),
      errors: [
        {
          at: "36:26",
          token: "10s",
          messageId: "merged",
          data: { tunnel: "vpn2", ...SRX, device: "a probe every 5s, down after 3 failures", asked: "a probe every 10s, down after 3 failures" },
          hint: "give every tunnel of rtr the same monitor settings, e.g. monitor: { interval: 5s, failures: 3 }",
        },
      ],
    },
    {
      name: "the first tunnel (defaults) is blamed at its key when the second asks for fewer failures",
      site: twoTunnels("juniper-srx", "", "    monitor: { failures: 2 }"),
      errors: [
        { at: "20:3", token: "vpn1", messageId: "merged", data: { tunnel: "vpn1", ...SRX, device: "a probe every 5s, down after 2 failures", asked: "a probe every 5s, down after 3 failures" } },
      ],
    },
    {
      name: "a device-wide monitor with a probe timeout (made-up capability data)",
      site: twoTunnels("cisco-ios", "    monitor: { interval: 4s, timeout: 2s }", "    monitor: { interval: 4s }"),
      platforms: deviceWide,
      errors: [
        {
          at: "37:14",
          token: "{ interval: 4s }",
          messageId: "merged",
          data: { tunnel: "vpn2", peer: "rtr", platform: "Example OS", monitor: "IP SLA icmp-echo + track", device: "a probe every 4s waiting 2s, down after 3 failures", asked: "a probe every 4s waiting 4s, down after 3 failures" },
        },
      ],
    },
  ],
});
