/**
 * NAT66 and routed IPv6 through a gateway, live (issue 16), with each firewall backend: sitewire's iptables and
 * ip6tables chains (loaded by the emitted sitewire-firewall unit, once with the nft and once with the legacy
 * xtables backend) and sitewire's nftables table (loaded by the emitted sitewire-nftables unit). The layout and
 * the foreign state are test/live/dual-stack-gateway.ts's (test/fixtures/sites/nat66-front.yaml):
 *
 * - without sitewire's rules the node's IPv6 request is not answered (the partner has no route back);
 * - loaded: the node's IPv6 request is answered and the partner sees the gateway's tun6 address (NAT66, flow
 *   api6: nat: masquerade), its IPv4 one tun0's (NAT44), and the office's IPv6 request is answered with the
 *   office's own address seen (flow office6: nat: none, routed unchanged);
 * - reload twice changes nothing; a reload with api6 set to nat: none stops the node's IPv6 answers (the NAT66
 *   rule is gone) and the office's still pass; a reload with every IPv6 flow removed from the intent leaves no
 *   IPv6 rule of sitewire's (iptables: the loader, its RULES6 now empty, removes the ip6tables chains); stop
 *   leaves nothing of sitewire's;
 * - after every step the gateway's foreign IPv6 state (ip6tables chains, or `table ip6 foreign6` and
 *   ip6tables-nft's tables) is byte-identical to what it was before sitewire loaded anything.
 *
 * Needs root, python3, ip6tables (both backends) and nft: skipped with a notice elsewhere, failing in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IPTABLES_TOOLS } from "../harness/iptables.js";
import { missing } from "../harness/tools.js";
import { DualStackGateway, FIREWALLS, gatewayFiles, type FirewallKind, type Outcome } from "./dual-stack-gateway.js";

const TUN0 = "172.16.26.10";
const TUN6 = "2001:db8:f26::10";
const OFFICE = "2001:db8:27::10";

const LOADED: Outcome[] = [
  { from: "node", family: 4, seenAs: TUN0 },
  { from: "node", family: 6, seenAs: TUN6 },
  { from: "office", family: 6, seenAs: OFFICE },
];

describe.skipIf(missing("root", "python3", "nft", ...IPTABLES_TOOLS))("NAT66 and routed IPv6 through the gateway, live", () => {
  describe.each(FIREWALLS)("%s", (kind: FirewallKind) => {
    let g: DualStackGateway;
    beforeAll(async () => {
      g = await DualStackGateway.create(kind);
    });
    afterAll(() => g?.cleanup());

    const expectForeignUntouched = () => expect(g.foreign()).toBe(g.baseline);

    it("the compile holds this backend's files, the ip6tables file with the iptables one", () => {
      const files = gatewayFiles(kind);
      if (kind === "nftables") expect([...files.kinds].sort()).toEqual(["nft", "systemd-unit"]);
      else expect([...files.kinds].sort()).toEqual(["ip6tables-restore", "iptables-restore", "shell", "systemd-unit"]);
      // The foreign state is really there (the baseline is not empty).
      expect(g.baseline).toContain(kind === "nftables" ? "table ip6 foreign6" : "-A DOCKER-USER -s 2001:db8:dead::/48 -j DROP");
    });

    it("without sitewire's rules: routed IPv6 passes with the office's own address, the node's IPv6 is unanswered", () => {
      expect(g.probe()).toEqual([
        { from: "node", family: 4, seenAs: null },
        { from: "node", family: 6, seenAs: null },
        { from: "office", family: 6, seenAs: OFFICE },
      ]);
    });

    it("ExecStart: NAT66 (the partner sees tun6's address), NAT44 (tun0's), the routed flow unchanged; foreign IPv6 state untouched", () => {
      g.unit("ExecStart");
      expect(g.probe()).toEqual(LOADED);
      expectForeignUntouched();
      expect(g.sitewireState()).toContain("2001:db8:26::10");
    });

    it("ExecReload twice: the same rules, the same results; foreign IPv6 state untouched", () => {
      const loaded = g.sitewireState();
      g.unit("ExecReload");
      g.unit("ExecReload");
      expect(g.sitewireState()).toBe(loaded);
      expect(g.probe()).toEqual(LOADED);
      expectForeignUntouched();
    });

    // The compile's deliverability check refuses this intent (the partner cannot answer the node's IPv6 without
    // NAT66: SW-level "no route back"); it is compiled without that check to prove the reload removes the rule.
    it("a reload with flow api6 set to nat: none removes the NAT66 rule: the node's IPv6 goes unanswered, the rest passes", () => {
      g.install(
        gatewayFiles(kind, (i) => {
          i.flows.api6.nat = "none";
        }),
      );
      g.unit("ExecReload");
      expect(g.probe()).toEqual([LOADED[0], { from: "node", family: 6, seenAs: null }, LOADED[2]]);
      expectForeignUntouched();
      g.install(gatewayFiles(kind));
      g.unit("ExecReload");
      expect(g.probe()).toEqual(LOADED);
    });

    it("a reload with every IPv6 flow removed leaves no IPv6 rule of sitewire's; the IPv4 flow still passes", () => {
      const v4only = gatewayFiles(kind, (i) => {
        delete i.flows.api6;
        delete i.flows.office6;
      });
      if (kind !== "nftables") expect(v4only.kinds).not.toContain("ip6tables-restore");
      g.install(v4only);
      g.unit("ExecReload");
      expect(g.sitewireState()).not.toMatch(kind === "nftables" ? /ip6 / : /SITEWIRE/);
      const [node4, node6] = g.probe();
      expect(node4).toEqual(LOADED[0]);
      expect(node6!.seenAs).toBeNull();
      expectForeignUntouched();
      g.install(gatewayFiles(kind));
      g.unit("ExecReload");
      expect(g.probe()).toEqual(LOADED);
    });

    it("ExecStop removes everything of sitewire's, twice without error; foreign IPv6 state untouched; NAT66 is gone", () => {
      g.unit("ExecStop");
      expect(g.sitewireState()).toBe("");
      expectForeignUntouched();
      g.unit("ExecStop");
      expectForeignUntouched();
      expect(g.probe()[1]!.seenAs).toBeNull();
    });
  });
});
