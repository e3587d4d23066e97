/**
 * `sitewire import netbox` against a local HTTP server (node:http on 127.0.0.1, port 0) that serves the
 * recorded NetBox 4 API responses of test/fixtures/import/netbox (shapes of NetBox's REST serializers: see
 * src/import/netbox/index.ts) with NetBox's filters (site, tag, id, device_id), its token check (403) and
 * its pagination (`next`); plus a 500, a slow endpoint for the timeout and a `next` to another host. The same
 * files serve --from-dir. Run `npm run build` after editing src/ (the CLI tests use dist/).
 */
import { createServer, type Server } from "node:http";
import { mkdtemp, mkdir, readFile, rm } from "node:fs/promises";
import { readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { importNetbox } from "../../src/import/netbox/index.js";
import { readIos } from "../readers/ios.js";
import { iosTunnels } from "../parse-back/ios-facts.js";
import { ROOT, sitewire } from "./cli.js";

const DIR = "test/fixtures/import/netbox";
const TOKEN = "0123456789abcdef0123456789abcdef01234567";
const KEY = "nbK3yFra1Par9QwErTy77zX";
const fixture = (name: string): any => JSON.parse(readFileSync(join(ROOT, DIR, name), "utf8"));

interface Mode {
  pageSize?: Record<string, number>;
  fail?: { path: string; status: number };
  slow?: { path: string; ms: number };
  foreignNext?: string;
}

class FakeNetbox {
  server!: Server;
  url = "";
  readonly hits: string[] = [];
  mode: Mode = {};

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req.url ?? "/", req.headers.authorization, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    const a = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${a.port}`;
  }

  private async answer(raw: string, auth: string | undefined, res: import("node:http").ServerResponse): Promise<void> {
    const url = new URL(raw, this.url);
    this.hits.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (auth !== `Token ${TOKEN}`) return send(403, { detail: "Invalid token" });
    if (this.mode.slow && url.pathname === this.mode.slow.path) await new Promise((r) => setTimeout(r, this.mode.slow!.ms));
    if (this.mode.fail && url.pathname === this.mode.fail.path) return send(this.mode.fail.status, { error: "boom" });
    const file = `${url.pathname.replace(/^\/api\//, "").replace(/\/$/, "").replace(/\//g, "-")}.json`;
    let results: any[];
    try {
      results = fixture(file).results;
    } catch {
      return send(404, { detail: "Not found." });
    }
    const q = url.searchParams;
    const ids = (k: string) => q.getAll(k).map(Number);
    if (q.has("site")) results = results.filter((d) => d.site?.slug === q.get("site"));
    if (q.has("tag")) results = results.filter((d) => d.tags?.some((t: any) => t.slug === q.get("tag")));
    if (q.has("id")) results = results.filter((d) => ids("id").includes(d.id));
    if (q.has("device_id")) results = results.filter((x) => ids("device_id").includes(x.device?.id ?? x.assigned_object?.device?.id));
    const size = this.mode.pageSize?.[url.pathname] ?? Number(q.get("limit") ?? 50);
    const offset = Number(q.get("offset") ?? 0);
    const nextUrl = new URL(url.toString());
    nextUrl.searchParams.set("limit", String(size));
    nextUrl.searchParams.set("offset", String(offset + size));
    const next = offset + size < results.length ? (this.mode.foreignNext ? `${this.mode.foreignNext}${nextUrl.pathname}${nextUrl.search}` : nextUrl.toString()) : null;
    send(200, { count: results.length, next, previous: offset > 0 ? url.toString() : null, results: results.slice(offset, offset + size) });
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const nb = new FakeNetbox();
let work: string;
beforeAll(async () => {
  await nb.start();
  work = await mkdtemp(join(tmpdir(), "sw-import-netbox-"));
});
afterAll(async () => {
  await nb.stop();
  await rm(work, { recursive: true, force: true });
});

const api = (extra: string[] = [], env: Record<string, string> = { NETBOX_TOKEN: TOKEN }, cwd?: string) =>
  sitewire(["import", "netbox", "--url", nb.url, "--site", "fra1", ...extra], { env, ...(cwd ? { cwd } : {}) });

describe("import netbox from the API", () => {
  it("follows pagination, maps NetBox's choices to strongSwan proposals, and equals the import of the saved responses", async () => {
    nb.mode = { pageSize: { "/api/ipam/ip-addresses/": 2, "/api/vpn/tunnel-terminations/": 3 } };
    nb.hits.length = 0;
    const r = await api();
    expect(r.code, r.stderr).toBe(0);
    expect(nb.hits.filter((h) => h.startsWith("/api/ipam/ip-addresses/")).length).toBeGreaterThanOrEqual(3);
    expect(nb.hits.filter((h) => h.startsWith("/api/vpn/tunnel-terminations/")).length).toBe(3);
    const intent = parseYaml(r.stdout) as any;
    // 169.254.100.2/30 is on the second page of ip-addresses, the fra1-lon terminations on the second of terminations
    expect(intent.tunnels["fra1-par"]).toMatchObject({
      between: ["fra1-vpn-1", "par-edge"],
      kind: "ipsec-vti",
      inside: "169.254.100.0/30",
      key: 100,
      ike: { version: 2, proposals: ["aes256-sha256-modp2048", "aes256gcm16-prfsha256-ecp256"], lifetime: "8h" },
      esp: { proposals: ["aes256gcm16-modp2048"], lifetime: "1h" },
      psk: { env: "FRA1_PAR_PSK" },
    });
    expect(intent.tunnels["fra1-lon"]).toMatchObject({ kind: "ipsec-policy", ike: { version: 1, proposals: ["aes128-sha1-modp1024"], lifetime: "1d" }, esp: { proposals: ["aes128-sha1-modp1024"] } });
    expect(intent.hosts["fra1-vpn-1"]).toEqual({ description: "VPN gateway, rack A", os: "debian", address: "10.60.0.11/24", publicAddress: "198.51.100.11" });
    expect(intent.peers).toEqual({ "par-edge": { platform: "cisco-ios", address: "203.0.113.50" }, "lon-fw": { platform: "strongswan", address: "192.0.2.77" } });
    const fromDir = await sitewire(["import", "netbox", "--from-dir", DIR, "--site", "fra1"]);
    expect(fromDir.code, fromDir.stderr).toBe(0);
    const body = (t: string) => t.split("\n").filter((l) => !l.startsWith("# Imported by")).join("\n");
    expect(body(r.stdout)).toBe(body(fromDir.stdout));
  });

  it("--tag selects by tag", async () => {
    nb.mode = {};
    const r = await sitewire(["import", "netbox", "--url", nb.url, "--tag", "vpn", "--name", "vpn"], { env: { NETBOX_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys((parseYaml(r.stdout) as any).tunnels)).toEqual(["fra1-par", "fra1-lon"]);
  });

  it("reports what sitewire cannot express and what NetBox lacks, at its place in the response", async () => {
    const r = await importNetbox({ fromDir: join(ROOT, DIR), fromDirShown: DIR, site: "fra1", timeoutMs: 5000, siteName: "fra1", os: "debian" });
    const lineOf = (file: string, needle: string, after = "") => {
      const lines = readFileSync(join(ROOT, DIR, file), "utf8").split("\n");
      const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
      return lines.findIndex((l, i) => i >= start && l.includes(needle)) + 1;
    };
    const found = r.diagnostics.map((d) => `${d.file}:${d.range?.start.line} ${d.severity} ${d.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        `${DIR}/vpn-tunnels.json:${lineOf("vpn-tunnels.json", `"value": "gre"`)} warning SW401`,
        `${DIR}/vpn-tunnels.json:${lineOf("vpn-tunnels.json", `"value": "planned"`)} warning SW401`,
        `${DIR}/vpn-ike-policies.json:${lineOf("vpn-ike-policies.json", `"preshared_key": ""`)} warning SW402`,
        `${DIR}/vpn-ipsec-proposals.json:${lineOf("vpn-ipsec-proposals.json", `"sa_lifetime_data": 4608000`)} warning SW401`,
      ]),
    );
    expect(r.diagnostics.find((d) => d.message.includes("fra1-lonely"))).toMatchObject({ code: "SW402", message: expect.stringContaining("one termination") });
    expect(r.diagnostics.every((d) => d.redact)).toBe(true);
    expect(r.text).toMatch(/# TODO: NetBox holds no pre-shared key for this tunnel: put it in FRA1_LON_PSK/);
    expect(r.text).toMatch(/IKE identity: NetBox has none/);
  });

  it("the imported site compiles, and the IOS peer's configuration carries NetBox's tunnel", async () => {
    const dir = await mkdtemp(join(work, "compile-"));
    await mkdir(join(dir, "sites"));
    const r = await sitewire(["import", "netbox", "--from-dir", join(ROOT, DIR), "--site", "fra1", "--out", "sites/fra1.yaml"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const c = await sitewire(["compile", "sites/fra1.yaml"], { cwd: dir });
    expect(c.code, c.stderr).toBe(0);
    const [t] = iosTunnels(readIos(await readFile(join(dir, "out/fra1/devices/par-edge/ios.cfg"), "utf8")));
    expect(t).toMatchObject({ number: 100, address: "169.254.100.1", mask: "255.255.255.252", destination: "198.51.100.11", ikeVersion: 2, espLifetime: 3600, pfs: "modp2048" });
    expect(t!.ikeProposals).toContain("aes256-sha256-prfsha256-modp2048");
  });
});

describe("the pre-shared key NetBox holds never leaves it", () => {
  it.each(["text", "json"])("--format %s: not in stdout, stderr or the written intent; the export command reads it from NetBox", async (format) => {
    nb.mode = {};
    expect(readFileSync(join(ROOT, DIR, "vpn-ike-policies.json"), "utf8")).toContain(KEY);
    const dir = await mkdtemp(join(work, "leak-"));
    const toStdout = await api(["--format", format]);
    const toFile = await api(["--format", format, "--out", "fra1.yaml"], { NETBOX_TOKEN: TOKEN }, dir);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toFile.code, toFile.stderr).toBe(0);
    const all = [toStdout.stdout, toStdout.stderr, toFile.stdout, toFile.stderr, await readFile(join(dir, "fra1.yaml"), "utf8")].join("\n");
    expect(all).toContain("FRA1_PAR_PSK");
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(TOKEN);
    if (format === "text") expect(toStdout.stderr).toContain(`export FRA1_PAR_PSK="$(curl -fsS -H "Authorization: Token $NETBOX_TOKEN" ${nb.url}/api/vpn/ike-policies/1/ | jq -r .preshared_key)"`);
    else expect(JSON.parse(toStdout.stdout).secrets).toEqual([{ env: "FRA1_PAR_PSK", tunnel: "fra1-par", command: expect.stringContaining("/api/vpn/ike-policies/1/") }]);
  });
});

describe("failures are one clear line, exit 1", () => {
  const oneLine = (r: { code: number; stderr: string; stdout: string }, pattern: RegExp) => {
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(r.stdout).toBe("");
  };

  it("a wrong token: 403", async () => {
    nb.mode = {};
    oneLine(await api([], { NETBOX_TOKEN: "wrong" }), /^sitewire: NetBox refused the token \(HTTP 403 on \/api\/dcim\/devices\/\)/);
  });

  it("no token in the environment (names the variable)", async () => {
    oneLine(await api(["--token-env", "MY_NB_TOKEN"], { NETBOX_TOKEN: TOKEN }), /^sitewire: MY_NB_TOKEN is not set/);
  });

  it("an HTTP 500", async () => {
    nb.mode = { fail: { path: "/api/vpn/tunnels/", status: 500 } };
    oneLine(await api(), /^sitewire: NetBox answered HTTP 500 on \/api\/vpn\/tunnels\/$/m);
  });

  it("NetBox before 3.7 (no /api/vpn/): 404", async () => {
    nb.mode = { fail: { path: "/api/vpn/tunnels/", status: 404 } };
    oneLine(await api(), /need NetBox 3\.7 or later/);
  });

  it("a slow answer: the timeout", async () => {
    nb.mode = { slow: { path: "/api/vpn/ike-policies/", ms: 3000 } };
    const started = Date.now();
    oneLine(await api(["--timeout", "0.5"]), /^sitewire: NetBox did not answer \/api\/vpn\/ike-policies\/ within 0\.5 s/);
    expect(Date.now() - started).toBeLessThan(2900);
  });

  it("a next page on another host is not followed (the token stays with NetBox)", async () => {
    nb.mode = { pageSize: { "/api/dcim/interfaces/": 1 }, foreignNext: "http://192.0.2.1:9" };
    oneLine(await api(), /next page is on another host \(http:\/\/192\.0\.2\.1:9\)/);
  });

  it("nothing listening", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    oneLine(await sitewire(["import", "netbox", "--url", `http://127.0.0.1:${port}`, "--site", "fra1"], { env: { NETBOX_TOKEN: TOKEN } }), new RegExp(`^sitewire: cannot reach NetBox at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });

  it("a missing saved response, an unknown site; bad flags exit 64", async () => {
    const empty = await mkdtemp(join(work, "empty-"));
    oneLine(await sitewire(["import", "netbox", "--from-dir", empty, "--site", "fra1"]), /dcim-devices\.json is missing/);
    oneLine(await sitewire(["import", "netbox", "--from-dir", DIR, "--site", "nowhere"]), /no device in NetBox site 'nowhere'/);
    expect((await sitewire(["import", "netbox", "--site", "fra1"])).code).toBe(64);
    expect((await sitewire(["import", "netbox", "--from-dir", DIR, "--site", "a", "--tag", "b"])).code).toBe(64);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe("progress on a terminal", () => {
  it("after a second: a line rewritten in place, cleared at the end; none on a non-TTY (the CLI here)", async () => {
    nb.mode = { slow: { path: "/api/vpn/tunnels/", ms: 1400 } };
    let shown = "";
    const r = await importNetbox({ url: nb.url, token: TOKEN, site: "fra1", timeoutMs: 5000, siteName: "fra1", os: "debian", progress: { write: (t: string) => (shown += t), isTTY: true } });
    expect(r.text).toBeDefined();
    expect(shown).toMatch(/\r\x1b\[KNetBox: \d+ requests?, 1\.\d s, \/api\/vpn\//);
    expect(shown.endsWith("\r\x1b[K")).toBe(true);
    const cli = await api();
    expect(cli.stderr).not.toContain("\r");
    nb.mode = {};
    let quick = "";
    await importNetbox({ url: nb.url, token: TOKEN, site: "fra1", timeoutMs: 5000, siteName: "fra1", os: "debian", progress: { write: (t: string) => (quick += t), isTTY: true } });
    expect(quick).toBe("");
  });
});
