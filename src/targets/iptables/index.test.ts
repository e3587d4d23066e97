import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { fixtureSite, siteFile, sourceOf } from "../../../test/helpers/source.js";
import { iptablesTables } from "../../../test/readers/iptables-restore.js";
import { resolveSite } from "../../model/resolve.js";
import type { Prefix, SiteModel } from "../../model/types.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { iptablesTarget } from "./index.js";
import { OWNED_CHAINS } from "./rules.js";

/** An example site with its intent edited as data. */
function exampleWith(name: string, edit: (intent: Record<string, any>) => void = () => {}): SiteModel {
  const intent = parse(siteFile(name).text) as Record<string, any>;
  edit(intent);
  const { source, intent: parsed } = sourceOf(stringify(intent), `sites/${name}.yaml`);
  const { model, diagnostics } = resolveSite(source, parsed, "0".repeat(64));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return model;
}

const bjs = exampleWith("bjs-hybrid");
const partner = exampleWith("partner-vpn");

function rules(site: SiteModel, host: string): string {
  const os = site.hosts.find((h) => h.name === host)!.os;
  const artifact = iptablesTarget.emit(site).find((a) => a.path === hostFile(host, HOST_PATHS[os].iptablesRules));
  if (!artifact) throw new Error(`no rules for ${host}`);
  return artifact.content;
}

/** The lines of one table, from `*table` to COMMIT, without comments. */
function table(text: string, name: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(`*${name}`);
  if (start < 0) return [];
  return lines.slice(start, lines.indexOf("COMMIT", start) + 1);
}

describe("iptables target: which hosts get sitewire's chains", () => {
  it("the gateways that forward get the rules file, its loader and its unit, at sitewire's own paths; not the nodes", () => {
    expect(iptablesTarget.emit(partner).map((a) => [a.path, a.mode.toString(8), a.kind, a.host])).toEqual([
      ["hosts/vpn-front/etc/sitewire/iptables.rules", "644", "iptables-restore", "vpn-front"],
      ["hosts/vpn-front/usr/local/sbin/sitewire-firewall", "755", "shell", "vpn-front"],
      ["hosts/vpn-front/etc/systemd/system/sitewire-firewall.service", "644", "systemd-unit", "vpn-front"],
    ]);
    expect(iptablesTarget.emit(bjs).filter((a) => a.kind === "iptables-restore").map((a) => a.path)).toEqual([
      "hosts/strongswan-1/etc/sitewire/iptables.rules",
      "hosts/strongswan-2/etc/sitewire/iptables.rules",
    ]);
  });

  it("nothing at the whole-table persistence paths that netfilter-persistent / iptables-services load at boot", () => {
    for (const os of ["debian", "rhel"] as const) {
      const site = exampleWith("partner-vpn", (i) => {
        i.hosts["vpn-front"].os = os;
      });
      const paths = iptablesTarget.emit(site).map((a) => a.path);
      expect(paths).toContain("hosts/vpn-front/etc/sitewire/iptables.rules");
      expect(paths).not.toContain(hostFile("vpn-front", HOST_PATHS[os].legacyIptablesRules));
    }
  });

  it("forwardDefault: drop gives a host that forwards nothing for the site a chain that drops", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.hosts["node-lan"].firewall = { forwardDefault: "drop" };
    });
    expect(table(rules(site, "node-lan"), "filter")).toEqual(["*filter", ":SITEWIRE-FORWARD - [0:0]", '-A SITEWIRE-FORWARD -m comment --comment "forwardDefault: drop" -j DROP', "COMMIT"]);
  });
});

describe("vpn-front rules reproduce seed 000's NAT, for both nodes, in sitewire's chains", () => {
  const text = rules(partner, "vpn-front");

  it("*nat masquerades each node's address as vpn-front sees it, out of tun0; no built-in chain is declared", () => {
    expect(table(text, "nat")).toEqual([
      "*nat",
      ":SITEWIRE-POSTROUTING - [0:0]",
      '-A SITEWIRE-POSTROUTING -s 10.24.0.10/32 -o tun0 -m comment --comment "flow partner-api" -j MASQUERADE',
      '-A SITEWIRE-POSTROUTING -s 192.168.10.1/32 -o tun0 -m comment --comment "flow partner-api" -j MASQUERADE',
      "COMMIT",
    ]);
  });

  it("*filter accepts replies first, then exactly the flow from each node's interface; no DROP, no policy", () => {
    expect(table(text, "filter")).toEqual([
      "*filter",
      ":SITEWIRE-FORWARD - [0:0]",
      "-A SITEWIRE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      '-A SITEWIRE-FORWARD -s 10.24.0.10/32 -d 172.16.0.0/24 -i eth0 -o tun0 -m comment --comment "flow partner-api" -j ACCEPT',
      '-A SITEWIRE-FORWARD -s 192.168.10.1/32 -d 172.16.0.0/24 -i vpnnic -o tun0 -m comment --comment "flow partner-api" -j ACCEPT',
      "COMMIT",
    ]);
  });

  it("with forwardDefault: drop, SITEWIRE-FORWARD ends with a DROP (never a policy line)", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.hosts["vpn-front"].firewall = { forwardDefault: "drop" };
    });
    const filter = table(rules(site, "vpn-front"), "filter");
    expect(filter.at(-2)).toBe('-A SITEWIRE-FORWARD -m comment --comment "forwardDefault: drop" -j DROP');
    expect(filter.slice(0, -2)).toEqual(table(text, "filter").slice(0, -1));
  });

  it("*mangle clamps the MSS to the path MTU both ways through tun0", () => {
    expect(table(text, "mangle").filter((l) => l.startsWith("-A"))).toEqual([
      '-A SITEWIRE-MSS -o tun0 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "flow partner-api" -j TCPMSS --clamp-mss-to-pmtu',
      '-A SITEWIRE-MSS -i tun0 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "flow partner-api" -j TCPMSS --clamp-mss-to-pmtu',
    ]);
  });

  it("names no built-in chain at all: only sitewire's chains are declared or appended to", () => {
    for (const line of text.split("\n").filter((l) => l.startsWith(":") || l.startsWith("-"))) expect(line).toMatch(/^(:|-A )SITEWIRE-(FORWARD|POSTROUTING|MSS) /);
  });

  it("ends every table with exactly COMMIT and a newline (the legacy parser's demand)", () => {
    expect(text.match(/^COMMIT$/gm)).toHaveLength(3);
    expect(text).not.toMatch(/COMMIT[ \t\r]/);
    expect(text.endsWith("COMMIT\n")).toBe(true);
  });
});

describe("vti gateway rules (seed 004)", () => {
  const text = rules(bjs, "strongswan-1");

  it("forwards VPC <-> data centre through tunnel1 only, and masquerades nothing (the nat chain is declared, empty)", () => {
    expect(table(text, "filter").filter((l) => l.startsWith("-A"))).toEqual([
      "-A SITEWIRE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      '-A SITEWIRE-FORWARD -s 172.16.0.0/16 -d 10.10.0.0/16 -o tunnel1 -m comment --comment "tunnel vpn1" -j ACCEPT',
      '-A SITEWIRE-FORWARD -s 10.10.0.0/16 -d 172.16.0.0/16 -i tunnel1 -m comment --comment "tunnel vpn1" -j ACCEPT',
    ]);
    expect(table(text, "nat")).toEqual(["*nat", ":SITEWIRE-POSTROUTING - [0:0]", "COMMIT"]);
  });

  it("clamps to the MSS derived from the tunnel MTU (1436 - 40), both directions", () => {
    expect(table(text, "mangle").filter((l) => l.startsWith("-A"))).toEqual([
      '-A SITEWIRE-MSS -o tunnel1 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "tunnel vpn1" -j TCPMSS --set-mss 1396',
      '-A SITEWIRE-MSS -i tunnel1 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "tunnel vpn1" -j TCPMSS --set-mss 1396',
    ]);
  });
});

describe("the loader and its unit", () => {
  const files = iptablesTarget.emit(bjs).filter((a) => a.host === "strongswan-1");
  const script = files.find((a) => a.kind === "shell")!.content;
  const unit = files.find((a) => a.kind === "systemd-unit")!.content;

  it("the loader reads sitewire's file and knows each chain with its table and built-in chain", () => {
    expect(script).toContain("\nreadonly RULES=/etc/sitewire/iptables.rules\n");
    expect(script).toContain('  "nat SITEWIRE-POSTROUTING POSTROUTING"\n  "filter SITEWIRE-FORWARD FORWARD"\n  "mangle SITEWIRE-MSS FORWARD"\n');
    expect(script).toContain("\nreadonly RULES6=''\n");
    expect(script).toContain('    iptables-restore -w "$WAIT" --noflush "$@"\n');
    expect(script).toContain('    ip6tables-restore -w "$WAIT" --noflush "$@"\n');
    expect(script).toContain('  load_family 4 "$RULES"\n');
    // Never a policy, never a flush of anything but its own chains.
    expect(script).not.toMatch(/ -P |--policy|-F "\$hook"|-F FORWARD|-F POSTROUTING/);
  });

  it("the unit loads at boot before the network and the tunnels, after the whole-table loaders, and reloads in place", () => {
    expect(unit).toContain("\nDefaultDependencies=no\nWants=network-pre.target\n");
    expect(unit).toContain("\nBefore=network-pre.target shutdown.target sitewire-tunnels.service strongswan.service strongswan-swanctl.service\n");
    expect(unit).toContain("\nAfter=local-fs.target systemd-modules-load.service netfilter-persistent.service iptables.service firewalld.service\n");
    expect(unit).toContain("\nExecStart=/usr/local/sbin/sitewire-firewall load\nExecReload=/usr/local/sbin/sitewire-firewall load\nExecStop=/usr/local/sbin/sitewire-firewall unload\n");
  });

  it("a host where no tunnel ends is not ordered against strongSwan", () => {
    const front = iptablesTarget.emit(partner).find((a) => a.kind === "systemd-unit")!.content;
    expect(front).toContain("\nBefore=network-pre.target shutdown.target sitewire-tunnels.service\n");
  });
});

describe("flow variants", () => {
  it("ports narrow the FORWARD rules, one rule per protocol", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.flows["partner-api"].ports = ["tcp/8080", "tcp/443", "udp/53"];
    });
    const forward = table(rules(site, "vpn-front"), "filter").filter((l) => l.includes("10.24.0.10/32"));
    expect(forward).toEqual([
      '-A SITEWIRE-FORWARD -s 10.24.0.10/32 -d 172.16.0.0/24 -i eth0 -o tun0 -p tcp -m multiport --dports 443,8080 -m comment --comment "flow partner-api" -j ACCEPT',
      '-A SITEWIRE-FORWARD -s 10.24.0.10/32 -d 172.16.0.0/24 -i eth0 -o tun0 -p udp -m udp --dport 53 -m comment --comment "flow partner-api" -j ACCEPT',
    ]);
  });

  it("nat: none leaves sitewire's nat chain empty, so a load removes masquerading the intent no longer has", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.flows["partner-api"].nat = "none";
    });
    const text = rules(site, "vpn-front");
    expect(table(text, "nat")).toEqual(["*nat", ":SITEWIRE-POSTROUTING - [0:0]", "COMMIT"]);
    expect(text).not.toContain("DROP");
  });

  it("a host with NAT but no forward rules gets an empty SITEWIRE-FORWARD: nothing accepted, nothing dropped", () => {
    const front = partner.hosts.find((h) => h.name === "vpn-front")!;
    const site: SiteModel = { ...partner, hosts: [{ ...front, forward: [] }] };
    const text = rules(site, "vpn-front");
    expect(table(text, "filter")).toEqual(["*filter", ":SITEWIRE-FORWARD - [0:0]", "COMMIT"]);
    expect(text).not.toContain("DROP");
    expect(table(text, "nat")).toHaveLength(5);
  });

  it("a 0.0.0.0/0 source is left out, as iptables-save prints it", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.flows["partner-api"].from = ["0.0.0.0/0"];
    });
    expect(table(rules(site, "vpn-front"), "nat")).toContain('-A SITEWIRE-POSTROUTING -o tun0 -m comment --comment "flow partner-api" -j MASQUERADE');
  });
});

describe("free text in rules files", () => {
  it("a route origin or description reaches --comment only double-quoted and escaped", () => {
    const front = partner.hosts.find((h) => h.name === "vpn-front")!;
    const evil = 'a" -j ACCEPT\\ -A INPUT';
    const site: SiteModel = { ...partner, hosts: [{ ...front, nat: [{ ...front.nat[0]!, origin: evil }] }] };
    expect(table(rules(site, "vpn-front"), "nat")).toContain(
      '-A SITEWIRE-POSTROUTING -s 10.24.0.10/32 -o tun0 -m comment --comment "a\\" -j ACCEPT\\\\ -A INPUT" -j MASQUERADE',
    );
  });

  it("a host description lands in a comment line only", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.hosts["vpn-front"].description = "*nat COMMIT -A FORWARD -j ACCEPT";
    });
    const lines = rules(site, "vpn-front").split("\n").filter((l) => l.includes("-j ACCEPT") && l.includes("*nat"));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith("# ")).toBe(true);
  });
});

describe("IPv6: the ip6tables file beside the iptables one", () => {
  const dual = fixtureSite("test/fixtures/sites/nat66-front.yaml").fixtureWith(() => {});
  const emitted = iptablesTarget.emit(dual);
  const file = (path: string) => emitted.find((a) => a.path === hostFile("front", path))?.content;
  const v4 = file(HOST_PATHS.debian.iptablesRules)!;
  const v6 = file(HOST_PATHS.debian.ip6tablesRules)!;
  const v6Prefix = (cidr: string, network: string, length: number): Prefix => ({ cidr, network, length, mask: "", family: 6 });

  it("a host with IPv6 rules gets /etc/sitewire/ip6tables.rules (kind ip6tables-restore) beside the IPv4 file; one loader and unit", () => {
    expect(emitted.filter((a) => a.host === "front").map((a) => [a.path, a.mode.toString(8), a.kind])).toEqual([
      ["hosts/front/etc/sitewire/iptables.rules", "644", "iptables-restore"],
      ["hosts/front/etc/sitewire/ip6tables.rules", "644", "ip6tables-restore"],
      ["hosts/front/usr/local/sbin/sitewire-firewall", "755", "shell"],
      ["hosts/front/etc/systemd/system/sitewire-firewall.service", "644", "systemd-unit"],
    ]);
    expect(iptablesTarget.kinds["ip6tables-restore"]).toEqual({ text: "ip6tables rules (ip6tables-restore)", handler: "iptables", mode: 0o644 });
  });

  it("each family's rules in its own file: NAT44 and the IPv4 flow in iptables, NAT66 and the IPv6 flows in ip6tables", () => {
    expect(table(v4, "nat").filter((l) => l.startsWith("-A"))).toEqual(['-A SITEWIRE-POSTROUTING -s 10.26.0.10/32 -o tun0 -m comment --comment "flow api" -j MASQUERADE']);
    expect(table(v6, "nat")).toEqual([
      "*nat",
      ":SITEWIRE-POSTROUTING - [0:0]",
      '-A SITEWIRE-POSTROUTING -s 2001:db8:26::10/128 -o tun6 -m comment --comment "flow api6" -j MASQUERADE',
      "COMMIT",
    ]);
    expect(table(v6, "filter")).toEqual([
      "*filter",
      ":SITEWIRE-FORWARD - [0:0]",
      "-A SITEWIRE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      '-A SITEWIRE-FORWARD -s 2001:db8:26::10/128 -d 2001:db8:f26::/64 -i eth0 -o tun6 -m comment --comment "flow api6" -j ACCEPT',
      '-A SITEWIRE-FORWARD -s 2001:db8:27::/64 -d 2001:db8:f26::/64 -o tun6 -m comment --comment "flow office6" -j ACCEPT',
      "COMMIT",
    ]);
    expect(v4).not.toMatch(/2001:db8|tun6/);
    expect(v6).not.toMatch(/10\.26\.|172\.16\.|tun0/);
    // nat: none (flow office6) masquerades nothing.
    expect(v6).not.toContain("2001:db8:27::/64 -o tun6 -m comment --comment \"flow office6\" -j MASQUERADE");
  });

  it("the same chains, declared even when empty, and no built-in chain or policy, in the IPv6 file too", () => {
    const tables = iptablesTables(v6);
    expect([...tables.keys()].sort()).toEqual(["filter", "mangle", "nat"]);
    for (const c of OWNED_CHAINS) expect([...tables.get(c.table)!.policies]).toEqual([[c.chain, "-"]]);
    expect(v6).toContain("# IPv6 rules of front (dual-stack front machine (iptables and ip6tables)), for `ip6tables-restore --noflush`.");
    expect(v6).toContain("# Check: ip6tables-restore --test --noflush /etc/sitewire/ip6tables.rules");
  });

  it("MSS: each family's clamps; a fixed IPv6 clamp uses mss6 (MSS − 20)", () => {
    expect(table(v6, "mangle").filter((l) => l.startsWith("-A"))).toEqual([
      '-A SITEWIRE-MSS -o tun6 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "flow api6, flow office6" -j TCPMSS --clamp-mss-to-pmtu',
      '-A SITEWIRE-MSS -i tun6 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "flow api6, flow office6" -j TCPMSS --clamp-mss-to-pmtu',
    ]);
    const front = dual.hosts.find((h) => h.name === "front")!;
    const site: SiteModel = { ...dual, hosts: [{ ...front, mssClamp: [{ device: "tun6", mss: 1360, mss6: 1340, families: [4, 6] }] }] };
    const files = iptablesTarget.emit(site);
    const of = (path: string) => table(files.find((a) => a.path === hostFile("front", path))!.content, "mangle").filter((l) => l.startsWith("-A"));
    expect(of(HOST_PATHS.debian.ip6tablesRules).map((l) => l.replace(/ -p tcp.*TCPMSS/, " …"))).toEqual(["-A SITEWIRE-MSS -o tun6 … --set-mss 1340", "-A SITEWIRE-MSS -i tun6 … --set-mss 1340"]);
    expect(of(HOST_PATHS.debian.iptablesRules).map((l) => l.replace(/ -p tcp.*TCPMSS/, " …"))).toEqual(["-A SITEWIRE-MSS -o tun6 … --set-mss 1360", "-A SITEWIRE-MSS -i tun6 … --set-mss 1360"]);
  });

  it("the loader loads both files (both --test first) and the unit orders after ip6tables.service too", () => {
    const script = file(HOST_PATHS.debian.firewallScript)!;
    const unit = file(HOST_PATHS.debian.firewallUnit)!;
    expect(script).toContain("\nreadonly RULES=/etc/sitewire/iptables.rules\n# sitewire's IPv6 rules (ip6tables-restore); empty when this host has none.\nreadonly RULES6=/etc/sitewire/ip6tables.rules\n");
    const load = script.slice(script.indexOf("\nload() {"), script.indexOf("\nunload() {"));
    expect(load.indexOf('restore 6 --test "$RULES6"')).toBeLessThan(load.indexOf('load_family 4 "$RULES"'));
    expect(load.indexOf('restore 4 --test "$RULES"')).toBeLessThan(load.indexOf('load_family 4 "$RULES"'));
    expect(unit).toContain("\nAfter=local-fs.target systemd-modules-load.service netfilter-persistent.service iptables.service firewalld.service ip6tables.service\n");
    expect(unit).toContain("\nDocumentation=man:iptables-restore(8) man:ip6tables-restore(8)\n");
  });

  it("an IPv4-only host gets no ip6tables file; its loader removes sitewire's IPv6 chains an earlier intent left", () => {
    expect(iptablesTarget.emit(partner).some((a) => a.kind === "ip6tables-restore")).toBe(false);
    const script = iptablesTarget.emit(partner).find((a) => a.kind === "shell")!.content;
    expect(script).toContain("\nreadonly RULES6=''\n");
    expect(script).toContain("    unload_family 6 optional\n");
  });

  it("forwardDefault: drop gives an IPv6 file with the drop too (the inet table of the nftables backend drops both families)", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.hosts["vpn-front"].firewall = { forwardDefault: "drop" };
    });
    const six = iptablesTarget.emit(site).find((a) => a.kind === "ip6tables-restore")!.content;
    expect(table(six, "filter")).toEqual(["*filter", ":SITEWIRE-FORWARD - [0:0]", '-A SITEWIRE-FORWARD -m comment --comment "forwardDefault: drop" -j DROP', "COMMIT"]);
    expect(table(six, "nat")).toEqual(["*nat", ":SITEWIRE-POSTROUTING - [0:0]", "COMMIT"]);
  });

  it("a prefix of the other family, or an IPv6 prefix whose text is not canonical, never reaches a file", () => {
    const front = dual.hosts.find((h) => h.name === "front")!;
    const nat6 = front.nat.find((n) => n.source.family === 6)!;
    const emit = (nat: typeof front.nat) => () => iptablesTarget.emit({ ...dual, hosts: [{ ...front, nat }] });
    expect(emit([{ ...nat6, source: { ...nat6.source, family: 4 } }])).toThrow(/internal/);
    expect(emit([{ ...nat6, source: v6Prefix("2001:DB8:26::10/128", "2001:DB8:26::10", 128) }])).toThrow(/internal/);
    expect(emit([{ ...nat6, source: v6Prefix('2001:db8::/32" -j ACCEPT', "2001:db8::", 32) }])).toThrow(/internal/);
    const fwd6 = front.forward.find((f) => f.source.family === 6)!;
    expect(() => iptablesTarget.emit({ ...dual, hosts: [{ ...front, forward: [{ ...fwd6, destination: front.forward.find((f) => f.source.family === 4)!.destination }] }] })).toThrow(/mixes address families/);
  });

  it("a ::/0 source is left out, as ip6tables-save prints it", () => {
    const front = dual.hosts.find((h) => h.name === "front")!;
    const nat6 = front.nat.find((n) => n.source.family === 6)!;
    const site: SiteModel = { ...dual, hosts: [{ ...front, nat: [{ ...nat6, source: v6Prefix("::/0", "::", 0) }] }] };
    const six = iptablesTarget.emit(site).find((a) => a.kind === "ip6tables-restore")!.content;
    expect(table(six, "nat")).toContain('-A SITEWIRE-POSTROUTING -o tun6 -m comment --comment "flow api6" -j MASQUERADE');
  });
});
