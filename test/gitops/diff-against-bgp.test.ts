/**
 * `sitewire diff --against` on BGP changes (issue 13), end to end in a real git repository: the on-prem
 * Linux gateway + Cisco router fixture, first with tunnel b static-free and without BGP, then with a BGP
 * session on b and tunnel a announcing one more network. The plan lists the session added per host and
 * device and marks the widened announcement with `!`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { PACKAGE_ROOT } from "../../src/render/templates.js";
import { missing } from "../harness/tools.js";
import { sitewire, withRepo } from "./repo.js";

vi.setConfig({ testTimeout: 120_000 });

const SITE = "sites/onprem-bgp-cisco.yaml";
const AFTER = readFileSync(join(PACKAGE_ROOT, "test/fixtures/sites/onprem-bgp-cisco.yaml"), "utf8")
  .replace("dc-lan: 10.80.0.0/16", "dc-lan: 10.80.0.0/16\n  dc-mgmt: 10.90.0.0/24")
  .replace("    routes: { toPeer: [dc-lan], toHost: [gw-lan] }\n    bgp: { holdTime: 30s", "    routes: { toPeer: [dc-lan, dc-mgmt], toHost: [gw-lan] }\n    bgp: { holdTime: 30s");
// Tunnel b without BGP may not route dc-lan statically beside a's BGP routes (SW165): it routes nothing then.
const BEFORE = readFileSync(join(PACKAGE_ROOT, "test/fixtures/sites/onprem-bgp-cisco.yaml"), "utf8").replace(
  "    routes: { toPeer: [dc-lan], toHost: [gw-lan] }\n    bgp: { preference: secondary }\n",
  "    routes: { toHost: [gw-lan] }\n",
);

describe.skipIf(missing("git"))("diff --against: BGP changes per device and host", () => {
  it("a session added on both ends, and an announcement widened marked !", () =>
    withRepo(async (repo) => {
      expect(AFTER).toContain("dc-mgmt]");
      expect(BEFORE).not.toBe(readFileSync(join(PACKAGE_ROOT, "test/fixtures/sites/onprem-bgp-cisco.yaml"), "utf8"));
      repo.write(SITE, BEFORE);
      repo.commitAll("base: tunnel b without BGP");
      repo.write(SITE, AFTER);

      const r = await sitewire(repo.dir, ["diff", "--against", "HEAD"]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.split("\n");
      const under = (subject: string) => {
        const start = lines.indexOf(`  ${subject}`);
        expect(start, `${subject} in\n${r.stdout}`).toBeGreaterThanOrEqual(0);
        const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
        return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim());
      };
      expect(under("device dc-router")).toEqual(
        expect.arrayContaining([
          "+ tunnel b: BGP session added: neighbour 169.254.62.1 AS 65010 (own AS 65020), secondary, announces 10.80.0.0/16 (dc-lan), accepts 10.70.0.0/24 (gw-lan)",
          "! tunnel a: BGP announcements widened: announces 10.90.0.0/24 (dc-mgmt)",
          "~ devices/dc-router/ios.cfg",
        ]),
      );
      expect(under("host gw")).toEqual(
        expect.arrayContaining([
          "+ tunnel b: BGP session added: neighbour 169.254.62.2 AS 65020 (own AS 65010), secondary, announces 10.70.0.0/24 (gw-lan), accepts 10.80.0.0/16 (dc-lan)",
          "! tunnel a: BGP accepted networks widened: accepts 10.90.0.0/24 (dc-mgmt)",
        ]),
      );
      // The device's diff shows the new neighbour and the new network statement.
      expect(r.stdout).toContain("+ neighbor 169.254.62.1 remote-as 65010");
      expect(r.stdout).toContain("+  network 10.90.0.0 mask 255.255.255.0");
    }));
});
