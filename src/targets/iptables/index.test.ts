import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { siteFile, sourceOf } from "../../../test/helpers/source.js";
import { resolveSite } from "../../model/resolve.js";
import type { SiteModel } from "../../model/types.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { iptablesTarget } from "./index.js";

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
    expect(script).toContain('iptables-restore -w "$WAIT" --noflush "$RULES"');
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
