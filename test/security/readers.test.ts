/**
 * The injection checks can fail: for every artifact of the example sites, a copy with one statement injected
 * the way its syntax allows (a command, a conn, an include, a rule, a unit key, a YAML key, a heading…) is
 * judged an injection, and so is a YAML comment ended by a NEL. Without this, a reader that saw nothing
 * would make the corpus pass.
 */
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { ARTIFACT_KINDS } from "../../src/compile/kinds.js";
import { missing } from "../harness/tools.js";
import { securitySites } from "./sites.js";
import { READABLE_KINDS } from "./syntax/index.js";
import { judgeAcceptance, readArtifacts } from "./verdict.js";

/** One statement per syntax, and where it goes. */
const INJECTIONS: Readonly<Record<string, (content: string) => string>> = {
  shell: append("sw_injected --now"),
  "failover-config": append("PATH=/tmp/sw_injected"),
  "strongswan-ipsec-conf": append("conn injected\n    left=%any"),
  "strongswan-secrets": append(': PSK "injected"'),
  "strongswan-conf": append("include /etc/injected.conf"),
  "swanctl-conf": append("include /etc/injected.conf"),
  "systemd-unit": append("ExecStartPre=/bin/sw_injected"),
  sysctl: append("net.ipv4.ip_forward = 0"),
  "iptables-restore": beforeLast("COMMIT", "-A FORWARD -j ACCEPT"),
  "ip6tables-restore": beforeLast("COMMIT", "-A FORWARD -j ACCEPT"),
  "iptables-preview": beforeLast("COMMIT", "-A POSTROUTING -j ACCEPT"),
  nft: append("flush ruleset"),
  "cisco-ios": beforeLast("end", "no crypto isakmp policy 100"),
  "junos-set": append("set system services telnet"),
  "fortios-cli": append("config system admin\n    edit \"injected\"\n    next\nend"),
  "panos-set": append("set deviceconfig system service disable-telnet no"),
  "k8s-manifest": append("injected: true"),
  kustomization: append("injected: true"),
  "ansible-inventory": append("injected: true"),
  "ansible-playbook": append("- hosts: all\n  tasks: [{ansible.builtin.command: sw_injected}]"),
  readme: append("## Injected"),
  manifest: (c) => c.replace("{", '{\n  "injected": true,'),
  "frr-conf": append("router bgp 65010\n neighbor 192.0.2.1 remote-as 64999"),
  "frr-daemons": append("ospfd=yes"),
  "terraform-json": (c) => c.replace('"resource": {', '"resource": {\n    "null_resource": { "injected": { "triggers": { "x": "${var.injected}" } } },'),
};

function append(statement: string): (content: string) => string {
  return (content) => `${content}${statement}\n`;
}

function beforeLast(line: string, statement: string): (content: string) => string {
  return (content) => {
    const at = content.lastIndexOf(`\n${line}\n`);
    return `${content.slice(0, at + 1)}${statement}\n${content.slice(at + 1)}`;
  };
}

describe.skipIf(missing("bash", "shellcheck", "python3"))("the injection checks see injections", () => {
  it("every artifact kind has a reader and an injection here", () => {
    for (const kind of ARTIFACT_KINDS) {
      expect(READABLE_KINDS.has(kind), kind).toBe(true);
      expect(INJECTIONS[kind], kind).toBeDefined();
    }
  });

  it.each(securitySites().filter((s) => s.example).map((s) => [s.file, s] as const))("%s: every artifact kind", async (_name, site) => {
    const artifacts = compileSource(site.file, site.text).artifacts;
    const kinds = [...new Set(artifacts.map((a) => a.kind))];
    for (const kind of kinds) expect(INJECTIONS[kind], `no injection for ${kind}`).toBeDefined();
    // One batch for the readers: the baseline, then one variant per kind with that kind's artifacts injected.
    const variants = kinds.map((kind) => artifacts.map((a) => (a.kind === kind ? { ...a, content: INJECTIONS[kind]!(a.content) } : a)));
    const read = await readArtifacts([...artifacts, ...variants.flat()]);
    const baseline = read.slice(0, artifacts.length);
    kinds.forEach((kind, i) => {
      const variant = read.slice((i + 1) * artifacts.length, (i + 2) * artifacts.length);
      for (const exact of [true, false]) expect(judgeAcceptance(baseline, variant, exact).outcome, `${kind} (exact: ${exact})`).not.toBe("inert");
    });
  }, 120_000);

  // The example sites have no cloud peer yet: the cloud fixture's Terraform JSON, injected and as an
  // interpolation smuggled into an existing string value.
  it("Terraform JSON injections are seen", async () => {
    const site = securitySites().find((s) => s.file === "sites/aws-tgw-bgp.yaml")!;
    const artifacts = compileSource(site.file, site.text).artifacts;
    expect(artifacts.some((a) => a.kind === "terraform-json")).toBe(true);
    const baseline = await readArtifacts(artifacts);
    const variants = [
      INJECTIONS["terraform-json"]!,
      (c: string) => c.replace('"Name": "aws-tgw-bgp-gw-1"', '"Name": "${file(\\"/etc/shadow\\")}"'),
      (c: string) => c.replace('"Name": "aws-tgw-bgp-gw-1"', '"Name": "%{ if true }x%{ endif }"'),
    ];
    for (const inject of variants) {
      const variant = artifacts.map((a) => (a.kind === "terraform-json" ? { ...a, content: inject(a.content) } : a));
      expect(variant.some((a, i) => a.content !== artifacts[i]!.content)).toBe(true);
      expect(judgeAcceptance(baseline, await readArtifacts(variant), true).outcome).not.toBe("inert");
    }
  });

  // The example sites have no BGP host yet: the BGP fixture's FRR files, injected, and a second statement
  // smuggled onto a neighbour's description line.
  it("FRR injections are seen", async () => {
    const site = securitySites().find((s) => s.file === "sites/bgp-pair.yaml")!;
    const artifacts = compileSource(site.file, site.text).artifacts;
    expect(artifacts.filter((a) => a.kind.startsWith("frr-")).map((a) => a.kind).sort()).toEqual(["frr-conf", "frr-daemons"]);
    const baseline = await readArtifacts(artifacts);
    const variants: [string, (c: string) => string][] = [
      ["frr-conf", INJECTIONS["frr-conf"]!],
      ["frr-conf", (c) => c.replace("description tunnel a\n", "description tunnel a\n neighbor 192.0.2.1 remote-as 64999\n")],
      ["frr-conf", (c) => c.replace(" set local-preference 200\n", " set local-preference 200\n set weight 65535\n")],
      ["frr-daemons", INJECTIONS["frr-daemons"]!],
    ];
    for (const [kind, inject] of variants) {
      const variant = artifacts.map((a) => (a.kind === kind ? { ...a, content: inject(a.content) } : a));
      expect(variant.some((a, i) => a.content !== artifacts[i]!.content)).toBe(true);
      expect(judgeAcceptance(baseline, await readArtifacts(variant), true).outcome).not.toBe("inert");
    }
  }, 240_000);

  // The example sites run iptables: the nftables fixture's files, injected at the end, inside a chain, and as a
  // second statement smuggled after a rule's comment on its line.
  it("nftables injections are seen", async () => {
    const site = securitySites().find((s) => s.file === "sites/nft-gateway.yaml")!;
    const artifacts = compileSource(site.file, site.text).artifacts;
    expect(artifacts.filter((a) => a.kind === "nft").length).toBeGreaterThan(0);
    const baseline = await readArtifacts(artifacts);
    const variants: ((c: string) => string)[] = [
      INJECTIONS["nft"]!,
      (c) => c.replace("\t\tct state established,related accept\n", "\t\tct state established,related accept\n\t\taccept\n"),
      (c) => c.replace('masquerade comment "flow node-to-partner"', 'masquerade comment "flow node-to-partner"; flush ruleset'),
    ];
    for (const inject of variants) {
      const variant = artifacts.map((a) => (a.kind === "nft" ? { ...a, content: inject(a.content) } : a));
      expect(variant.some((a, i) => a.content !== artifacts[i]!.content)).toBe(true);
      for (const exact of [true, false]) expect(judgeAcceptance(baseline, await readArtifacts(variant), exact).outcome, `exact: ${exact}`).not.toBe("inert");
    }
  }, 120_000);

  // Far-side platforms other than IOS: each kind in the first site that emits it, injected.
  it.each(["junos-set", "fortios-cli", "panos-set"])("%s injections are seen", async (kind) => {
    const site = securitySites().find((s) => compileSource(s.file, s.text).artifacts.some((a) => a.kind === kind));
    expect(site, `a site emitting ${kind}`).toBeDefined();
    const artifacts = compileSource(site!.file, site!.text).artifacts;
    const baseline = await readArtifacts(artifacts);
    const variant = artifacts.map((a) => (a.kind === kind ? { ...a, content: INJECTIONS[kind]!(a.content) } : a));
    for (const exact of [true, false]) expect(judgeAcceptance(baseline, await readArtifacts(variant), exact).outcome, `exact: ${exact}`).not.toBe("inert");
  }, 120_000);

  it("a NEL ending a YAML comment is seen", async () => {
    const site = securitySites().find((s) => s.file === "sites/partner-vpn.yaml")!;
    const artifacts = compileSource(site.file, site.text).artifacts;
    const baseline = await readArtifacts(artifacts);
    const nel = artifacts.map((a) => (a.kind === "k8s-manifest" ? { ...a, content: a.content.replace("\n# ", "\n# x\u0085injected: ") } : a));
    expect(judgeAcceptance(baseline, await readArtifacts(nel), true).outcome).not.toBe("inert");
  });
});
