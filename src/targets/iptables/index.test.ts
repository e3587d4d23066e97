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

describe("iptables target: which hosts get a rules file", () => {
  it("the gateways that forward, at their OS family's persistence path; not the nodes", () => {
    expect(iptablesTarget.emit(partner).map((a) => [a.path, a.mode.toString(8), a.kind, a.host])).toEqual([
      ["hosts/vpn-front/etc/sysconfig/iptables", "644", "iptables-restore", "vpn-front"],
    ]);
    expect(iptablesTarget.emit(bjs).map((a) => a.path)).toEqual(["hosts/strongswan-1/etc/sysconfig/iptables", "hosts/strongswan-2/etc/sysconfig/iptables"]);
  });

  it("Debian hosts get /etc/iptables/rules.v4 (iptables-persistent)", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.hosts["vpn-front"].os = "debian";
    });
    expect(iptablesTarget.emit(site).map((a) => a.path)).toEqual(["hosts/vpn-front/etc/iptables/rules.v4"]);
    expect(rules(site, "vpn-front")).toContain("# At boot: netfilter-persistent.service (package iptables-persistent).\n");
  });
});

describe("vpn-front rules reproduce seed 000's NAT, for both nodes", () => {
  const text = rules(partner, "vpn-front");

  it("*nat masquerades each node's address as vpn-front sees it, out of tun0", () => {
    expect(table(text, "nat")).toEqual([
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":INPUT ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      ":POSTROUTING ACCEPT [0:0]",
      '-A POSTROUTING -s 10.24.0.10/32 -o tun0 -m comment --comment "flow partner-api" -j MASQUERADE',
      '-A POSTROUTING -s 192.168.10.1/32 -o tun0 -m comment --comment "flow partner-api" -j MASQUERADE',
      "COMMIT",
    ]);
  });

  it("*filter drops forwarding by default, accepts replies first, then exactly the flow from each node's interface", () => {
    expect(table(text, "filter")).toEqual([
      "*filter",
      ":INPUT ACCEPT [0:0]",
      ":FORWARD DROP [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      '-A FORWARD -s 10.24.0.10/32 -d 172.16.0.0/24 -i eth0 -o tun0 -m comment --comment "flow partner-api" -j ACCEPT',
      '-A FORWARD -s 192.168.10.1/32 -d 172.16.0.0/24 -i vpnnic -o tun0 -m comment --comment "flow partner-api" -j ACCEPT',
      "COMMIT",
    ]);
  });

  it("*mangle clamps the MSS to the path MTU both ways through tun0", () => {
    expect(table(text, "mangle").filter((l) => l.startsWith("-A"))).toEqual([
      '-A FORWARD -o tun0 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "flow partner-api" -j TCPMSS --clamp-mss-to-pmtu',
      '-A FORWARD -i tun0 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "flow partner-api" -j TCPMSS --clamp-mss-to-pmtu',
    ]);
  });

  it("ends every table with exactly COMMIT and a newline (the legacy parser's demand)", () => {
    expect(text.match(/^COMMIT$/gm)).toHaveLength(3);
    expect(text).not.toMatch(/COMMIT[ \t\r]/);
    expect(text.endsWith("COMMIT\n")).toBe(true);
  });
});

describe("vti gateway rules (seed 004)", () => {
  const text = rules(bjs, "strongswan-1");

  it("forwards VPC <-> data centre through tunnel1 only, and has no NAT", () => {
    expect(table(text, "filter").filter((l) => l.startsWith("-A"))).toEqual([
      "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      '-A FORWARD -s 172.16.0.0/16 -d 10.10.0.0/16 -o tunnel1 -m comment --comment "tunnel vpn1" -j ACCEPT',
      '-A FORWARD -s 10.10.0.0/16 -d 172.16.0.0/16 -i tunnel1 -m comment --comment "tunnel vpn1" -j ACCEPT',
    ]);
    expect(table(text, "nat")).toEqual([]);
  });

  it("clamps to the MSS derived from the tunnel MTU (1436 - 40), both directions", () => {
    expect(table(text, "mangle").filter((l) => l.startsWith("-A"))).toEqual([
      '-A FORWARD -o tunnel1 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "tunnel vpn1" -j TCPMSS --set-mss 1396',
      '-A FORWARD -i tunnel1 -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "tunnel vpn1" -j TCPMSS --set-mss 1396',
    ]);
  });
});

describe("flow variants", () => {
  it("ports narrow the FORWARD rules, one rule per protocol", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.flows["partner-api"].ports = ["tcp/8080", "tcp/443", "udp/53"];
    });
    const forward = table(rules(site, "vpn-front"), "filter").filter((l) => l.includes("10.24.0.10/32"));
    expect(forward).toEqual([
      '-A FORWARD -s 10.24.0.10/32 -d 172.16.0.0/24 -i eth0 -o tun0 -p tcp -m multiport --dports 443,8080 -m comment --comment "flow partner-api" -j ACCEPT',
      '-A FORWARD -s 10.24.0.10/32 -d 172.16.0.0/24 -i eth0 -o tun0 -p udp -m udp --dport 53 -m comment --comment "flow partner-api" -j ACCEPT',
    ]);
  });

  it("nat: none leaves *nat out, so nothing there is flushed", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.flows["partner-api"].nat = "none";
    });
    const text = rules(site, "vpn-front");
    expect(text).not.toContain("*nat");
    expect(table(text, "filter")).toContain(":FORWARD DROP [0:0]");
  });

  it("a host with NAT but no forward rules gets no *filter: its FORWARD chain is not sitewire's", () => {
    const front = partner.hosts.find((h) => h.name === "vpn-front")!;
    const site: SiteModel = { ...partner, hosts: [{ ...front, forward: [] }] };
    const text = rules(site, "vpn-front");
    expect(text).not.toContain("*filter");
    expect(text).not.toContain("DROP");
    expect(text).toContain("# No filter table: the site defines nothing for vpn-front to forward");
    expect(table(text, "nat")).toHaveLength(8);
  });

  it("a 0.0.0.0/0 source is left out, as iptables-save prints it", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.flows["partner-api"].from = ["0.0.0.0/0"];
    });
    expect(table(rules(site, "vpn-front"), "nat")).toContain('-A POSTROUTING -o tun0 -m comment --comment "flow partner-api" -j MASQUERADE');
  });
});

describe("free text in rules files", () => {
  it("a route origin or description reaches --comment only double-quoted and escaped", () => {
    const front = partner.hosts.find((h) => h.name === "vpn-front")!;
    const evil = 'a" -j ACCEPT\\ -A INPUT';
    const site: SiteModel = { ...partner, hosts: [{ ...front, nat: [{ ...front.nat[0]!, origin: evil }] }] };
    expect(table(rules(site, "vpn-front"), "nat")).toContain(
      '-A POSTROUTING -s 10.24.0.10/32 -o tun0 -m comment --comment "a\\" -j ACCEPT\\\\ -A INPUT" -j MASQUERADE',
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
