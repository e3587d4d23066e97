import { describe, expect, it } from "vitest";
import { fixtureSite } from "../../../test/helpers/source.js";
import { nftChainRules, readNft } from "../../../test/readers/nft.js";
import { iptablesTables } from "../../../test/readers/iptables-restore.js";
import type { Prefix, SiteModel } from "../../model/types.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { iptablesTarget } from "../iptables/index.js";
import { nftablesTarget } from "./index.js";
import { nftString } from "./quote.js";

/** An example site with its intent edited as data. */
const exampleWith = (name: string, edit: (intent: Record<string, any>) => void = () => {}): SiteModel => fixtureSite(`sites/${name}.yaml`).fixtureWith(edit);

/** Every host of an example site on the nftables backend. */
const allNft = (name: string, edit: (intent: Record<string, any>) => void = () => {}) =>
  exampleWith(name, (i) => {
    for (const h of Object.values(i.hosts) as Record<string, any>[]) h.firewall = { ...h.firewall, backend: "nftables" };
    edit(i);
  });

const fixture = fixtureSite("test/fixtures/sites/nft-gateway.yaml").fixtureWith(() => {});
const TABLE = "table inet sitewire";

function nftFile(site: SiteModel, host: string): string {
  const os = site.hosts.find((h) => h.name === host)!.os;
  const artifact = nftablesTarget.emit(site).find((a) => a.path === hostFile(host, HOST_PATHS[os].nftRules));
  if (!artifact) throw new Error(`no nft file for ${host}`);
  return artifact.content;
}

describe("nftables target: which hosts get sitewire's table", () => {
  it("hosts on the nftables backend get the file and its unit; the iptables target skips them, and the other way round", () => {
    expect(nftablesTarget.emit(fixture).map((a) => [a.path, a.mode.toString(8), a.kind, a.host])).toEqual([
      ["hosts/front/etc/sitewire/firewall.nft", "644", "nft", "front"],
      ["hosts/front/etc/systemd/system/sitewire-nftables.service", "644", "systemd-unit", "front"],
      ["hosts/gw/etc/sitewire/firewall.nft", "644", "nft", "gw"],
      ["hosts/gw/etc/systemd/system/sitewire-nftables.service", "644", "systemd-unit", "gw"],
    ]);
    expect([...new Set(iptablesTarget.emit(fixture).map((a) => a.host))]).toEqual(["legacy"]);
  });

  it("the backend defaults by release: Debian 12 and RHEL 9 get nftables, Debian 11, RHEL 8 and no release iptables", () => {
    const backendOf = (os: string, release?: number) => {
      const site = exampleWith("partner-vpn", (i) => {
        i.hosts["vpn-front"].os = os;
        if (release === undefined) delete i.hosts["vpn-front"].release;
        else i.hosts["vpn-front"].release = release;
      });
      return [nftablesTarget.emit(site).length > 0, iptablesTarget.emit(site).length > 0];
    };
    expect(backendOf("debian", 12)).toEqual([true, false]);
    expect(backendOf("rhel", 9)).toEqual([true, false]);
    expect(backendOf("debian", 11)).toEqual([false, true]);
    expect(backendOf("rhel", 8)).toEqual([false, true]);
    expect(backendOf("debian")).toEqual([false, true]);
  });

  it("a host that forwards nothing gets no table", () => {
    expect(nftablesTarget.emit(fixture).some((a) => a.host === "node")).toBe(false);
  });
});

describe("the file replaces sitewire's table, and only it", () => {
  const text = nftFile(fixture, "gw");
  const statements = readNft(text);

  it("creates the table, deletes it, then declares it whole: one `nft -f` transaction, loadable again and again", () => {
    expect(statements.slice(0, 3).map((s) => [s.type, s.words.join(" ")])).toEqual([
      ["statement", TABLE],
      ["statement", `delete ${TABLE}`],
      ["open", TABLE],
    ]);
    expect(statements.filter((s) => s.path.length === 0).map((s) => s.words.join(" "))).toEqual([TABLE, `delete ${TABLE}`, TABLE]);
  });

  it("declares the three base chains with their hooks and priorities, each with policy accept", () => {
    const heads = statements.filter((s) => s.words[0] === "type" || s.words[0] === "policy").map((s) => `${s.path.at(-1)}: ${s.words.join(" ")}`);
    expect(heads).toEqual([
      "chain postrouting: type nat hook postrouting priority srcnat",
      "chain postrouting: policy accept",
      "chain forward: type filter hook forward priority filter",
      "chain forward: policy accept",
      "chain mss: type filter hook forward priority mangle",
      "chain mss: policy accept",
    ]);
  });

  it("forward: replies first, then the tunnel's and the flow's accepts with the iptables comments, then the drop", () => {
    expect(nftChainRules(text, TABLE, "forward")).toEqual([
      "ct state established,related accept",
      'ip saddr 10.60.0.128/25 ip daddr 10.62.0.0/16 oifname "vti60" accept comment "tunnel to-hub"',
      'ip saddr 10.62.0.0/16 ip daddr 10.60.0.128/25 iifname "vti60" accept comment "tunnel to-hub"',
      'ip saddr 10.60.0.50/32 ip daddr 10.62.0.0/16 iifname "eth0" oifname "vti60" tcp dport { 443, 8000-8099 } accept comment "flow office-to-hub"',
      'ip saddr 10.60.0.50/32 ip daddr 10.62.0.0/16 iifname "eth0" oifname "vti60" udp dport 53 accept comment "flow office-to-hub"',
      'drop comment "forwardDefault: drop"',
    ]);
  });

  it("postrouting masquerades; mss clamps SYN (not SYN+RST) both ways, a fixed MSS or the route's MTU", () => {
    expect(nftChainRules(text, TABLE, "postrouting")).toEqual(['ip saddr 10.60.0.50/32 oifname "vti60" masquerade comment "flow office-to-hub"']);
    expect(nftChainRules(text, TABLE, "mss")).toEqual([
      'meta nfproto ipv4 oifname "vti60" tcp flags & (syn | rst) == syn tcp option maxseg size set 1360 comment "tunnel to-hub"',
      'meta nfproto ipv4 iifname "vti60" tcp flags & (syn | rst) == syn tcp option maxseg size set 1360 comment "tunnel to-hub"',
    ]);
    expect(nftChainRules(nftFile(fixture, "front"), TABLE, "mss")).toEqual([
      'meta nfproto ipv4 oifname "tun0" tcp flags & (syn | rst) == syn tcp option maxseg size set rt mtu comment "flow node-to-partner"',
      'meta nfproto ipv4 iifname "tun0" tcp flags & (syn | rst) == syn tcp option maxseg size set rt mtu comment "flow node-to-partner"',
    ]);
  });

  it("without forwardDefault: drop there is no drop, and the header says what another table's drop does", () => {
    expect(nftChainRules(nftFile(fixture, "front"), TABLE, "forward").some((r) => r.startsWith("drop"))).toBe(false);
    expect(text).toContain("# Coexistence: every table's base chain on a hook sees the packet. An accept here ends this table's chain only:");
  });
});

describe("the same rules as the iptables backend, in the same order, with the same comments", () => {
  const comments = (rules: readonly string[]) => rules.map((r) => /comment "([^"]*)"/.exec(r)?.[1] ?? "");
  it.each(["partner-vpn", "bjs-hybrid", "branch-multivendor", "dc-bgp", "aws-tgw"])("%s", (name) => {
    const ipt = exampleWith(name);
    const nft = allNft(name);
    const iptFiles = iptablesTarget.emit(ipt).filter((a) => a.kind === "iptables-restore");
    expect(iptFiles.length).toBeGreaterThan(0);
    for (const file of iptFiles) {
      const tables = iptablesTables(file.content);
      const text = nftFile(nft, file.host!);
      for (const [table, chain] of [["nat", "postrouting"], ["filter", "forward"], ["mangle", "mss"]] as const) {
        const iptRules = tables.get(table)!.rules;
        const nftRules = nftChainRules(text, TABLE, chain);
        expect(nftRules.length, `${file.host} ${chain}`).toBe(iptRules.length);
        expect(comments(nftRules), `${file.host} ${chain}`).toEqual(comments(iptRules));
      }
    }
  });
});

describe("families and values", () => {
  const gw = fixture.hosts.find((h) => h.name === "gw")!;
  const v6 = (cidr: string, network: string, length: number): Prefix => ({ cidr, network, length, mask: "", family: 6 });

  it("an IPv6 prefix is matched with ip6, a /0 by its family alone", () => {
    const site: SiteModel = {
      ...fixture,
      hosts: [
        {
          ...gw,
          nat: [{ source: v6("2001:db8:60::/48", "2001:db8:60::", 48), outInterface: "vti60", action: "masquerade", origin: "flow six" }],
          forward: [{ source: v6("::/0", "::", 0), destination: v6("2001:db8:62::/48", "2001:db8:62::", 48), outInterface: "vti60", ports: [], origin: "flow six" }, { source: v6("::/0", "::", 0), destination: v6("::/0", "::", 0), ports: [], origin: "flow any" }],
          mssClamp: [{ device: "vti60", mss: 1360, mss6: 1340, families: [4, 6] }],
        },
      ],
    };
    const text = nftFile(site, "gw");
    expect(nftChainRules(text, TABLE, "postrouting")).toEqual(['ip6 saddr 2001:db8:60::/48 oifname "vti60" masquerade comment "flow six"']);
    expect(nftChainRules(text, TABLE, "forward").slice(1, 3)).toEqual(['ip6 daddr 2001:db8:62::/48 oifname "vti60" accept comment "flow six"', 'meta nfproto ipv6 accept comment "flow any"']);
    expect(nftChainRules(text, TABLE, "mss").map((r) => r.replace(/ tcp flags.* set /, " … "))).toEqual([
      'meta nfproto ipv4 oifname "vti60" … 1360 comment "tunnel to-hub"',
      'meta nfproto ipv6 oifname "vti60" … 1340 comment "tunnel to-hub"',
      'meta nfproto ipv4 iifname "vti60" … 1360 comment "tunnel to-hub"',
      'meta nfproto ipv6 iifname "vti60" … 1340 comment "tunnel to-hub"',
    ]);
  });

  it("refuses a prefix whose text is not what it says, and a rule mixing families", () => {
    const bad = (forward: SiteModel["hosts"][number]["forward"]) => () => nftablesTarget.emit({ ...fixture, hosts: [{ ...gw, forward }] });
    const v4 = gw.forward[0]!;
    expect(bad([{ ...v4, source: { ...v4.source, cidr: '10.60.0.0/24" accept' } }])).toThrow(/internal: prefix/);
    expect(bad([{ ...v4, destination: v6("2001:db8::/32", "2001:db8::", 32) }])).toThrow(/mixes or lacks address families/);
  });
});

describe("nft strings", () => {
  it("are double-quoted, cut at 128 bytes (nft's limit) without splitting a character", () => {
    expect(nftString("flow a")).toBe('"flow a"');
    expect(nftString("x".repeat(200))).toBe(`"${"x".repeat(128)}"`);
    expect(nftString(`${"x".repeat(127)}é`)).toBe(`"${"x".repeat(127)}"`);
  });

  it("refuse a control character or a double quote (no escape exists in nft)", () => {
    expect(() => nftString("a\nflush ruleset")).toThrow(/control character/);
    expect(() => nftString('a" accept')).toThrow(/double quote/);
  });
});

describe("the unit", () => {
  const unit = nftablesTarget.emit(fixture).find((a) => a.host === "gw" && a.kind === "systemd-unit")!.content;

  it("loads with nft -f at start and reload, deletes only sitewire's table at stop (idempotently)", () => {
    expect(unit).toContain("\nExecStart=/usr/sbin/nft -f /etc/sitewire/firewall.nft\nExecReload=/usr/sbin/nft -f /etc/sitewire/firewall.nft\n");
    expect(unit).toContain('\nExecStop=/usr/sbin/nft "add table inet sitewire; delete table inet sitewire"\n');
  });

  it("is ordered like the iptables unit: before the network and the tunnels, after (and with) nftables.service", () => {
    expect(unit).toContain("\nDefaultDependencies=no\nWants=network-pre.target\n");
    expect(unit).toContain("\nBefore=network-pre.target shutdown.target sitewire-tunnels.service strongswan-starter.service strongswan.service\n");
    expect(unit).toContain("\nAfter=local-fs.target systemd-modules-load.service nftables.service firewalld.service\nPartOf=nftables.service\nReloadPropagatedFrom=nftables.service\n");
  });
});

describe("IPv6 in the same inet table", () => {
  const dual = fixtureSite("sites/dual-stack.yaml").fixtureWith(() => {});
  const edge = nftFile(dual, "edge");

  it("dual-stack edge: NAT44 and NAT66 for the masqueraded flow, nothing for the routed IPv6 flow (nat: none)", () => {
    expect(nftChainRules(edge, TABLE, "postrouting")).toEqual([
      'ip saddr 10.70.0.10/32 oifname "xfrm70" masquerade comment "flow nodes-to-dc"',
      'ip6 saddr 2001:db8:70::10/128 oifname "xfrm70" masquerade comment "flow nodes-to-dc"',
    ]);
    expect(edge).not.toMatch(/2001:db8:70::\/64 .*masquerade/);
  });

  it("dual-stack edge: forward accepts of each family with ip / ip6 matches, in the model's order", () => {
    const forward = nftChainRules(edge, TABLE, "forward");
    expect(forward[0]).toBe("ct state established,related accept");
    expect(forward).toContain('ip6 saddr 2001:db8:70::/64 ip6 daddr 2001:db8:72::/56 oifname "xfrm71" accept comment "tunnel to-cloud"');
    expect(forward).toContain('ip6 saddr 2001:db8:70::10/128 ip6 daddr 2001:db8:71::/48 iifname "eth1" oifname "xfrm70" accept comment "flow nodes-to-dc"');
    expect(forward).toContain('ip saddr 10.70.0.10/32 ip daddr 10.71.0.0/16 iifname "eth0" oifname "xfrm70" accept comment "flow nodes-to-dc"');
    // Every accept names its family exactly once, and never both.
    for (const rule of forward.slice(1)) expect(/\bip6? saddr/.test(rule) && !(/\bip saddr/.test(rule) && /\bip6 saddr/.test(rule)), rule).toBe(true);
  });

  it("dual-stack edge: the MSS clamp of each device per family it carries, IPv6 with mss6 (1360 − 20)", () => {
    expect(nftChainRules(edge, TABLE, "mss").map((r) => r.replace(/ tcp flags.* set /, " … "))).toEqual([
      'meta nfproto ipv4 oifname "xfrm70" … 1360 comment "tunnel to-dc"',
      'meta nfproto ipv6 oifname "xfrm70" … 1340 comment "tunnel to-dc"',
      'meta nfproto ipv4 iifname "xfrm70" … 1360 comment "tunnel to-dc"',
      'meta nfproto ipv6 iifname "xfrm70" … 1340 comment "tunnel to-dc"',
      'meta nfproto ipv6 oifname "xfrm71" … 1340 comment "tunnel to-cloud"',
      'meta nfproto ipv6 iifname "xfrm71" … 1340 comment "tunnel to-cloud"',
    ]);
  });

  it("the family comes from Prefix.family, not from the text: a mislabelled prefix is refused", () => {
    const host = dual.hosts.find((h) => h.name === "edge")!;
    const nat6 = host.nat.find((n) => n.source.family === 6)!;
    expect(() => nftablesTarget.emit({ ...dual, hosts: [{ ...host, nat: [{ ...nat6, source: { ...nat6.source, family: 4 } }] }] })).toThrow(/internal/);
  });

  it("nat66-front on nftables holds, family by family, the rules of its iptables and ip6tables files with the same comments", () => {
    const fixture6 = fixtureSite("test/fixtures/sites/nat66-front.yaml");
    const ipt = fixture6.fixtureWith(() => {});
    const nft = fixture6.fixtureWith((i) => {
      for (const h of Object.values(i.hosts) as Record<string, any>[]) h.firewall = { ...h.firewall, backend: "nftables" };
    });
    const text = nftFile(nft, "front");
    const files = iptablesTarget.emit(ipt);
    const family = (kind: string) => iptablesTables(files.find((a) => a.kind === kind && a.host === "front")!.content);
    const comments = (rules: readonly string[]) => rules.map((r) => /comment "([^"]*)"/.exec(r)?.[1] ?? "");
    const six = (r: string) => /\bip6 |nfproto ipv6/.test(r);
    for (const [table, chain] of [["nat", "postrouting"], ["filter", "forward"], ["mangle", "mss"]] as const) {
      const rules = nftChainRules(text, TABLE, chain).filter((r) => !r.startsWith("ct state"));
      const strip = (t: Map<string, { rules: readonly string[] }>) => t.get(table)!.rules.filter((r) => !r.includes("--ctstate"));
      expect(comments(rules.filter(six)), chain).toEqual(comments(strip(family("ip6tables-restore"))));
      expect(comments(rules.filter((r) => !six(r))), chain).toEqual(comments(strip(family("iptables-restore"))));
    }
    expect(nftChainRules(text, TABLE, "postrouting")).toContain('ip6 saddr 2001:db8:26::10/128 oifname "tun6" masquerade comment "flow api6"');
  });
});
