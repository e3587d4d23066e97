/**
 * `sitewire lsp` driven as an editor drives it: the built CLI spawned with --stdio, JSON-RPC with Content-Length
 * framing over its stdin/stdout (./client.ts). Asserts the protocol answers (diagnostics with codes and exact
 * ranges, hover, definition, references, completion, quick fixes, shutdown/exit) and the timing on a
 * 100-tunnel site (publish within 300 ms of a change, debounce included, after warm-up changes). `npm test`
 * runs this file on its own after the rest of the suite (package.json), so the timing is measured on an
 * otherwise idle machine, as an editor's server runs, not beside a second vitest worker.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInvocation } from "../../src/cli/args.js";
import { UsageError } from "../../src/cli/errors.js";
import { bigSite } from "./big-site.js";
import { LspClient, ROOT, type Message } from "./client.js";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const uriOf = (path: string) => pathToFileURL(join(ROOT, path)).href;

function edit(text: string, from: string, to: string): string {
  expect(text, `the text holds ${JSON.stringify(from)}`).toContain(from);
  return text.replace(from, to);
}

/** The LSP position (0-based line, UTF-16 character) of the `nth` occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string, nth = 0, delta = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    expect(at, `${JSON.stringify(needle)} #${nth}`).toBeGreaterThanOrEqual(0);
  }
  at += delta;
  const before = text.slice(0, at).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

function rangeOf(text: string, needle: string, nth = 0) {
  const start = positionOf(text, needle, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

const BJS = "sites/bjs-hybrid.yaml";
const BJS_TEXT = read(BJS);
/** vpn1's route to a misspelt network, and the failover pair (flow style, after non-BMP text) naming a misspelt host. */
const BROKEN =
  edit(BJS_TEXT, "      toPeer: [onprem]\n", "      toPeer: [onprm]\n").replace(/\nfailover:\n[^]*$/, "\n") +
  'failover:\n  zones: { description: "🚀 é", gateways: [strongswan-1, strongswan-3], action: aws, interval: 5s, failures: 3, recoveries: 3, restartPartner: true }\n';

let client: LspClient;
let initialized: any;

beforeAll(async () => {
  // Never build from a test: `npm run build` starts with rm -rf dist, under every other test's feet.
  if (!existsSync(join(ROOT, "dist/src/cli/main.js"))) throw new Error("dist/src/cli/main.js is missing: run 'npm run build' first (npm test does)");
  client = new LspClient();
  initialized = await client.initialize(pathToFileURL(ROOT).href);
}, 120_000);

afterAll(() => client?.kill());

describe("sitewire lsp over stdio", () => {
  it("initializes with the capabilities it serves", () => {
    expect(initialized.serverInfo.name).toBe("sitewire");
    expect(initialized.capabilities).toMatchObject({
      textDocumentSync: 2,
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      completionProvider: expect.any(Object),
      codeActionProvider: { codeActionKinds: ["quickfix"] },
    });
  });

  it("publishes every diagnostic on open, with codes, exact ranges (UTF-16 columns) and quick fixes", async () => {
    client.notify("textDocument/didOpen", { textDocument: { uri: uriOf(BJS), languageId: "yaml", version: 1, text: BROKEN } });
    const { message } = await client.diagnostics(uriOf(BJS), 1);
    const diagnostics = message.params.diagnostics as any[];
    const errors = diagnostics.filter((d) => d.severity === 1);
    expect(errors.map((d) => [d.code, d.range])).toEqual([
      ["SW102", rangeOf(BROKEN, "onprm")],
      ["SW102", rangeOf(BROKEN, "strongswan-3")],
    ]);
    // The 🚀 counts two UTF-16 code units: the column is the JavaScript string index.
    expect(errors[1].range.start.character).toBe(BROKEN.split("\n").find((l) => l.includes("strongswan-3"))!.indexOf("strongswan-3"));
    expect(errors[0]).toMatchObject({ source: "sitewire", message: "unknown network or host 'onprm'\nhint: did you mean 'onprem'?" });
    expect(errors[0].data.fix).toEqual({ range: rangeOf(BROKEN, "onprm"), replacement: "onprem" });
    expect(errors[1].data.fix).toEqual({ range: rangeOf(BROKEN, "strongswan-3"), replacement: "strongswan-1" });
  });

  it("offers the hint's replacement as a quick fix", async () => {
    const { message } = await client.diagnostics(uriOf(BJS), 1);
    const d = (message.params.diagnostics as any[]).find((x) => x.code === "SW102");
    const actions = await client.request("textDocument/codeAction", {
      textDocument: { uri: uriOf(BJS) },
      range: d.range,
      context: { diagnostics: [d], only: ["quickfix"] },
    });
    expect(actions).toEqual([
      {
        title: "Change to 'onprem'",
        kind: "quickfix",
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [uriOf(BJS)]: [{ range: rangeOf(BROKEN, "onprm"), newText: "onprem" }] } },
      },
    ]);
  });

  it("re-publishes after didChange: an incremental edit that applies the fix clears that error", async () => {
    client.notify("textDocument/didChange", {
      textDocument: { uri: uriOf(BJS), version: 2 },
      contentChanges: [{ range: rangeOf(BROKEN, "onprm"), text: "onprem" }],
    });
    const { message } = await client.diagnostics(uriOf(BJS), 2);
    expect((message.params.diagnostics as any[]).filter((d) => d.severity === 1).map((d) => d.code)).toEqual(["SW102"]);
    // Back to the example itself: no errors at all.
    client.notify("textDocument/didChange", { textDocument: { uri: uriOf(BJS), version: 3 }, contentChanges: [{ text: BJS_TEXT }] });
    const clean = await client.diagnostics(uriOf(BJS), 3);
    expect((clean.message.params.diagnostics as any[]).filter((d) => d.severity === 1)).toEqual([]);
  });

  it("debounces: of a burst of edits only the last is analysed and published", async () => {
    const uri = uriOf(BJS);
    for (let v = 4; v <= 8; v++) {
      const text = v === 8 ? edit(BJS_TEXT, "      toHost: [vpc]\n", "      toHost: [vcp]\n") : BJS_TEXT + `# edit ${v}\n`;
      client.notify("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    }
    const { message } = await client.diagnostics(uri, 8);
    expect((message.params.diagnostics as any[]).filter((d) => d.severity === 1).map((d) => d.code)).toEqual(["SW102"]);
    const versions = client.notifications.filter((n) => n.message.method === "textDocument/publishDiagnostics" && n.message.params.uri === uri).map((n) => n.message.params.version);
    expect(versions.filter((v: number) => v >= 4 && v < 8)).toEqual([]);
    client.notify("textDocument/didChange", { textDocument: { uri, version: 9 }, contentChanges: [{ text: BJS_TEXT }] });
    await client.diagnostics(uri, 9);
  });

  const hover = async (needle: string, nth = 0, delta = 1) =>
    (await client.request("textDocument/hover", { textDocument: { uri: uriOf(BJS) }, position: positionOf(BJS_TEXT, needle, nth, delta) }))?.contents.value as string | undefined;

  it("hovers on names: a network's prefix, a host's addresses and tunnels, a peer's platform, a tunnel's ends", async () => {
    expect(await hover("[onprem]")).toBe("network **onprem**\n\n- prefix: `10.10.0.0/16`");
    const host = await hover("[strongswan-1, dc-router-1]");
    expect(host).toContain("host **strongswan-1**");
    expect(host).toContain("address: `172.16.1.157/24`");
    expect(host).toContain("publicAddress: `54.223.192.238`");
    expect(host).toContain("tunnels: `vpn1` (strongswan-1 ↔ dc-router-1)");
    const peer = await hover("dc-router-1]", 0, 0);
    expect(peer).toContain("peer **dc-router-1**");
    expect(peer).toContain("platform: cisco-ios");
    expect(peer).toContain("publicAddress: `52.50.130.77`");
    // A tunnel's key: its ends, with the inside addresses the resolver derived (peer first, by default).
    const tunnel = await hover("  vpn1:", 0, 2);
    expect(tunnel).toContain("between: `strongswan-1` ↔ `dc-router-1`");
    expect(tunnel).toContain("strongswan-1: inside `169.254.100.2/30`, outside `172.16.1.157`");
    expect(tunnel).toContain("dc-router-1: inside `169.254.100.1/30`, outside `10.10.1.100`");
  });

  it("hovers on keys: the schema's description with the default and why, and the setting it becomes", async () => {
    const mtu = await hover("    mtu: 1436", 0, 5);
    expect(mtu).toMatch(/^\*\*tunnels\.vpn1\.mtu\*\*\n\n/);
    expect(mtu).toContain("Default: 1400 (Cisco's recommendation for IPsec tunnel interfaces");
    const ike = await hover("ike: { version: 1", 0, 0);
    expect(ike).toContain("**tunnels.vpn1.ike**");
    const version = await hover("version: 1", 0, 0);
    expect(version).toContain("Default: 2 (IKEv2 is the current protocol");
    // An end's override takes the tunnel's default: the hover says which.
    const override = await hover("dpd: { delay: 10s", 0, 7);
    expect(override).toContain("**tunnels.vpn1.overrides.dc-router-1.dpd.delay**");
    expect(override).toContain("Default: 10s");
  });

  it("goes to a name's definition, from a reference and from the definition itself", async () => {
    const definition = (needle: string, nth = 0, delta = 1) =>
      client.request("textDocument/definition", { textDocument: { uri: uriOf(BJS) }, position: positionOf(BJS_TEXT, needle, nth, delta) });
    const onprem = { uri: uriOf(BJS), range: rangeOf(BJS_TEXT, "onprem", BJS_TEXT.slice(0, BJS_TEXT.indexOf("  onprem: 10.10")).split("onprem").length - 1) };
    expect(onprem.range.start.character).toBe(2);
    expect(await definition("[onprem]")).toEqual(onprem);
    expect(await definition("  onprem: 10.10", 0, 3)).toEqual(onprem);
    // A failover gateway, a tunnel end and an override key all lead to the host or peer.
    expect((await definition("gateways: [strongswan-1", 0, 12)).range.start).toEqual(positionOf(BJS_TEXT, "  strongswan-1:\n", 0, 2));
    expect((await definition("      dc-router-2:\n", 0, 7)).range.start).toEqual(positionOf(BJS_TEXT, "  dc-router-2:\n", 0, 2));
    // A literal and a plain key are no names.
    expect(await definition("172.16.0.0/16")).toBeNull();
    expect(await definition("    mtu: 1436")).toBeNull();
  });

  it("finds every reference of a network, a host and a peer", async () => {
    const references = async (needle: string, nth: number, delta: number, includeDeclaration: boolean) =>
      ((await client.request("textDocument/references", {
        textDocument: { uri: uriOf(BJS) },
        position: positionOf(BJS_TEXT, needle, nth, delta),
        context: { includeDeclaration },
      })) as any[]).map((l) => l.range.start);
    /** Every occurrence of `needle`, `delta` characters in. */
    const all = (needle: string, delta: number) => [...BJS_TEXT.matchAll(new RegExp(needle.replace(/[[\]]/g, "\\$&"), "g"))].map((m) => positionAtIndex(m.index! + delta));
    expect(all("toHost: [vpc]", 9)).toHaveLength(2);
    expect(await references("  vpc: 172", 0, 3, true)).toEqual([positionOf(BJS_TEXT, "  vpc: 172", 0, 2), ...all("toHost: [vpc]", 9)]);
    expect(await references("toHost: [vpc]", 1, 10, false)).toEqual(all("toHost: [vpc]", 9));
    // strongswan-2: a tunnel end and a failover gateway.
    expect(await references("  strongswan-2:\n", 0, 3, false)).toEqual([positionOf(BJS_TEXT, "[strongswan-2, dc", 0, 1), positionOf(BJS_TEXT, "strongswan-1, strongswan-2]", 0, 14)]);
    // dc-router-1: a tunnel end and the key of its end's overrides.
    expect(await references("  dc-router-1:\n", 0, 3, false)).toEqual([positionOf(BJS_TEXT, "strongswan-1, dc-router-1]", 0, 14), positionOf(BJS_TEXT, "      dc-router-1:\n", 0, 6)]);
  });

  it("completes names where the schema expects one, of the kinds it names", async () => {
    const complete = async (text: string, needle: string, delta: number) => {
      client.notify("textDocument/didChange", { textDocument: { uri: uriOf(BJS), version: ++version }, contentChanges: [{ text }] });
      const items = (await client.request("textDocument/completion", { textDocument: { uri: uriOf(BJS) }, position: positionOf(text, needle, 0, delta) })) as any[];
      return items.map((i) => `${i.detail} ${i.label}`);
    };
    // The second end of a tunnel is a peer, the first a host.
    expect(await complete(BJS_TEXT, "[strongswan-1, dc-router-1]", 15)).toEqual(["peer dc-router-1", "peer dc-router-2"]);
    expect(await complete(BJS_TEXT, "[strongswan-1, dc-router-1]", 1)).toEqual(["host strongswan-1", "host strongswan-2"]);
    // A route list takes networks and hosts; here while typing a new item.
    const typing = edit(BJS_TEXT, "      toHost: [vpc]\n", "      toHost: [vpc, ]\n");
    expect(await complete(typing, "toHost: [vpc, ]", 14)).toEqual(["network vpc", "network onprem", "host strongswan-1", "host strongswan-2"]);
    // An empty value: a flow's gateway is a host.
    const flow = edit(BJS_TEXT, "\nfailover:", "\nflows:\n  f:\n    via: \n\nfailover:");
    expect(await complete(flow, "    via: \n", 9)).toEqual(["host strongswan-1", "host strongswan-2"]);
    // No names where none is expected.
    expect(await complete(BJS_TEXT, "    mtu: 1436", 10)).toEqual([]);
    const items = (await client.request("textDocument/completion", { textDocument: { uri: uriOf(BJS) }, position: positionOf(BJS_TEXT, "[strongswan-1, dc-router-1]", 0, 15) })) as any[];
    expect(items[0].documentation.value).toContain("platform: cisco-ios");
  });

  it("publishes the deliverability check (SW170) after the emitters, like compile", async () => {
    const path = "sites/partner-vpn.yaml";
    const text = edit(read(path), "    nat: masquerade", "    nat: none");
    client.notify("textDocument/didOpen", { textDocument: { uri: uriOf(path), languageId: "yaml", version: 1, text } });
    const { message } = await client.waitFor("textDocument/publishDiagnostics", (m) => m.params.uri === uriOf(path) && m.params.diagnostics.some((d: any) => d.code === "SW170"));
    const sw170 = (message.params.diagnostics as any[]).filter((d) => d.code === "SW170");
    expect(sw170.length).toBeGreaterThan(0);
    expect(sw170.every((d) => d.severity === 1 && d.range.start.line > 0)).toBe(true);
    client.notify("textDocument/didClose", { textDocument: { uri: uriOf(path) } });
    await client.waitFor("textDocument/publishDiagnostics", (m) => m.params.uri === uriOf(path) && m.params.diagnostics.length === 0);
  });
});

let version = 100;

function positionAtIndex(index: number): { line: number; character: number } {
  const before = BJS_TEXT.slice(0, index).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

describe("sitewire lsp timing and exit", () => {
  it("publishes within 300 ms of a change on a 100-tunnel site (debounce included, after warm-up)", async () => {
    const path = "sites/big.yaml";
    const uri = uriOf(path);
    const text = bigSite(100);
    expect(text.match(/^  t\d+:$/gm)).toHaveLength(100);
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    const opened = await client.diagnostics(uri, 1, 30_000);
    expect((opened.message.params.diagnostics as any[]).filter((d) => d.severity === 1)).toEqual([]);
    const change = async (v: number, body: string) => {
      const sent = client.notify("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ text: body }] });
      const received = await client.diagnostics(uri, v, 30_000);
      // Let the second pass (emit and deliverability) finish before the next change, as between keystrokes.
      await new Promise((resolve) => setTimeout(resolve, 700));
      return { ms: received.at - sent, diagnostics: received.message.params.diagnostics as any[] };
    };
    await change(2, text + "# warm-up 1\n");
    await change(3, text + "# warm-up 2\n");
    const timings: number[] = [];
    for (let v = 4; v < 9; v++) {
      const broken = text.replace("toPeer: [dc57]", `toPeer: [dc57x${v}]`);
      const r = await change(v, v % 2 === 0 ? broken : text);
      expect(r.diagnostics.filter((d) => d.severity === 1).map((d) => d.code)).toEqual(v % 2 === 0 ? ["SW102"] : []);
      timings.push(r.ms);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`lsp: didChange → publishDiagnostics on a 100-tunnel site: ${timings.map((t) => t.toFixed(0)).join(", ")} ms (median ${median.toFixed(0)})`);
    expect(median).toBeLessThanOrEqual(300);
    // Debounce: never sooner than the quiet period.
    expect(sorted[0]).toBeGreaterThanOrEqual(95);
  }, 120_000);

  it("shuts down on shutdown + exit with code 0, having written nothing but framed messages to stdout", async () => {
    const code = await client.shutdown();
    expect(code).toBe(0);
    const stdout = Buffer.concat(client.raw).toString("utf8");
    expect(stdout.replace(/Content-Length: (\d+)\r\n\r\n/g, "")).not.toMatch(/^[^{]/);
    expect(client.stderr).not.toMatch(/internal error/);
  });
});

describe("sitewire lsp on the command line", () => {
  it("parses --stdio (the default) and refuses anything else", () => {
    expect(parseInvocation(["lsp"])).toEqual({ kind: "lsp", args: { transport: "stdio" } });
    expect(parseInvocation(["lsp", "--stdio"])).toEqual({ kind: "lsp", args: { transport: "stdio" } });
    expect(parseInvocation(["lsp", "--help"])).toEqual({ kind: "help", command: "lsp" });
    expect(() => parseInvocation(["lsp", "--socket=9000"])).toThrow(UsageError);
    expect(() => parseInvocation(["lsp", "sites/a.yaml"])).toThrow(UsageError);
  });

  it("exits 1 when the client closes its end without shutdown", async () => {
    const c = new LspClient();
    await c.initialize(pathToFileURL(ROOT).href);
    c.child.stdin.end();
    expect(await c.exited).toBe(1);
  });
});
