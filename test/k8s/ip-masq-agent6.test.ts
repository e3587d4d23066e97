/**
 * The IPv6 ip-masq-agent chain preview (cluster/review/ip-masq-agent6.rules), loaded for real with both
 * ip6tables backends, masquerades exactly what the intent says (the IPv6 twin of test/real/ip-masq-agent.test.ts).
 *
 *   pod (fd10:1::2) ──veth── node (fd10:1::1 | 2001:db8:24::10, forwarding, preview rules) ──veth── remote (2001:db8:24::1)
 *
 * Addresses are added with `nodad` (duplicate address detection would hold them "tentative" for a second).
 * The remote holds every destination on its loopback, routes the pod network back to the node and answers
 * with the source address it sees. Expected sources are written out per case, not derived from the code.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { missing } from "../harness/tools.js";
import { Netns } from "../harness/netns.js";
import { compileSource } from "../../src/compile/pipeline.js";
import { clusterTarget } from "../../src/targets/cluster/index.js";

const POD = "fd10:1::2";
const NODE = "2001:db8:24::10";
const PORT = 8080;

interface Case {
  readonly file: string;
  readonly why: string;
  readonly text: string;
  /** The source address each destination sees. */
  readonly sources: Record<string, string>;
}

const masqSite = (name: string, block: string) => `site: ${name}\ncluster:\n  masquerade:\n${block.replace(/^/gm, "    ")}\n`;

const CASES: Case[] = [
  {
    file: "sites/dual-stack.yaml",
    why: "nonMasqueradeCIDRs [cluster-internal 10.244.0.0/16, cluster-internal6 fd10::/48]: fd10::/48 keeps the pod address",
    text: readFileSync(new URL("../../sites/dual-stack.yaml", import.meta.url), "utf8"),
    sources: { "fd10::5": POD, "fd10:0:0:ff::9": POD, "fd10:1:0:1::9": NODE, "2001:db8:71:5::443": NODE, "2001:db8:72::1": NODE },
  },
  {
    file: "sites/masq6-none.yaml",
    why: "an IPv6 network listed that holds none of the destinations: every IPv6 destination is masqueraded",
    text: masqSite("masq6-none", "nonMasqueradeCIDRs: [10.0.0.0/8, fd99::/64]\nmasqLinkLocalIPv6: false"),
    sources: { "fd10::5": NODE, "2001:db8:71:5::443": NODE },
  },
  {
    file: "sites/masq6-two.yaml",
    why: "two IPv6 networks in config order; others masqueraded",
    text: masqSite("masq6-two", "nonMasqueradeCIDRs: [2001:db8:71::/48, fd10::/48]"),
    sources: { "fd10::5": POD, "2001:db8:71:5::443": POD, "2001:db8:72::1": NODE },
  },
];

function preview6(c: Case): string | undefined {
  const result = compileSource(c.file, c.text, { targets: [clusterTarget], deliverability: false });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${c.file} does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return result.artifacts.find((a) => a.path === "cluster/review/ip-masq-agent6.rules")?.content;
}

const SERVER = `
import socket
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", ${PORT})); s.listen(16)
while True:
    c, a = s.accept()
    c.recv(4096)
    c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n" + ("%s %d" % a[:2]).encode())
    c.close()
`;

const BACKENDS = ["ip6tables-nft-restore", "ip6tables-legacy-restore"] as const;

describe.skipIf(missing(...BACKENDS, "python3", "curl", "root"))("ip-masq-agent IPv6 chain preview with real traffic", () => {
  const created: Netns[] = [];
  const servers: ChildProcess[] = [];
  afterAll(() => {
    for (const s of servers) s.kill();
    for (const ns of created) ns.cleanup();
  });

  function topology(destinations: readonly string[]) {
    const [pod, node, remote] = ["pod6", "node6", "rem6"].map((l) => {
      const ns = new Netns(l);
      created.push(ns);
      return ns;
    }) as [Netns, Netns, Netns];
    node.exec(["ip", "link", "add", "pod0", "type", "veth", "peer", "name", "eth0", "netns", pod.name]);
    node.exec(["ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", remote.name]);
    pod.exec(["ip", "-6", "addr", "add", `${POD}/64`, "dev", "eth0", "nodad"]);
    pod.exec(["ip", "link", "set", "eth0", "up"]);
    pod.exec(["ip", "-6", "route", "add", "default", "via", "fd10:1::1"]);
    node.exec(["ip", "-6", "addr", "add", "fd10:1::1/64", "dev", "pod0", "nodad"]);
    node.exec(["ip", "-6", "addr", "add", `${NODE}/64`, "dev", "eth0", "nodad"]);
    for (const dev of ["pod0", "eth0"]) node.exec(["ip", "link", "set", dev, "up"]);
    node.exec(["ip", "-6", "route", "add", "default", "via", "2001:db8:24::1"]);
    node.exec(["sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"]);
    remote.exec(["ip", "-6", "addr", "add", "2001:db8:24::1/64", "dev", "eth0", "nodad"]);
    remote.exec(["ip", "link", "set", "eth0", "up"]);
    remote.exec(["ip", "-6", "route", "add", "fd10:1::/64", "via", NODE]);
    for (const d of destinations) remote.exec(["ip", "-6", "addr", "add", `${d}/128`, "dev", "lo", "nodad"]);
    servers.push(spawn("ip", ["netns", "exec", remote.name, "python3", "-c", SERVER], { stdio: "ignore" }));
    return { pod, node, remote };
  }

  async function waitForServer(remote: Netns, address: string) {
    for (let i = 0; i < 100; i++) {
      try {
        remote.exec(["curl", "-6", "-s", "-m", "1", `http://[${address}]:${PORT}/`]);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error("test server did not start");
  }

  const seenFrom = (pod: Netns, destination: string) => pod.exec(["curl", "-6", "-s", "-m", "3", `http://[${destination}]:${PORT}/`]).trim().split(" ")[0];

  for (const backend of BACKENDS)
    describe(backend, () => {
      it.each(CASES)("$file: $why", async (c) => {
        const preview = preview6(c);
        expect(preview, "the IPv6 preview is emitted").toBeDefined();
        const destinations = Object.keys(c.sources);
        const { pod, node, remote } = topology(destinations);
        await waitForServer(remote, destinations[0]!);
        for (const d of destinations) expect(seenFrom(pod, d), `control: ${d} before the rules`).toBe(POD);
        node.exec([backend, "--noflush"], { input: preview! });
        for (const [d, source] of Object.entries(c.sources)) expect(seenFrom(pod, d), `${d} with the rules`).toBe(source);
        expect(node.exec([backend.replace("-restore", ""), "-t", "nat", "-S", "IP-MASQ-AGENT"])).toMatch(/-j MASQUERADE --random-fully\s*$/);
      });
    });
});

describe("the IPv6 preview exists exactly when the agent must run with --enable-ipv6", () => {
  it("is absent for an IPv4-only masquerade block, masqLinkLocalIPv6 or not (it takes effect only with the flag)", () => {
    expect(preview6({ file: "sites/masq4.yaml", why: "", text: masqSite("masq4", "nonMasqueradeCIDRs: [10.0.0.0/8]"), sources: {} })).toBeUndefined();
    expect(preview6({ file: "sites/masq4.yaml", why: "", text: masqSite("masq4", "nonMasqueradeCIDRs: [10.0.0.0/8]\nmasqLinkLocalIPv6: true"), sources: {} })).toBeUndefined();
  });
});
