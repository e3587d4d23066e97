/**
 * The per-site README: its table of what each host, device and the cluster receive is exactly what the
 * whole pipeline emits for them (so the interim list in ./received.ts misses no target), and its Mermaid
 * topology is well formed and shows every tunnel, link and flow.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compile/pipeline.js";
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
});

describe("topology labels", () => {
  it("turn what could end a label or read as markup into entity codes", () => {
    expect(text('a"b|c<d>e#f&g\nh')).toBe("a#34;b#124;c#60;d#62;e#35;f#38;g h");
  });
});
