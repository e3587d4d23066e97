/**
 * A dual-stack flow through a gateway, with real traffic, built from test/fixtures/sites/nat66-front.yaml's
 * model and the gateway's emitted firewall files, loaded by its emitted unit with either backend:
 *
 *   node   (eth0: 10.26.0.10/24, 2001:db8:26::10/64) ─┐
 *                                                       front ── tun0 (a veth, 172.16.26.10/24) ──┐
 *   office (eth0: 2001:db8:27::10/64) ── eth1 ──────────┘     └── tun6 (a veth, 2001:db8:f26::10/64) ── partner
 *
 * The partner (172.16.26.138, 2001:db8:f26::138) runs a TCP server that answers each connection with the
 * address it came from. It has no route to the node's networks, so the node's requests are answered only when
 * the front machine masquerades them (flow api: NAT44 out of tun0; flow api6: NAT66 out of tun6), and then the
 * partner sees tun0's or tun6's address. It routes the office's network back to the front machine (what the
 * partner's VPN does for a routed flow), so the office's request (flow office6, nat: none) is answered with the
 * office's own address seen. Beside sitewire's rules, the front machine holds foreign IPv6 state: ip6tables
 * chains (a Docker-like DOCKER-USER, a foreign MASQUERADE and TCPMSS) for the iptables backends, an operator's
 * `table ip6 foreign6` and ip6tables-nft's `table ip6 filter` for nftables; a snapshot of it must not change.
 * The tun devices are veths: the kernel here has no tun/VPN client to create them, and only the device name
 * and its addresses matter to the rules.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { compileSource } from "../../src/compile/pipeline.js";
import type { HostModel, SiteModel } from "../../src/model/types.js";
import { PACKAGE_ROOT } from "../../src/render/package-root.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { OWNED_CHAINS } from "../../src/targets/iptables/rules.js";
import { backendBin, installFirewall, normaliseSave, restoreInto, runUnitCommand, saveFrom, withoutSitewire, type Backend } from "../harness/iptables.js";
import { Netns } from "../harness/netns.js";
import { listTable, nftLoad, runUnit, tables, withBackend } from "../harness/nftables.js";

export const SITE_FILE = "test/fixtures/sites/nat66-front.yaml";
const GATEWAY = "front";
const PORT = 8080;
/** The partner's addresses: host part .138 / ::138 of the networks behind tun0 and tun6. */
const PARTNER = { 4: "172.16.26.138", 6: "2001:db8:f26::138" } as const;

/** The firewall a run loads on the gateway: sitewire's iptables chains with one xtables backend, or its nftables table. */
export type FirewallKind = "iptables-nft" | "iptables-legacy" | "nftables";
export const FIREWALLS: readonly FirewallKind[] = ["iptables-nft", "iptables-legacy", "nftables"];

export interface GatewayFiles {
  readonly model: SiteModel;
  readonly front: HostModel;
  /** path on the host (absolute) → content, the gateway's firewall files only. */
  readonly files: Readonly<Record<string, string>>;
  readonly kinds: readonly string[];
}

/**
 * The fixture compiled with every host on `kind`'s backend, its intent edited as data first (an edited intent
 * without the deliverability check, which refuses a flow whose answers cannot come back: the point of some edits).
 */
export function gatewayFiles(kind: FirewallKind, edit?: (intent: Record<string, any>) => void): GatewayFiles {
  const intent = parse(withBackend(readFileSync(join(PACKAGE_ROOT, SITE_FILE), "utf8"), kind === "nftables" ? "nftables" : "iptables")) as Record<string, any>;
  edit?.(intent);
  const result = compileSource(SITE_FILE, stringify(intent), edit ? { deliverability: false } : {});
  if (!result.model) throw new Error(`${SITE_FILE} does not compile: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  const front = result.model.hosts.find((h) => h.name === GATEWAY)!;
  const paths = HOST_PATHS[front.os];
  const wanted = [paths.iptablesRules, paths.ip6tablesRules, paths.firewallScript, paths.firewallUnit, paths.nftRules, paths.nftUnit];
  const mine = result.artifacts.filter((a) => wanted.some((p) => a.path === hostFile(GATEWAY, p)));
  return {
    model: result.model,
    front,
    files: Object.fromEntries(mine.map((a) => [`/${a.path.slice(hostFile(GATEWAY, "").length)}`, a.content])),
    kinds: mine.map((a) => a.kind),
  };
}

/** Foreign IPv6 state of an iptables host: what every load, reload and unload must leave as it is. */
const FOREIGN_IP6 = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER-USER - [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -j DOCKER-USER
-A DOCKER-USER -s 2001:db8:dead::/48 -j DROP
-A DOCKER-USER -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s fd00:d0c::/64 ! -o docker0 -j MASQUERADE
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A FORWARD -o docker0 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
COMMIT
`;

/** Foreign IPv6 state of an nftables host: an operator's ip6 table, and ip6tables-nft's filter table. */
const FOREIGN_NFT6 = `table ip6 foreign6 {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ip6 saddr 2001:db8:dead::/48 drop comment "blocked range"
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip6 saddr fd00:d0c::/64 oifname "docker0" masquerade comment "foreign NAT66"
	}
}
`;

/** The server: answers each TCP connection with the client's address as it sees it (IPv4 ones unmapped). */
const SERVER = `import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1])))
s.listen(16)
while True:
    c, a = s.accept()
    host = a[0][7:] if a[0].startswith("::ffff:") else a[0]
    c.sendall(host.encode() + b"\\n")
    c.close()
`;

/** One probe: who asked which partner address, and the source address the partner saw (null: no answer). */
export interface Outcome {
  readonly from: "node" | "office";
  readonly family: 4 | 6;
  readonly seenAs: string | null;
}

export class DualStackGateway {
  readonly ns: Record<"front" | "node" | "office" | "partner", Netns>;
  readonly work = mkdtempSync(join(tmpdir(), "sw-nat66-"));
  private readonly made: Netns[] = [];
  private server: ChildProcess | undefined;
  private bin = "";
  private installed: Record<string, string> = {};
  private current: GatewayFiles;
  /** The foreign IPv6 state right after it was loaded (see `foreign()`). */
  baseline = "";

  private constructor(
    readonly kind: FirewallKind,
    files: GatewayFiles,
  ) {
    this.current = files;
    const make = (label: string) => {
      const n = new Netns(label);
      this.made.push(n);
      return n;
    };
    this.ns = { front: make("6front"), node: make("6node"), office: make("6off"), partner: make("6part") };
  }

  /** Build the namespaces, addresses, routes and foreign state, and start the partner's server. */
  static async create(kind: FirewallKind): Promise<DualStackGateway> {
    const g = new DualStackGateway(kind, gatewayFiles(kind));
    try {
      await g.build();
    } catch (e) {
      g.cleanup();
      throw e;
    }
    return g;
  }

  private async build(): Promise<void> {
    const { model, front } = this.current;
    const node = model.hosts.find((h) => h.name === "node")!;
    const ext = (dev: string) => front.externalInterfaces.find((i) => i.device === dev)!.address;
    const { ns } = this;
    const ip = (n: Netns, ...args: string[]) => n.exec(["ip", ...args]);
    // IPv6 addresses without duplicate address detection, so they are usable at once.
    const addr = (n: Netns, dev: string, cidr: string) => ip(n, "addr", "add", cidr, "dev", dev, ...(cidr.includes(":") ? ["nodad"] : []));
    const link = (a: Netns, aDev: string, b: Netns, bDev: string) => {
      ip(a, "link", "add", aDev, "type", "veth", "peer", "name", bDev, "netns", b.name);
    };
    link(ns.front, front.interface, ns.node, node.interface);
    link(ns.front, "eth1", ns.office, "eth0");
    link(ns.front, "tun0", ns.partner, "wan0");
    link(ns.front, "tun6", ns.partner, "wan6");
    for (const a of front.addresses) addr(ns.front, front.interface, a.cidr);
    addr(ns.front, "eth1", ext("eth1").cidr);
    addr(ns.front, "tun0", ext("tun0").cidr);
    addr(ns.front, "tun6", ext("tun6").cidr);
    for (const a of node.addresses) addr(ns.node, node.interface, a.cidr);
    addr(ns.office, "eth0", "2001:db8:27::10/64");
    addr(ns.partner, "wan0", `${PARTNER[4]}/${ext("tun0").length}`);
    addr(ns.partner, "wan6", `${PARTNER[6]}/${ext("tun6").length}`);
    for (const [n, devs] of [
      [ns.front, [front.interface, "eth1", "tun0", "tun6"]],
      [ns.node, [node.interface]],
      [ns.office, ["eth0"]],
      [ns.partner, ["wan0", "wan6"]],
    ] as const)
      for (const dev of devs) ip(n, "link", "set", dev, "up");
    // The node's routes are the model's (its tunnel script installs them); the office routes by its gateway.
    for (const r of node.routes) ip(ns.node, "route", "add", r.to.cidr, "via", r.via, "dev", r.device);
    ip(ns.office, "route", "add", "2001:db8:f26::/64", "via", ext("eth1").address);
    // The partner routes the office's network back (a routed flow), never the node's (only NAT gets answers).
    ip(ns.partner, "route", "add", "2001:db8:27::/64", "via", ext("tun6").address);
    ns.front.exec(["sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]);

    if (this.kind === "nftables") {
      nftLoad(ns.front, FOREIGN_NFT6);
      restoreInto(ns.front, FOREIGN_IP6, "nft", { family: 6 });
    } else {
      const backend = this.backend();
      restoreInto(ns.front, FOREIGN_IP6, backend, { family: 6 });
      this.bin = backendBin(join(this.work, "bin"), backend);
    }
    this.baseline = this.foreign();
    this.install(this.current);

    writeFileSync(join(this.work, "server.py"), SERVER);
    this.server = spawn("ip", ["netns", "exec", ns.partner.name, "python3", "-u", join(this.work, "server.py"), String(PORT)], { stdio: "ignore" });
    for (let i = 0; i < 50; i++) {
      if (this.connect(ns.partner, "::1") !== null) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the partner's server did not start");
  }

  private backend(): Backend {
    return this.kind === "iptables-legacy" ? "legacy" : "nft";
  }

  /** Put a compile's firewall files where the unit's commands will find them. */
  install(files: GatewayFiles): void {
    this.current = files;
    const paths = HOST_PATHS[files.front.os];
    if (this.kind === "nftables") {
      const local = join(this.work, "firewall.nft");
      writeFileSync(local, files.files[`/${paths.nftRules}`]!);
      this.installed = { [`/${paths.nftRules}`]: local };
      return;
    }
    const dir = join(this.work, "host");
    mkdirSync(dir, { recursive: true });
    const rules6 = files.files[`/${paths.ip6tablesRules}`];
    const script = installFirewall(
      dir,
      { rules: files.files[`/${paths.iptablesRules}`]!, script: files.files[`/${paths.firewallScript}`]!, rules6 },
      `/${paths.iptablesRules}`,
      rules6 === undefined ? undefined : `/${paths.ip6tablesRules}`,
    );
    this.installed = { [`/${paths.firewallScript}`]: script };
  }

  /** Run the emitted unit's Exec…= line on the gateway; throws with stderr on failure. */
  unit(key: "ExecStart" | "ExecReload" | "ExecStop"): void {
    const paths = HOST_PATHS[this.current.front.os];
    const r =
      this.kind === "nftables"
        ? runUnit(this.ns.front, this.current.files[`/${paths.nftUnit}`]!, key, this.installed)
        : runUnitCommand(this.ns.front, this.current.files[`/${paths.firewallUnit}`]!, key, this.installed, this.bin);
    if (r.status !== 0) throw new Error(`${key} failed (${this.kind}): ${r.stderr}`);
  }

  /** The foreign IPv6 state of the gateway, sitewire's own chains or table left out. */
  foreign(): string {
    const front = this.ns.front;
    if (this.kind === "nftables") {
      const nft = tables(front).filter((t) => t !== "table inet sitewire");
      return [nft.join("\n"), listTable(front, "ip6 foreign6", true) ?? "", normaliseSave(saveFrom(front, "nft", 6))].join("\n---\n");
    }
    return withoutSitewire(saveFrom(front, this.backend(), 6), OWNED_CHAINS.map((c) => c.chain));
  }

  /** Everything of sitewire's on the gateway, in IPv6: its ip6tables chains, or its nftables table. */
  sitewireState(): string {
    if (this.kind === "nftables") return listTable(this.ns.front, "inet sitewire") ?? "";
    return saveFrom(this.ns.front, this.backend(), 6)
      .split("\n")
      .filter((l) => l.includes("SITEWIRE"))
      .join("\n");
  }

  /** Connect to `address` from namespace `n`; the address the server saw, or null when no answer came. */
  private connect(n: Netns, address: string): string | null {
    const client = `import socket, sys\ns = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)\nprint(s.recv(100).decode().strip())\n`;
    const r = spawnSync("ip", ["netns", "exec", n.name, "python3", "-c", client, address, String(PORT)], { encoding: "utf8", timeout: 5000 });
    return r.status === 0 && r.stdout.trim() !== "" ? r.stdout.trim() : null;
  }

  /** Every probe of the site's flows: the node to both partner addresses, the office to the IPv6 one. */
  probe(): Outcome[] {
    return [
      { from: "node", family: 4, seenAs: this.connect(this.ns.node, PARTNER[4]) },
      { from: "node", family: 6, seenAs: this.connect(this.ns.node, PARTNER[6]) },
      { from: "office", family: 6, seenAs: this.connect(this.ns.office, PARTNER[6]) },
    ];
  }

  cleanup(): void {
    if (this.server?.pid) {
      try {
        process.kill(this.server.pid);
      } catch {
        /* already gone */
      }
    }
    for (const n of this.made) n.cleanup();
    rmSync(this.work, { recursive: true, force: true });
  }
}
