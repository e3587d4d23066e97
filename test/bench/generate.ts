/**
 * Synthetic site repositories for the benchmark: N realistic `sites/<site>.yaml` files, deterministic from a
 * seed. Each site is drawn from its own PRNG stream (seed, site index), so site 7 is the same file in a
 * 10-site and in a 5,000-site repository and the sizes measure scale, not different content.
 *
 * A site looks like the two examples in sites/: 1-2 strongSwan gateways (zone subnets of a /21 VPC, public
 * addresses, optionally AWS facts and a failover pair) plus Kubernetes nodes (2-4 hosts in all), 1-2 Cisco
 * IOS routers of one of eight data centres (OSPF or BGP), 1-4 route-based tunnels with distinct keys and
 * inside /30s, and in some sites a node across L3 on an ipip link, a flow masqueraded out of an SSL VPN's
 * tun0, and a cluster part (ip-masq-agent, namespace isolation, egress allowlists). Addresses are unique
 * within a site and, for the site's own networks, across sites too (one /21 of 10/8 per site, 8,192 of them).
 * generateHubSite draws one hub site with any number of tunnels (and a flow per tunnel), for the bench of many
 * tunnels per site.
 *
 * Usage: node dist-test/test/bench/generate.js <dir> <count> [seed]   (writes <dir>/sites/*.yaml)
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRng, type Rng } from "./prng.js";

export const DEFAULT_SEED = 20240611;

export interface GeneratedSite {
  readonly name: string;
  /** sites/<name>.yaml */
  readonly file: string;
  readonly text: string;
}

const REGIONS = ["fra", "ams", "lon", "par", "mad", "mil", "waw", "sto", "iad", "ord", "sjc", "sin", "nrt", "syd", "gru", "bom"];

/** The i-th site of the repository generated from `seed`. */
export function generateSite(seed: number, index: number): GeneratedSite {
  const rng = createRng(seed, index);
  const name = `${REGIONS[index % REGIONS.length]}-${String(index).padStart(4, "0")}`;
  const text = siteText(rng, index, name);
  return { name, file: `sites/${name}.yaml`, text };
}

export function generateSites(seed: number, count: number): GeneratedSite[] {
  return Array.from({ length: count }, (_, i) => generateSite(seed, i));
}

/** Write `count` sites into <dir>/sites/; returns the sites written. */
export async function writeRepository(dir: string, count: number, seed = DEFAULT_SEED): Promise<GeneratedSite[]> {
  const sites = generateSites(seed, count);
  await mkdir(join(dir, "sites"), { recursive: true });
  await Promise.all(sites.map((s) => writeFile(join(dir, s.file), s.text)));
  return sites;
}

// ---------------------------------------------------------------------------------------------------------
// One site
// ---------------------------------------------------------------------------------------------------------

interface Plan {
  readonly vpc: { x: number; y: number };
  readonly dc: number;
  readonly gateways: number;
  readonly nodes: number;
  readonly peers: number;
  readonly tunnels: ReadonlyArray<readonly [gateway: number, peer: number]>;
  readonly failover: boolean;
  readonly remoteNode: boolean;
  readonly flow: boolean;
}

function planSite(rng: Rng, index: number): Plan {
  const slot = index % 8192; // one 10.x.y.0/21 per site
  const gateways = rng.int(1, 2);
  const peers = rng.int(1, 2);
  const nodes = rng.int(Math.max(0, 2 - gateways), 4 - gateways);
  const pairs: Array<[number, number]> = [];
  for (let g = 1; g <= gateways; g++) for (let p = 1; p <= peers; p++) pairs.push([g, p]);
  let tunnels: Array<[number, number]> = pairs;
  // Two gateways, two routers: one tunnel per zone (failover-capable, like seed 004), a full mesh, or 3 of 4.
  if (pairs.length === 4) tunnels = rng.pick([[pairs[0]!, pairs[3]!], pairs, pairs.slice(0, 3)]);
  const oneTunnelPerGateway = gateways === 2 && tunnels.length === 2 && tunnels[0]![0] !== tunnels[1]![0];
  const remoteNode = nodes > 0 && rng.chance(0.4);
  return {
    vpc: { x: slot >> 5, y: (slot & 31) << 3 },
    dc: rng.int(0, 7),
    gateways,
    nodes,
    peers,
    tunnels,
    failover: oneTunnelPerGateway && rng.chance(0.6),
    remoteNode,
    flow: nodes > 0 && rng.chance(0.5),
  };
}

const PROPOSALS = [
  { ike: 2, ikeProposals: ["aes256gcm16-prfsha384-ecp384"], esp: ["aes256gcm16-ecp384"] },
  { ike: 2, ikeProposals: ["aes256gcm16-prfsha384-ecp384", "aes256-sha256-modp3072"], esp: ["aes256gcm16-ecp384"] },
  { ike: 2, ikeProposals: ["aes256-sha256-modp3072"], esp: ["aes256-sha256-modp3072"] },
  { ike: 1, ikeProposals: ["aes256-sha256-modp3072"], esp: ["aes256-sha256-modp3072"] },
] as const;

function siteText(rng: Rng, index: number, name: string): string {
  const plan = planSite(rng, index);
  const { x, y } = plan.vpc;
  const dcNet = `172.${16 + plan.dc}.0.0/16`;
  const partnerOctet = index % 256;
  const remoteOctet = y + 4;
  const lines: string[] = [
    "# yaml-language-server: $schema=../schema/site.schema.json",
    `# Synthetic benchmark site ${index} (test/bench/generate.ts).`,
    `site: ${name}`,
    `description: ${name.slice(0, 3).toUpperCase()} branch VPC to data centre ${plan.dc + 1}`,
  ];
  const format = rng.pick(["swanctl", "both", "ipsec-conf", "swanctl"]);
  lines.push("strongswan:", `  format: ${format}`, "");

  // A gateway's second tunnel to the data centre routes its own network: two static tunnels from one host to
  // the same networks are refused (SW165: the second would never carry traffic).
  const seenGateway = new Set<number>();
  const toPeerOf = plan.tunnels.map(([g], j) => {
    const first = !seenGateway.has(g);
    seenGateway.add(g);
    return first ? "onprem" : `dc-extra-${j + 1}`;
  });
  lines.push("networks:", `  vpc: 10.${x}.${y}.0/21`, `  onprem: ${dcNet}`);
  toPeerOf.forEach((n, j) => {
    if (n !== "onprem") lines.push(`  ${n}: 100.${80 + j}.${partnerOctet}.0/24`);
  });
  if (plan.flow) lines.push(`  partner-vpn: 100.64.${partnerOctet}.0/24`, `  partner-api: 100.64.${partnerOctet}.138/32`);
  lines.push(`  office-clients: 192.168.${(index % 200) + 20}.0/24`, "");

  lines.push("hosts:");
  for (let g = 1; g <= plan.gateways; g++) {
    const os = rng.pick(["rhel", "debian"]);
    const hex = (rng.uint32().toString(16) + rng.uint32().toString(16)).padStart(16, "0").slice(0, 17);
    lines.push(
      `  gw-${g}:`,
      `    description: VPN gateway in zone ${"ab"[g - 1]}`,
      `    os: ${os}`,
      `    address: 10.${x}.${y + g - 1}.${rng.int(100, 250)}/24`,
      `    publicAddress: 54.${200 + ((index >> 8) % 40)}.${index & 255}.${10 + g}`,
    );
    if (g === 1 && plan.flow) {
      lines.push("    interfaces:", "      tun0:", `        address: 100.64.${partnerOctet}.10/24`, "        description: created by the SSL VPN client");
    }
    if (plan.failover) {
      lines.push(
        "    cloud:",
        "      provider: aws",
        `      region: ${rng.pick(["eu-central-1", "eu-west-1", "us-east-1", "ap-southeast-1"])}`,
        `      instanceId: i-${hex}`,
        `      eni: eni-${hex.slice(0, 8)}`,
        `      routeTables: [rtb-${hex.slice(8, 16)}]`,
      );
    }
  }
  for (let n = 1; n <= plan.nodes; n++) {
    const remote = plan.remoteNode && n === 1;
    lines.push(
      `  node-${n}:`,
      `    description: Kubernetes node${remote ? " across an L3-only network" : ""}`,
      `    os: debian`,
      `    address: 10.${x}.${remote ? remoteOctet : y}.${20 + n}/24`,
    );
  }
  lines.push("");

  lines.push("peers:");
  for (let p = 1; p <= plan.peers; p++) {
    lines.push(
      `  dc-router-${p}:`,
      `    description: Data centre ${plan.dc + 1} edge router ${p}`,
      "    platform: cisco-ios",
      `    address: 172.${16 + plan.dc}.${p}.100`,
      `    publicAddress: 52.${50 + plan.dc}.${(index >> 6) & 255}.${((index & 63) << 2) + p}`,
    );
    if (rng.chance(0.6)) lines.push("    routing:", `      ospf: { process: 100, routerId: 172.${16 + plan.dc}.255.${p} }`);
    else lines.push("    routing:", `      bgp: { as: ${65000 + plan.dc}, routerId: 172.${16 + plan.dc}.255.${p} }`);
  }
  lines.push("");

  const crypto = rng.pick(PROPOSALS);
  const mtu = rng.pick([undefined, 1436, 1420, 1400]);
  lines.push("tunnels:");
  plan.tunnels.forEach(([g, p], j) => {
    const key = 101 + j;
    lines.push(
      `  vpn${j + 1}:`,
      `    description: zone ${"ab"[g - 1]} to router ${p}`,
      `    between: [gw-${g}, dc-router-${p}]`,
      `    ike: { version: ${crypto.ike}, proposals: [${crypto.ikeProposals.join(", ")}], lifetime: 8h }`,
      `    esp: { proposals: [${crypto.esp.join(", ")}], lifetime: 1h }`,
      `    psk: { env: ${name.toUpperCase().replace(/-/g, "_")}_VPN${j + 1}_PSK }`,
      `    inside: 169.254.${(index % 250) + 1}.${4 * j}/30`,
      `    key: ${key}`,
    );
    if (mtu !== undefined) lines.push(`    mtu: ${mtu}`);
    lines.push("    dpd: { delay: 10s, timeout: 30s, action: restart }", "    routes:", `      toPeer: [${toPeerOf[j]}]`, "      toHost: [vpc]");
    if (plan.failover || rng.chance(0.5)) lines.push(`    monitor: { interval: 5s, slaId: ${key} }`);
  });

  if (plan.remoteNode) {
    lines.push(
      "",
      "links:",
      "  node-link:",
      "    description: node-1 reaches the gateway over IP-in-IP",
      "    kind: ipip",
      "    between: [node-1, gw-1]",
      `    inside: 192.168.${(index % 20) + 1}.0/30`,
    );
  }
  if (plan.flow) {
    const sources = Array.from({ length: plan.nodes }, (_, n) => `node-${n + 1}`);
    lines.push(
      "",
      "flows:",
      "  partner-api:",
      "    description: pods on every node call the partner API through gw-1",
      `    from: [${sources.join(", ")}]`,
      "    to: [partner-vpn]",
      "    via: gw-1",
      "    out: tun0",
      "    nat: masquerade",
    );
  }
  if (plan.failover) {
    lines.push(
      "",
      "failover:",
      "  zones:",
      "    description: each gateway carries the other zone's routes while the other's tunnel is down",
      "    gateways: [gw-1, gw-2]",
      "    action: aws",
      "    interval: 5s",
      "    failures: 3",
      "    recoveries: 3",
    );
  }
  if (plan.nodes > 0 && rng.chance(0.75)) lines.push("", ...clusterLines(rng, plan));
  return lines.join("\n") + "\n";
}

function clusterLines(rng: Rng, plan: Plan): string[] {
  const lines = ["cluster:", "  description: production cluster"];
  if (rng.chance(0.7)) {
    lines.push("  masquerade:", `    nonMasqueradeCIDRs: ${rng.pick(["[vpc]", "[vpc, onprem]", "agent-defaults"])}`, "    resyncInterval: 60s");
  }
  const namespaces = rng.pick([["payments"], ["payments", "billing"], ["orders"]]);
  if (rng.chance(0.6)) {
    lines.push(
      "  isolation:",
      `    namespaces: [${namespaces.join(", ")}]`,
      "    allowFrom: [vpc, office-clients]",
      "    externalTrafficPolicy: Local",
    );
  }
  if (rng.chance(0.7)) {
    lines.push("  egress:");
    for (const ns of namespaces) {
      lines.push(`    - namespace: ${ns}`, `      pods: { app: ${ns}-api }`, "      allow:", "        - to: onprem", `          ports: [tcp/443, tcp/${rng.pick([5432, 6379, 8080])}]`);
      if (plan.flow) lines.push("        - to: partner-api", "          ports: [tcp/8080]");
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// A hub site with many tunnels
// ---------------------------------------------------------------------------------------------------------

/**
 * Tunnels per hub gateway at most; at least two gateways (a redundant hub pair) at every size. One host carries
 * at most 252 route-based tunnels: each has its own routing table (SW107), and `tunnels.<t>.table` is 1..252.
 */
const TUNNELS_PER_GATEWAY = 250;
/** Addresses below stay unique up to this many tunnels (branch /24s from 10.128.0.0/9, inside /30s in 169.254/16). */
export const MAX_HUB_TUNNELS = 16_384;

/**
 * One hub site with `tunnels` route-based tunnels, the shape of a data-centre hub for many branch offices:
 * a pair of strongSwan hub gateways (more past 500 tunnels) on one LAN, one on Debian 12 (XFRM interfaces,
 * nftables), the others on RHEL 8 (vti devices, iptables); two Kubernetes nodes on the same LAN; and per
 * tunnel j one Cisco IOS branch router with its own LAN (`branch-j`), a tunnel from one of the gateways (in
 * turn) with its own key, table, PSK reference and inside /30, and one flow from both nodes to that branch
 * out of the tunnel's device, masqueraded. Every third tunnel is monitored (IP SLA on the router), every
 * fourth runs IKEv1. Tunnels, peers, networks and flows all grow with `tunnels`; nothing else does.
 * Deterministic: no PRNG, the same text for the same count.
 */
export function generateHubSite(tunnels: number): GeneratedSite {
  if (!Number.isInteger(tunnels) || tunnels < 1 || tunnels > MAX_HUB_TUNNELS) throw new RangeError(`hub tunnels must be 1..${MAX_HUB_TUNNELS}: ${tunnels}`);
  const name = `hub-${tunnels}`;
  const gateways = Math.max(2, Math.ceil(tunnels / TUNNELS_PER_GATEWAY));
  const xfrm = (g: number) => g === 1;
  const lines: string[] = [
    "# yaml-language-server: $schema=../schema/site.schema.json",
    `# Synthetic hub site with ${tunnels} tunnel${tunnels === 1 ? "" : "s"} (test/bench/generate.ts generateHubSite).`,
    `site: ${name}`,
    `description: Data-centre hub for ${tunnels} branch office${tunnels === 1 ? "" : "s"}`,
    "strongswan:",
    "  format: swanctl",
    "",
    "networks:",
    "  vpc: 10.0.0.0/16",
  ];
  for (let j = 0; j < tunnels; j++) lines.push(`  branch-${j + 1}: ${branchNet(j)}.0/24`);
  lines.push("", "hosts:");
  for (let g = 1; g <= gateways; g++) {
    lines.push(
      `  gw-${g}:`,
      `    description: hub gateway ${g}`,
      ...(xfrm(g) ? ["    os: debian", "    release: 12"] : ["    os: rhel", "    release: 8"]),
      `    address: 10.0.0.${10 + g}/24`,
      `    publicAddress: 54.200.${g >> 8}.${g & 255}`,
    );
  }
  for (let n = 1; n <= 2; n++) lines.push(`  node-${n}:`, "    description: Kubernetes node", "    os: debian", "    release: 12", `    address: 10.0.0.${100 + n}/24`);
  lines.push("", "peers:");
  for (let j = 0; j < tunnels; j++) {
    lines.push(
      `  branch-${j + 1}:`,
      `    description: branch ${j + 1} router`,
      "    platform: cisco-ios",
      `    address: ${branchNet(j)}.1`,
      `    publicAddress: 52.${64 + (j >> 8)}.${j & 255}.10`,
    );
  }
  lines.push("", "tunnels:");
  const devices: string[] = [];
  for (let j = 0; j < tunnels; j++) {
    const g = (j % gateways) + 1;
    const key = j + 1;
    const crypto = PROPOSALS[j % 4 === 3 ? 3 : j % 3]!;
    devices.push(`${xfrm(g) ? "xfrm" : "vti"}${key}`);
    lines.push(
      `  b${j + 1}:`,
      `    description: gw-${g} to branch ${j + 1}`,
      `    between: [gw-${g}, branch-${j + 1}]`,
      `    ike: { version: ${crypto.ike}, proposals: [${crypto.ikeProposals.join(", ")}] }`,
      `    esp: { proposals: [${crypto.esp.join(", ")}] }`,
      `    psk: { env: HUB_B${j + 1}_PSK }`,
      `    inside: 169.254.${j >> 6}.${(j & 63) << 2}/30`,
      `    key: ${key}`,
      `    table: ${Math.floor(j / gateways) + 1}`,
      "    routes:",
      `      toPeer: [branch-${j + 1}]`,
      "      toHost: [vpc]",
    );
    if (j % 3 === 0) lines.push("    monitor: { interval: 5s }");
  }
  lines.push("", "flows:");
  for (let j = 0; j < tunnels; j++) {
    const g = (j % gateways) + 1;
    lines.push(
      `  to-branch-${j + 1}:`,
      `    description: the nodes call branch ${j + 1}'s services`,
      "    from: [node-1, node-2]",
      `    to: [branch-${j + 1}]`,
      `    via: gw-${g}`,
      `    out: ${devices[j]}`,
      "    nat: masquerade",
      `    ports: [tcp/443${j % 2 === 0 ? ", udp/53" : ""}]`,
    );
  }
  return { name, file: `sites/${name}.yaml`, text: lines.join("\n") + "\n" };
}

/** The first three octets of branch j's /24. */
function branchNet(j: number): string {
  return `10.${128 + (j >> 8)}.${j & 255}`;
}

/** Write one hub site with `tunnels` tunnels into <dir>/sites/. */
export async function writeHubRepository(dir: string, tunnels: number): Promise<GeneratedSite> {
  const site = generateHubSite(tunnels);
  await mkdir(join(dir, "sites"), { recursive: true });
  await writeFile(join(dir, site.file), site.text);
  return site;
}

// ---------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, count, seed] = process.argv.slice(2);
  if (!dir || !count) {
    process.stderr.write("usage: node dist-test/test/bench/generate.js <dir> <count> [seed]\n");
    process.exit(64);
  }
  const sites = await writeRepository(dir, Number(count), seed === undefined ? DEFAULT_SEED : Number(seed));
  process.stdout.write(`${sites.length} sites written to ${join(dir, "sites")}\n`);
}
