/**
 * The strongSwan files, checked by the real charon (strongSwan 5.9 on Debian, see .ci/run):
 *
 * 1. Every emitted ipsec.conf (with its ipsec.secrets, placeholders materialised with a dummy key) and every
 *    swanctl.conf loads into a throwaway daemon with no config warning, every conn / connection loaded and
 *    every secret accepted. (No parse-only mode exists; a swanctl syntax error even exits 0.)
 * 2. Two ends, two daemons, real IKE: a host's emitted files against the far side sitewire emits for a
 *    strongSwan peer, or against a strongSwan stand-in rendered from the same model for a Cisco peer. IKE SA
 *    ESTABLISHED and CHILD SA INSTALLED for IKEv1 and IKEv2, in both formats and across formats; a ping
 *    through the policy-based tunnel; and a wrong key that must keep the tunnel down. ESP runs in userspace
 *    (kernel-libipsec): this kernel has no ESP or vti, so the mark ↔ vti key agreement is checked on the
 *    model and the parsed files (src/targets/strongswan/index.test.ts), not here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSite } from "../../src/model/resolve.js";
import type { StrongswanFormat, TunnelModel } from "../../src/model/types.js";
import { renderStrongswanEnd, strongswanTarget } from "../../src/targets/strongswan/index.js";
import type { Artifact } from "../../src/targets/target.js";
import { Charon, FAILURE_MARKERS, withPair, type CharonFiles } from "../harness/charon.js";
import { swanctlConnectionNames } from "../readers/swanctl.js";
import { Netns } from "../harness/netns.js";
import { veth } from "../harness/topology.js";
import { missing } from "../harness/tools.js";
import { daemonFiles, fromRender, owned, sharedKey } from "../harness/tunnel-ends.js";
import { sourceOf } from "../helpers/source.js";

const root = new URL("../../", import.meta.url).pathname;
const SITE_FILES = [
  ...readdirSync(join(root, "sites")).map((f) => `sites/${f}`),
  ...readdirSync(join(root, "test/fixtures/sites")).map((f) => `test/fixtures/sites/${f}`),
].filter((f) => f.endsWith(".yaml")).sort();

/** The model and the strongSwan artifacts of a site file (resolved like the unit tests do). */
function compile(path: string, text = readFileSync(join(root, path), "utf8")) {
  const { source, intent } = sourceOf(text, path);
  const { model, diagnostics } = resolveSite(source, intent, "0".repeat(64));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${path} does not resolve: ${errors.map((d) => d.message).join("; ")}`);
  return { model, artifacts: strongswanTarget.emit(model) };
}

/**
 * The host's end of one tunnel: its emitted files when the tunnel is alone on the host. Otherwise the same
 * code renders that tunnel alone: kernel-libipsec ignores marks, so another route-based tunnel's 0.0.0.0/0
 * policy would swallow this tunnel's IKE packets here (on a real kernel the marks keep them apart). The unit
 * tests prove a single-end render states the same facts as the emitted file.
 */
function hostEnd(artifacts: readonly Artifact[], tunnel: TunnelModel, format: Exclude<StrongswanFormat, "both">): CharonFiles {
  const files = owned(artifacts, tunnel.host.node);
  const alone = swanctlConnectionNames(files["swanctl-conf"] ?? "").length === 1;
  return daemonFiles(alone ? files : fromRender(renderStrongswanEnd(tunnel, tunnel.host, format)), format, sharedKey);
}

/**
 * Throwaway namespaces for one describe block: created and wired (`wire`) before its tests, deleted after
 * them even when wiring fails half-way.
 */
function namespaces(labels: readonly string[], wire: (...ns: Netns[]) => void = () => undefined): () => Netns[] {
  const created: Netns[] = [];
  beforeAll(() => {
    for (const label of labels) created.push(new Netns(label));
    wire(...created);
  });
  afterAll(() => {
    for (const ns of created) ns.cleanup();
  });
  return () => created;
}

const PAIR_TIMEOUT_MS = 8000;

interface Pair {
  readonly near: CharonFiles;
  readonly far: CharonFiles;
  readonly conn: string;
  /** Initiate by hand (start action trap or none); otherwise the near end's start action does it. */
  readonly initiate: boolean;
}

/** Start both daemons (far first, so the near end's first packet is answered) and wait for the SA on both. */
async function negotiate(nearNs: Netns, farNs: Netns, pair: Pair, check?: () => void): Promise<void> {
  await withPair({ netns: nearNs.name, files: pair.near }, { netns: farNs.name, files: pair.far }, async (near, far) => {
    if (pair.initiate) await near.initiate(pair.conn, PAIR_TIMEOUT_MS / 1000);
    await near.waitFor((s) => s.established(pair.conn), PAIR_TIMEOUT_MS, FAILURE_MARKERS);
    await far.waitFor((s) => s.established(pair.conn), PAIR_TIMEOUT_MS, FAILURE_MARKERS);
    check?.();
  });
}

/** near format × far format: each format with itself, and each with the other. */
const FORMATS = [
  ["ipsec-conf", "ipsec-conf"],
  ["swanctl", "swanctl"],
  ["ipsec-conf", "swanctl"],
  ["swanctl", "ipsec-conf"],
] as const;

describe.skipIf(missing("ipsec", "swanctl", "/usr/lib/ipsec/charon", "iptables-restore", "ping", "root"))("strongSwan files in the real charon", () => {
  describe.each(SITE_FILES)("%s loads cleanly", (site) => {
    const { artifacts } = compile(site);
    const owners = [...new Set(artifacts.map((a) => a.host ?? a.device!))];
    const cases = owners.flatMap((owner) => {
      const files = owned(artifacts, owner);
      return [
        ...(files["strongswan-ipsec-conf"] ? [[owner, "ipsec-conf"] as const] : []),
        ...(files["swanctl-conf"] ? [[owner, "swanctl"] as const] : []),
      ];
    });
    if (cases.length === 0) {
      it("emits no strongSwan files", () => expect(artifacts).toEqual([]));
      return;
    }
    const ns = namespaces(["ld"]);

    it.each(cases)("%s (%s)", async (owner, format) => {
      const files = daemonFiles(owned(artifacts, owner), format, sharedKey);
      await Charon.run(ns()[0]!.name, files, async (charon) => {
        const report = await charon.load();
        expect(report.warnings, report.output).toEqual([]);
        expect(report.expected.length).toBeGreaterThan(0);
        expect([...report.loaded].sort()).toEqual([...report.expected].sort());
        const secretCount = format === "swanctl" ? (files.swanctlConf!.match(/^\s+ike-\S+ \{/gm) ?? []).length : (files.ipsecSecrets!.match(/ : PSK /g) ?? []).length;
        const accepted = format === "swanctl" ? report.output.match(/^loaded ike secret '/gm) : charon.log().match(/loaded IKE secret for /g);
        expect(accepted?.length ?? 0).toBe(secretCount);
      });
    });
  });

  describe("a broken file is caught (the checks above can fail)", () => {
    const ns = namespaces(["bad"]);
    const { artifacts } = compile("test/fixtures/sites/sw-policy.yaml");
    const good = owned(artifacts, "gw-a");

    it("an unknown ipsec.conf keyword is a warning", async () => {
      const files = daemonFiles({ ...good, "strongswan-ipsec-conf": good["strongswan-ipsec-conf"]!.replace("leftsubnet=", "lefsubnet=") }, "ipsec-conf", sharedKey);
      await Charon.run(ns()[0]!.name, files, async (charon) => expect((await charon.load()).warnings.join("\n")).toMatch(/unknown keyword 'lefsubnet'/));
    });

    it("a swanctl.conf syntax error leaves the connection unloaded", async () => {
      const files = daemonFiles({ ...good, "swanctl-conf": good["swanctl-conf"]!.replace("        mode = tunnel\n", "      }\n") }, "swanctl", sharedKey);
      await Charon.run(ns()[0]!.name, files, async (charon) => {
        const report = await charon.load();
        expect(report.warnings.join("\n")).toMatch(/syntax error/);
        expect(report.loaded).toEqual([]);
      });
    });
  });

  describe("IKEv2 route-based: sw-ikev2 edge-1 and the hub sitewire emits", () => {
    const { model, artifacts } = compile("test/fixtures/sites/sw-ikev2.yaml");
    const tunnel = model.tunnels.find((t) => t.name === "to-hub")!;
    const ns = namespaces(["e", "h"], (edge, hub) => veth([edge!, "eth0", "203.0.113.10/24"], [hub!, "eth0", "203.0.113.20/24"]));

    it.each(FORMATS)("host %s, hub %s: ESTABLISHED and INSTALLED", async (nearFormat, farFormat) => {
      const [edge, hub] = ns();
      await negotiate(edge!, hub!, {
        near: hostEnd(artifacts, tunnel, nearFormat),
        far: daemonFiles(owned(artifacts, "hub"), farFormat, sharedKey),
        conn: "to-hub",
        initiate: false,
      });
    });

    it("a wrong key on the hub keeps the tunnel down (AUTHENTICATION_FAILED)", async () => {
      const [edge, hub] = ns();
      const near = hostEnd(artifacts, tunnel, "swanctl");
      const far = daemonFiles(owned(artifacts, "hub"), "swanctl", (ref) => `${sharedKey(ref)}-but-different`);
      await Charon.run(hub!.name, far, async (farCharon) => {
        await farCharon.load();
        await Charon.run(edge!.name, near, async (nearCharon) => {
          await nearCharon.load();
          const logs = () => nearCharon.log() + farCharon.log();
          const deadline = Date.now() + PAIR_TIMEOUT_MS;
          while (!FAILURE_MARKERS.test(logs()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
          expect(logs()).toMatch(/AUTHENTICATION_FAILED/);
          expect((await nearCharon.status()).established("to-hub")).toBe(false);
        });
      });
    });
  });

  describe("IKEv2 through an XFRM interface: sw-xfrm edge-1 (if_id_in/if_id_out, swanctl only) and the hub sitewire emits", () => {
    // What is real here: charon parses and loads the host's if_id settings, negotiates with them, and installs
    // the CHILD_SA with if_id 20 both ways (swanctl --list-sas). What is not: the kernel half (this kernel has no
    // ESP and no XFRM interfaces; kernel-libipsec carries the SA and ignores the if_id, as it ignores marks).
    const { model, artifacts } = compile("test/fixtures/sites/sw-xfrm.yaml");
    const tunnel = model.tunnels.find((t) => t.name === "to-hub")!;
    const ns = namespaces(["x", "h"], (edge, hub) => veth([edge!, "eth0", "203.0.113.10/24"], [hub!, "eth0", "203.0.113.20/24"]));

    it.each([
      ["swanctl", "swanctl"],
      ["swanctl", "ipsec-conf"],
    ] as const)("host %s, hub %s: ESTABLISHED and INSTALLED, the CHILD_SA carries if_id 20 in and out", async (nearFormat, farFormat) => {
      const [edge, hub] = ns();
      const near = hostEnd(artifacts, tunnel, nearFormat);
      expect(near.swanctlConf).toMatch(/^ {8}if_id_in = 20\n {8}if_id_out = 20\n/m);
      await withPair({ netns: edge!.name, files: near }, { netns: hub!.name, files: daemonFiles(owned(artifacts, "hub"), farFormat, sharedKey) }, async (nearCharon, farCharon) => {
        await nearCharon.waitFor((s) => s.established("to-hub"), PAIR_TIMEOUT_MS, FAILURE_MARKERS);
        await farCharon.waitFor((s) => s.established("to-hub"), PAIR_TIMEOUT_MS, FAILURE_MARKERS);
        const sas = (await nearCharon.exec(["swanctl", "--list-sas", "--raw"])).stdout;
        expect(sas, sas).toMatch(/\bif-id-in=0*14\b/);
        expect(sas, sas).toMatch(/\bif-id-out=0*14\b/);
      });
    });

    it("ipsec.conf cannot carry the if_id: rendering it is refused (rule SW144 reports it for the intent)", () => {
      expect(() => renderStrongswanEnd(tunnel, tunnel.host, "ipsec-conf")).toThrow(/ipsec\.conf cannot express the XFRM interface of to-hub/);
    });

    it("a misspelt if_id key leaves the connection unloaded (the load check can fail)", async () => {
      const files = owned(artifacts, "edge-1");
      const broken = daemonFiles({ ...files, "swanctl-conf": files["swanctl-conf"]!.replace("if_id_in = 20", "if_id_inn = 20") }, "swanctl", sharedKey);
      await Charon.run(ns()[0]!.name, broken, async (charon) => {
        const report = await charon.load();
        expect(report.warnings.join("\n"), report.output).toMatch(/if_id_inn/);
        expect(report.loaded).not.toContain("to-hub");
      });
    });
  });

  describe("IKEv2, Cisco peer: sw-ikev2 edge-1 and a strongSwan stand-in for branch-router", () => {
    const { model, artifacts } = compile("test/fixtures/sites/sw-ikev2.yaml");
    const tunnel = model.tunnels.find((t) => t.name === "to-branch")!;
    const ns = namespaces(["e", "b"], (edge, branch) => veth([edge!, "eth0", "203.0.113.10/24"], [branch!, "eth0", "203.0.113.30/24"]));

    it.each(FORMATS)("host %s, stand-in %s: ESTABLISHED and INSTALLED", async (nearFormat, farFormat) => {
      const [edge, branch] = ns();
      await negotiate(edge!, branch!, {
        near: hostEnd(artifacts, tunnel, nearFormat),
        far: daemonFiles(fromRender(renderStrongswanEnd(tunnel, tunnel.peer, farFormat)), farFormat, sharedKey),
        conn: "to-branch",
        initiate: true, // start action trap, and no traffic here
      });
    });
  });

  describe("IKEv1 route-based behind 1:1 NAT (seed 004): bjs-hybrid strongswan-1 and a stand-in for dc-router-1", () => {
    const { model, artifacts } = compile("sites/bjs-hybrid.yaml");
    const tunnel = model.tunnels.find((t) => t.name === "vpn1")!;
    // gw 172.16.1.157 ─ nat (EIP 54.223.192.238 ↔ gw, 52.50.130.77 ↔ router) ─ router 10.10.1.100
    const ns = namespaces(["g", "n", "r"], (gw, nat, router) => {
      veth([gw!, "eth0", "172.16.1.157/24"], [nat!, "to-gw", "172.16.1.1/24"]);
      veth([router!, "eth0", "10.10.1.100/24"], [nat!, "to-router", "10.10.1.1/24"]);
      gw!.exec(["ip", "route", "add", "default", "via", "172.16.1.1"]);
      router!.exec(["ip", "route", "add", "default", "via", "10.10.1.1"]);
      nat!.exec(["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
      nat!.exec(["iptables-restore"], {
        input: [
          "*nat",
          "-A PREROUTING -d 52.50.130.77/32 -j DNAT --to-destination 10.10.1.100",
          "-A PREROUTING -d 54.223.192.238/32 -j DNAT --to-destination 172.16.1.157",
          "-A POSTROUTING -s 172.16.1.157/32 -o to-router -j SNAT --to-source 54.223.192.238",
          "-A POSTROUTING -s 10.10.1.100/32 -o to-gw -j SNAT --to-source 52.50.130.77",
          "COMMIT",
          "",
        ].join("\n"),
      });
    });

    it.each(FORMATS)("gateway %s, stand-in %s: ESTABLISHED and INSTALLED through NAT-T", async (nearFormat, farFormat) => {
      const [gw, , router] = ns();
      await negotiate(gw!, router!, {
        near: hostEnd(artifacts, tunnel, nearFormat),
        far: daemonFiles(fromRender(renderStrongswanEnd(tunnel, tunnel.peer, farFormat)), farFormat, sharedKey),
        conn: "vpn1",
        initiate: false,
      });
    });
  });

  /** sw-policy's two gateways on one segment, each with an address of its LAN (kernel-libipsec routes need one). */
  function lans(a?: Netns, b?: Netns): void {
    veth([a!, "eth0", "198.51.100.1/24"], [b!, "eth0", "198.51.100.2/24"]);
    a!.exec(["ip", "addr", "add", "10.1.0.1/32", "dev", "lo"]);
    b!.exec(["ip", "addr", "add", "10.2.0.1/32", "dev", "lo"]);
  }

  describe("IKEv1 with FQDN identities: the responder finds the key through its conn's identities", () => {
    // ipsec.secrets and swanctl secrets are keyed by identities; an IKEv1 Main Mode responder must pick the
    // key before it sees the peer's identity, so charon finds the conn by address and takes its identities.
    const text = readFileSync(join(root, "test/fixtures/sites/sw-policy.yaml"), "utf8")
      .replace("    address: 198.51.100.1/24\n", "    address: 198.51.100.1/24\n    identity: '@gw-a.example.net'\n")
      .replace("    address: 198.51.100.2\n", "    address: 198.51.100.2\n    identity: '@gw-b.example.net'\n");
    const { model, artifacts } = compile("sites/sw-fqdn.yaml", text);
    const tunnel = model.tunnels[0]!;
    const ns = namespaces(["a", "b"], lans);

    it.each(FORMATS.slice(0, 2))("gw-a %s, gw-b %s: ESTABLISHED and INSTALLED", async (nearFormat, farFormat) => {
      expect(owned(artifacts, "gw-b")["strongswan-secrets"]).toContain("@gw-b.example.net @gw-a.example.net : PSK");
      const [a, b] = ns();
      await negotiate(a!, b!, { near: hostEnd(artifacts, tunnel, nearFormat), far: daemonFiles(owned(artifacts, "gw-b"), farFormat, sharedKey), conn: "hq-branch", initiate: false });
    });
  });

  describe("IKEv1 policy-based: sw-policy gw-a and gw-b, with a ping from LAN to LAN", () => {
    const { model, artifacts } = compile("test/fixtures/sites/sw-policy.yaml");
    const tunnel = model.tunnels[0]!;
    const ns = namespaces(["a", "b"], lans);

    it.each(FORMATS)("gw-a %s, gw-b %s: ESTABLISHED, INSTALLED, and 10.1.0.1 reaches 10.2.0.1", async (nearFormat, farFormat) => {
      const [a, b] = ns();
      const pair = { near: hostEnd(artifacts, tunnel, nearFormat), far: daemonFiles(owned(artifacts, "gw-b"), farFormat, sharedKey), conn: "hq-branch", initiate: false };
      await negotiate(a!, b!, pair, () => a!.exec(["ping", "-c", "2", "-i", "0.2", "-W", "2", "-I", "10.1.0.1", "10.2.0.1"]));
    });
  });
});
