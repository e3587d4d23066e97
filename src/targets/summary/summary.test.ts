/**
 * The per-site README: its table of what each host, device and the cluster receive is exactly what the
 * whole pipeline emits for them (so the interim list in ./received.ts misses no target), and its Mermaid
 * topology is well formed and shows every tunnel, link and flow.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileKinds } from "../../compile/kinds.js";
import { compileSource } from "../../compile/pipeline.js";
import { BY_HAND, HANDLER_GROUPS, hostFileHandler } from "../kinds.js";
import { TARGETS } from "../registry.js";
import { walkSite } from "../../explain/walks.js";
import { summaryTarget } from "./index.js";
import { text } from "./topology.js";

const root = new URL("../../../", import.meta.url);
const siteFiles = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`),
);
const compiled = siteFiles.map((file) => compileSource(file, readFileSync(new URL(file, root), "utf8"))).filter((r) => r.model);

function readme(r: (typeof compiled)[number]): string {
  return r.artifacts.find((a) => a.path === "README.md")!.content;
}

function section(md: string, title: string): string[] {
  const lines = md.split("\n");
  const start = lines.indexOf(`## ${title}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe.each(compiled.map((r) => [r.site!, r] as const))("README of %s", (_site, r) => {
  it("lists exactly the files the pipeline emits for hosts, devices and the cluster", () => {
    const rows = section(readme(r), "What each host and device receives")
      .filter((l) => /^\| (host|device|cluster)/.test(l))
      .map((l) => l.split(" | ").map((c) => c.replace(/^\| /, "").replace(/ \|$/, "")));
    const shown = rows.map(([owner, file, , mode]) => {
      const host = owner!.startsWith("host ") ? owner!.slice(5) : undefined;
      return `${host ? `hosts/${host}${file}` : file} ${mode}`;
    });
    const emitted = r.artifacts.filter((a) => a.host || a.device || a.path.startsWith("cluster/")).map((a) => `${a.path} ${a.mode.toString(8).padStart(4, "0")}`);
    expect(shown.sort()).toEqual(emitted.sort());
    for (const row of rows.filter((x) => x[0]!.startsWith("host ") && x[2]!.includes("secret placeholder"))) expect(row[3]).toBe("0600");
  });

  it("says what each file is and what applies it from the declaration of its kind", () => {
    const kinds = compileKinds(TARGETS);
    const rows = section(readme(r), "What each host and device receives")
      .filter((l) => /^\| (host|device|cluster|cloud) /.test(l))
      .map((l) => l.split(" | ").map((c) => c.replace(/^\| /, "").replace(/ \|$/, "")));
    expect(rows.length).toBe(r.artifacts.filter((a) => a.host || a.device || a.path.startsWith("cluster/") || a.path.startsWith("cloud/")).length);
    for (const [owner, file, what, , applied] of rows) {
      const host = owner!.startsWith("host ") ? owner!.slice(5) : undefined;
      const artifact = r.artifacts.find((a) => a.path === (host ? `hosts/${host}${file}` : file))!;
      const kind = kinds.get(artifact.kind)!;
      expect(what, artifact.path).toMatch(new RegExp(`^${kind.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\(secret placeholder: .*\\))?$`));
      const handler = host ? hostFileHandler(file!.slice(1), kind) : undefined;
      expect(applied, artifact.path).toBe(artifact.device ? BY_HAND : host ? (handler === "none" ? "installed" : HANDLER_GROUPS[handler!]) : kind.appliedBy);
    }
  });

  it("has a well-formed Mermaid topology with every tunnel, link and flow", () => {
    const lines = section(readme(r), "Topology");
    const open = lines.indexOf("```mermaid");
    const close = lines.indexOf("```", open + 1);
    expect(open).toBeGreaterThanOrEqual(0);
    const body = lines.slice(open + 1, close);
    expect(body[0]).toBe("flowchart LR");
    const nodes = new Map<string, string>();
    const edges: { from: string; link: string; label: string; to: string }[] = [];
    for (const line of body.slice(1)) {
      const node = /^ {2}([a-z][a-z0-9]*)(\[|\[\/|\[\(|\{\{|\(\[)"([^"]*)"(\]|\/\]|\)\]|\}\}|\]\))$/.exec(line);
      const edge = /^ {2}([a-z][a-z0-9]*) (---|===|==>|-\.->|-\.-)(?:\|"([^"]*)"\|)? ([a-z][a-z0-9]*)$/.exec(line);
      if (node) {
        expect(nodes.has(node[1]!), `node ${node[1]} declared twice`).toBe(false);
        nodes.set(node[1]!, node[3]!);
      } else if (edge) edges.push({ from: edge[1]!, link: edge[2]!, label: edge[3] ?? "", to: edge[4]! });
      else throw new Error(`not a node or an edge: ${JSON.stringify(line)}`);
    }
    for (const e of edges) {
      expect(nodes.has(e.from), e.from).toBe(true);
      expect(nodes.has(e.to), e.to).toBe(true);
    }
    const idOf = (name: string) => [...nodes].find(([, label]) => label.split("<br/>")[0] === name)?.[0];
    const model = r.model!;
    for (const t of model.tunnels) expect(edges).toContainEqual(expect.objectContaining({ from: idOf(t.host.node), link: "===", to: idOf(t.peer.node), label: expect.stringMatching(new RegExp(`^${t.name} · `)) }));
    for (const l of model.links) expect(edges).toContainEqual(expect.objectContaining({ from: idOf(l.hosts[0]), link: "---", to: idOf(l.hosts[1]) }));
    for (const f of model.flows) expect(edges.filter((e) => e.link === "==>" && e.from === idOf(f.via) && e.label.startsWith(`flow ${f.name} · out ${f.out}`))).toHaveLength(f.to.length);
  });

  it("lists each flow with its paths as the explain engine walks them, delivered", () => {
    const lines = section(readme(r), "Flows").filter((l) => l.startsWith("- **"));
    const walks = walkSite({ model: r.model!, artifacts: r.artifacts });
    expect(lines).toHaveLength(r.model!.flows.length);
    for (const f of r.model!.flows) {
      const line = lines.find((l) => l.startsWith(`- **${f.name}** `))!;
      expect(line, f.name).toMatch(new RegExp(`^- \\*\\*${f.name}\\*\\* delivered: `));
      const paths = walks.filter((w) => w.subject.kind === "flow" && w.subject.flow === f.name).map((w) => w.path);
      const shown = line.slice(line.indexOf(": ") + 2).split("; ");
      expect(shown).toHaveLength(paths.length);
      paths.forEach((p, i) => {
        const forward = p.hops.filter((h) => h.direction === "forward").map((h) => (h.kind === "link" || h.kind === "tunnel" ? `${h.kind} ${h.at}` : h.at));
        expect(shown[i]).toBe(`${[...forward, p.to].join(" → ")}${p.service ? ` ${p.service.text}` : ""}`);
      });
    }
  });
});

describe("the summary target", () => {
  it("takes the text of a file from its kind's declaration, and refuses a kind nobody declared", () => {
    const r = compiled.find((x) => x.site === "bjs-hybrid")!;
    const emitted = r.artifacts.filter((a) => a.target !== "summary" && a.target !== "manifest");
    const kinds = new Map(compileKinds(TARGETS));
    kinds.set("sysctl", { ...kinds.get("sysctl")!, text: "kernel knobs" });
    const readmeText = summaryTarget.emit(r.model!, { emitted, kinds })[0]!.content;
    expect(readmeText).toContain("| /etc/sysctl.d/90-sitewire.conf | kernel knobs | 0644 | sitewire-tunnels reload |");
    kinds.delete("sysctl");
    expect(() => summaryTarget.emit(r.model!, { emitted, kinds })).toThrow(/kind "sysctl" is declared by no target/);
  });

  it("shows the Ansible commands only where the Ansible target emitted its playbook", () => {
    const r = compiled.find((x) => x.site === "bjs-hybrid")!;
    const kinds = compileKinds(TARGETS);
    const emitted = r.artifacts.filter((a) => a.target !== "summary" && a.target !== "manifest");
    expect(summaryTarget.emit(r.model!, { emitted, kinds })[0]!.content).toContain("`ansible-playbook -i ansible/inventory.yml ansible/playbook.yml --check --diff`");
    const without = summaryTarget.emit(r.model!, { emitted: emitted.filter((a) => a.target !== "ansible"), kinds })[0]!.content;
    expect(without).not.toContain("ansible-playbook");
  });
});

describe("the Flows section's paths", () => {
  const file = "sites/partner-vpn.yaml";
  const text = readFileSync(new URL(file, root), "utf8");

  it("come from the walks the pipeline hands the late targets (EmitContext.paths), not a walk of its own", () => {
    const r = compileSource(file, text);
    const emitted = r.artifacts.filter((a) => a.target !== "summary" && a.target !== "manifest");
    const kinds = compileKinds(TARGETS);
    expect(summaryTarget.emit(r.model!, { emitted, kinds })[0]!.content).toBe(readme(r));
    expect(summaryTarget.emit(r.model!, { emitted, kinds, paths: [] })[0]!.content).not.toContain("- **partner-api**");
  });

  it("show a dropped flow with the hop and the reason, and how far back the reply got (explain's in-memory compile)", () => {
    const broken = text.replace("    nat: masquerade", "    nat: none");
    const r = compileSource(file, broken, { deliverability: false });
    const line = section(readme(r), "Flows").find((l) => l.startsWith("- **partner-api**"))!;
    expect(line).toMatch(/^- \*\*partner-api\*\* dropped at hop 4 of node-lan: no route back: the reply to 10\.24\.0\.10 must return through tun0, /);
    expect(line).toContain("node-lan → vpn-front → tun0 of vpn-front → partner-vpn (172.16.0.1) (back: tun0 of vpn-front) ✗ hop 4");
    // compile itself refuses it
    expect(compileSource(file, broken).diagnostics.map((d) => d.code)).toContain("SW170");
  });
});

describe("topology labels", () => {
  it("turn what could end a label or read as markup into entity codes", () => {
    expect(text('a"b|c<d>e#f&g\nh')).toBe("a#34;b#124;c#60;d#62;e#35;f#38;g h");
  });
});
