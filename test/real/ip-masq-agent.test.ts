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
import { clusterOutput } from "../k8s/sites.js";

const POD = "10.244.1.2";
const NODE = "10.24.0.10";
const PORT = 8080;

const CASES: { file: string; why: string; sources: Record<string, string> }[] = [
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
];

const SERVER = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", ${PORT})); s.listen(16)
while True:
    c, a = s.accept()
    c.recv(4096)
    c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n" + a[0].encode())
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

  /** The source address the remote server saw for a connection from the pod. */
  const seenFrom = (pod: Netns, destination: string) => pod.exec(["curl", "-s", "-m", "3", `http://${destination}:${PORT}/`]).trim();

  for (const backend of BACKENDS)
    describe(backend, () => {
      it.each(CASES)("$file: $why", async ({ file, sources }) => {
        const preview = clusterOutput(file).artifacts.find((a) => a.kind === "iptables-preview");
        expect(preview?.path).toBe("cluster/review/ip-masq-agent.rules");
        const destinations = Object.keys(sources);
        const { pod, node, remote } = topology(destinations);
        await waitForServer(remote, destinations[0]!);

        for (const d of destinations) expect(seenFrom(pod, d), `control: ${d} before the rules`).toBe(POD);

        node.exec([backend, "--noflush"], { input: preview!.content });
        for (const [d, source] of Object.entries(sources)) expect(seenFrom(pod, d), `${d} with the rules`).toBe(source);

        const chain = node.exec([backend.replace("-restore", ""), "-t", "nat", "-S", "IP-MASQ-AGENT"]);
        expect(chain).toMatch(/-j MASQUERADE --random-fully\s*$/);
      });
    });
});
