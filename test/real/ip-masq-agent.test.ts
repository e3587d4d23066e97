/**
 * The ip-masq-agent chain preview, loaded for real, masquerades exactly what the intent says.
 *
 *   pod (10.244.1.2) ──veth── node (10.244.1.1 | 10.24.0.10, ip_forward, preview rules) ──veth── remote (10.24.0.1)
 *
 * The remote namespace holds every destination on its loopback and runs a tiny TCP server that answers with
 * the source address it sees; it routes the pod network back to the node, so unmasqueraded traffic works too
 * and the answer tells the two cases apart. Without the rules every destination sees the pod address (the
 * control); with them, listed destinations still see the pod and the others see the node. Expected sources
 * are written out per site, not derived from the code under test. Both iptables backends are exercised.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { missing } from "../harness/tools.js";
import { Netns } from "../harness/netns.js";
import { compileSource } from "../../src/compile/pipeline.js";
import { clusterOutput } from "../k8s/sites.js";

const POD = "10.244.1.2";
const NODE = "10.24.0.10";
const PORT = 8080;

interface Case {
  readonly file: string;
  readonly why: string;
  /** The source address each destination sees. */
  readonly sources: Record<string, string>;
  /** An intent written here instead of read from `file`. */
  readonly text?: string;
  /** The agent's flags as the chain must show them. */
  readonly chain?: string;
  readonly randomFully?: boolean;
  /** Masqueraded TCP connections must leave from a source port in this range. */
  readonly toPorts?: readonly [number, number];
}

/** A site with only a cluster.masquerade block (file name and site name agree, as SW100 wants). */
const masqSite = (name: string, block: string) => `site: ${name}\ncluster:\n  masquerade:\n${block.replace(/^/gm, "    ")}\n`;

const CASES: Case[] = [
  {
    file: "sites/partner-vpn.yaml",
    why: "nonMasqueradeCIDRs [cluster-internal 10.0.0.0/8], masqLinkLocal false",
    sources: { "10.10.0.5": POD, "169.254.10.1": POD, "172.16.0.138": NODE },
  },
  {
    file: "test/fixtures/sites/seed001-masq.yaml",
    why: "seed 001: [10.0.0.0/8], masqLinkLocal true (link-local is masqueraded too)",
    sources: { "10.10.0.5": POD, "169.254.10.1": NODE, "172.16.0.138": NODE },
  },
  {
    file: "test/fixtures/sites/cluster-edge-cases.yaml",
    why: "agent-defaults: the key is omitted, so the agent keeps RFC 1918",
    sources: { "172.16.0.138": POD, "192.168.50.1": POD, "10.10.0.5": POD, "198.51.100.20": NODE, "169.254.10.1": POD },
  },
  {
    file: "sites/masq-empty.yaml",
    why: "nonMasqueradeCIDRs: [] masquerades everything but link-local (the defaults are replaced)",
    text: masqSite("masq-empty", "nonMasqueradeCIDRs: []"),
    sources: { "10.10.0.5": NODE, "172.16.0.138": NODE, "192.168.50.1": NODE, "169.254.10.1": POD },
  },
  {
    file: "sites/masq-reserved.yaml",
    why: "agent-defaults with --nomasq-all-reserved-ranges keeps RFC 1918 and every reserved range, in a chain of its own name",
    text: masqSite("masq-reserved", "nonMasqueradeCIDRs: agent-defaults\nagent: { masqChain: MASQ-RESERVED, nomasqAllReservedRanges: true, randomFully: false }"),
    chain: "MASQ-RESERVED",
    randomFully: false,
    sources: { "100.64.0.5": POD, "198.51.100.20": POD, "203.0.113.9": POD, "192.168.50.1": POD, "11.0.0.5": NODE },
  },
  {
    file: "sites/masq-to-ports.yaml",
    why: "--to-ports 40000-40099: masqueraded TCP leaves from those source ports only",
    text: masqSite("masq-to-ports", "nonMasqueradeCIDRs: [10.0.0.0/8]\nagent: { toPorts: 40000-40099 }"),
    toPorts: [40000, 40099],
    sources: { "10.10.0.5": POD, "172.16.0.138": NODE, "11.0.0.5": NODE },
  },
];

function previewOf(c: Case): string | undefined {
  if (c.text === undefined) return clusterOutput(c.file).artifacts.find((a) => a.kind === "iptables-preview")?.content;
  const result = compileSource(c.file, c.text);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${c.file} does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return result.artifacts.find((a) => a.path === "cluster/review/ip-masq-agent.rules")?.content;
}

const SERVER = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", ${PORT})); s.listen(16)
while True:
    c, a = s.accept()
    c.recv(4096)
    c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n" + ("%s %d" % a).encode())
    c.close()
`;

const BACKENDS = ["iptables-nft-restore", "iptables-legacy-restore"] as const;

describe.skipIf(missing(...BACKENDS, "python3", "curl", "root"))("ip-masq-agent chain preview with real traffic", () => {
  const created: Netns[] = [];
  const servers: ChildProcess[] = [];
  afterAll(() => {
    for (const s of servers) s.kill();
    for (const ns of created) ns.cleanup();
  });

  function topology(destinations: readonly string[]) {
    const [pod, node, remote] = ["pod", "node", "rem"].map((l) => {
      const ns = new Netns(l);
      created.push(ns);
      return ns;
    }) as [Netns, Netns, Netns];
    node.exec(["ip", "link", "add", "pod0", "type", "veth", "peer", "name", "eth0", "netns", pod.name]);
    node.exec(["ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", remote.name]);
    pod.exec(["ip", "addr", "add", `${POD}/24`, "dev", "eth0"]);
    pod.exec(["ip", "link", "set", "eth0", "up"]);
    pod.exec(["ip", "route", "add", "default", "via", "10.244.1.1"]);
    node.exec(["ip", "addr", "add", "10.244.1.1/24", "dev", "pod0"]);
    node.exec(["ip", "addr", "add", `${NODE}/22`, "dev", "eth0"]);
    for (const dev of ["pod0", "eth0"]) node.exec(["ip", "link", "set", dev, "up"]);
    node.exec(["ip", "route", "add", "default", "via", "10.24.0.1"]);
    node.exec(["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
    remote.exec(["ip", "addr", "add", "10.24.0.1/22", "dev", "eth0"]);
    remote.exec(["ip", "link", "set", "eth0", "up"]);
    remote.exec(["ip", "route", "add", "10.244.1.0/24", "via", NODE]);
    for (const d of destinations) remote.exec(["ip", "addr", "add", `${d}/32`, "dev", "lo"]);
    const server = spawn("ip", ["netns", "exec", remote.name, "python3", "-c", SERVER], { stdio: "ignore" });
    servers.push(server);
    return { pod, node, remote };
  }

  async function waitForServer(remote: Netns, address: string) {
    for (let i = 0; i < 100; i++) {
      try {
        remote.exec(["curl", "-s", "-m", "1", `http://${address}:${PORT}/`]);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error("test server did not start");
  }

  /** The source address and port the remote server saw for a connection from the pod. */
  const seen = (pod: Netns, destination: string) => {
    const [address = "", port = ""] = pod.exec(["curl", "-s", "-m", "3", `http://${destination}:${PORT}/`]).trim().split(" ");
    return { address, port: Number(port) };
  };
  const seenFrom = (pod: Netns, destination: string) => seen(pod, destination).address;

  for (const backend of BACKENDS)
    describe(backend, () => {
      it.each(CASES)("$file: $why", async (c) => {
        const { sources } = c;
        const preview = previewOf(c);
        expect(preview).toBeDefined();
        const destinations = Object.keys(sources);
        const { pod, node, remote } = topology(destinations);
        await waitForServer(remote, destinations[0]!);

        for (const d of destinations) expect(seenFrom(pod, d), `control: ${d} before the rules`).toBe(POD);

        node.exec([backend, "--noflush"], { input: preview! });
        for (const [d, source] of Object.entries(sources)) expect(seenFrom(pod, d), `${d} with the rules`).toBe(source);

        const chain = node.exec([backend.replace("-restore", ""), "-t", "nat", "-S", c.chain ?? "IP-MASQ-AGENT"]);
        if (c.randomFully === false) expect(chain).not.toContain("--random-fully");
        else expect(chain).toMatch(/-j MASQUERADE --random-fully\s*$/);
        if (c.toPorts) {
          const [first, last] = c.toPorts;
          for (const [d, source] of Object.entries(sources)) {
            if (source !== NODE) continue;
            // Several connections: each masqueraded source port lies in the range (the pod's own ports do not).
            for (let i = 0; i < 5; i++) {
              const { port } = seen(pod, d);
              expect(port, `${d}: source port ${port}`).toBeGreaterThanOrEqual(first);
              expect(port, `${d}: source port ${port}`).toBeLessThanOrEqual(last);
            }
          }
        }
      });
    });
});
