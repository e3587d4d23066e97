/**
 * Reading back the rendered rule files the way the kernel and the cluster read them: iptables-restore rules
 * of sitewire's own chains, the ip-masq-agent preview and NetworkPolicy manifests. The walk decides with
 * these (not with the model), so explain answers for what would be deployed.
 */
import { parse as parseYaml } from "yaml";
import { containsAddress, familyOf, makePrefix } from "../net/ip.js";
import type { Family, FirewallBackend, HostModel } from "../model/types.js";
import { HOST_PATHS, hostFile } from "../targets/host-paths.js";
import { NFT_TABLE } from "../targets/nftables/rules.js";
import type { ArtifactIndex } from "./artifacts.js";
import { chainIndex } from "./chain-index.js";
import type { ArtifactCite } from "./types.js";

export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly proto?: "tcp" | "udp" | "sctp";
  readonly port?: number;
}

/**
 * Is `address` in `cidr`? Never across families (an IPv6 packet matches no IPv4 prefix and the reverse). A
 * symbolic address (a pod's: "pod:…", a host's "auto") is in no prefix. Both come from the model or from
 * artifacts rendered from it (already validated; the CLI's --from/--to are checked with isIpv4/isIpv6 before
 * they get here), so this is integer arithmetic only: the walk asks it at every rule of every hop.
 */
export function inCidr(address: string, cidr: string): boolean {
  if (!ADDRESS.test(address)) return false;
  const slash = cidr.indexOf("/");
  const network = slash < 0 ? cidr : cidr.slice(0, slash);
  const family = familyOf(network);
  if (family !== familyOf(address)) return false;
  const length = slash < 0 ? (family === 4 ? 32 : 128) : Number(cidr.slice(slash + 1));
  return containsAddress(makePrefix(network, length), address);
}

/** A dotted quad, or IPv6 text (hex groups and colons; "pod:…" has letters beyond a-f and never matches). */
const ADDRESS = /^(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9a-f]*:[0-9a-f:]*)$/;

/** The family of a packet's address ("pod:…" and "auto" are neither: undefined). */
export function addressFamily(address: string): Family | undefined {
  return ADDRESS.test(address) ? familyOf(address) : undefined;
}

export interface IptablesRule {
  readonly chain: string;
  readonly cite: ArtifactCite;
  readonly source?: string;
  readonly destination?: string;
  readonly inInterface?: string;
  readonly outInterface?: string;
  readonly protocol?: string;
  readonly ports?: readonly [number, number][];
  readonly ctstate?: readonly string[];
  /** The family the rule is limited to (nftables `meta nfproto ipv4|ipv6` in the inet table); absent: the file's. */
  readonly family?: Family;
  readonly target: string;
}

/** The `-A <chain> …` lines of an iptables-restore file, in order. */
export function readIptables(index: ArtifactIndex, path: string, chain: string): readonly IptablesRule[] {
  return index.memo(`iptables ${path} ${chain}`, () => parseIptables(index, path, chain));
}

function parseIptables(index: ArtifactIndex, path: string, chain: string): IptablesRule[] {
  const out: IptablesRule[] = [];
  index.text(path).forEach((raw, i) => {
    const words = tokens(raw);
    if (words[0] !== "-A" || words[1] !== chain) return;
    const rule: { -readonly [K in keyof IptablesRule]?: IptablesRule[K] } = { chain, cite: { path, line: i + 1, text: raw.trim() }, target: "" };
    for (let k = 2; k < words.length; k++) {
      const w = words[k]!;
      const v = words[k + 1] ?? "";
      if (w === "-s") rule.source = v;
      else if (w === "-d") rule.destination = v;
      else if (w === "-i") rule.inInterface = v;
      else if (w === "-o") rule.outInterface = v;
      else if (w === "-p") rule.protocol = v;
      else if (w === "--dport" || w === "--dports") rule.ports = v.split(",").map((p) => { const [a, b = a] = p.split(":"); return [Number(a), Number(b)] as [number, number]; });
      else if (w === "--ctstate") rule.ctstate = v.split(",");
      else if (w === "-j") rule.target = v;
      else continue;
      k++;
    }
    out.push(rule as IptablesRule);
  });
  return out;
}

/** What sitewire's firewall file on a host is read for: the forward filter, source NAT, MSS clamping. */
export type FirewallRole = "forward" | "postrouting" | "mss";

/**
 * sitewire's firewall file on a host and how its chains are called, by backend (hosts.<h>.firewall.backend): the
 * iptables-restore file's SITEWIRE-* chains, or the chains of nftables' `table inet sitewire`. Both hold the same
 * rules (src/targets/firewall/rules.ts); the walk reads whichever the host gets.
 */
export interface FirewallFile {
  readonly backend: FirewallBackend;
  readonly path: string;
  /** The chain of each role, as steps name it. */
  readonly chains: Readonly<Record<FirewallRole, string>>;
}

const IPTABLES_CHAINS = { forward: "SITEWIRE-FORWARD", postrouting: "SITEWIRE-POSTROUTING", mss: "SITEWIRE-MSS" } as const;

/**
 * The file a packet of `family` meets: nftables' `table inet sitewire` holds both families (its `ip` and `ip6`
 * matches, and `meta nfproto`, tell them apart); with the iptables backend IPv6 rules live in their own
 * ip6tables-restore file beside the iptables one (HOST_PATHS.ip6tablesRules: the same chain names).
 */
export function firewallFile(host: Pick<HostModel, "name" | "os" | "firewallBackend">, family: Family = 4): FirewallFile {
  const paths = HOST_PATHS[host.os];
  if (host.firewallBackend === "nftables") {
    const table = `${NFT_TABLE.family} ${NFT_TABLE.name}`;
    return { backend: "nftables", path: hostFile(host.name, paths.nftRules), chains: { forward: `${table} forward`, postrouting: `${table} postrouting`, mss: `${table} mss` } };
  }
  if (family === 6) return { backend: "iptables", path: hostFile(host.name, paths.ip6tablesRules), chains: IPTABLES_CHAINS };
  return { backend: "iptables", path: hostFile(host.name, paths.iptablesRules), chains: IPTABLES_CHAINS };
}

/** The rules of one of sitewire's chains on a host, in order, whichever backend wrote them. */
export function readFirewall(index: ArtifactIndex, file: FirewallFile, role: FirewallRole): readonly IptablesRule[] {
  return file.backend === "nftables" ? readNft(index, file.path, role) : readIptables(index, file.path, file.chains[role]);
}

/** The rules of `chain` in an nft file sitewire wrote (templates/nftables/sitewire.nft.hbs), in order. */
export function readNft(index: ArtifactIndex, path: string, chain: string): readonly IptablesRule[] {
  return index.memo(`nft ${path} ${chain}`, () => parseNft(index, path, chain));
}

const NFT_VERDICTS: Readonly<Record<string, string>> = { accept: "ACCEPT", drop: "DROP", masquerade: "MASQUERADE" };

/**
 * One rule per line inside `chain NAME { … }`: the matches sitewire writes (`ip|ip6 saddr|daddr P`, `iifname "d"`,
 * `oifname "d"`, `tcp|udp|sctp dport N|{ a, b-c }`, `ct state a,b`), then a verdict or the MSS statement, then a
 * comment. The chain's `type … hook …` line and anything else are not rules.
 */
function parseNft(index: ArtifactIndex, path: string, chain: string): IptablesRule[] {
  const out: IptablesRule[] = [];
  let inChain = false;
  index.text(path).forEach((raw, i) => {
    const line = raw.trim();
    if (/^chain \S+ \{$/.test(line)) {
      inChain = line === `chain ${chain} {`;
      return;
    }
    if (!inChain) return;
    if (line === "}") {
      inChain = false;
      return;
    }
    if (line === "" || line.startsWith("#") || line.startsWith("type ")) return;
    const words = line.replace(/ comment "[^"]*"$/, "").replace(/\{ ([^}]*) \}/g, (_m, set: string) => set.replace(/, /g, ",")).split(" ");
    const rule: { -readonly [K in keyof IptablesRule]?: IptablesRule[K] } = { chain, cite: { path, line: i + 1, text: line }, target: "" };
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      const next = words[k + 1] ?? "";
      if ((w === "ip" || w === "ip6") && (next === "saddr" || next === "daddr")) {
        if (next === "saddr") rule.source = words[k + 2];
        else rule.destination = words[k + 2];
        rule.family = w === "ip6" ? 6 : 4;
        k += 2;
      } else if (w === "meta" && next === "nfproto") {
        rule.family = words[k + 2] === "ipv6" ? 6 : 4;
        k += 2;
      } else if (w === "iifname" || w === "oifname") {
        rule[w === "iifname" ? "inInterface" : "outInterface"] = next.replace(/^"|"$/g, "");
        k++;
      } else if ((w === "tcp" || w === "udp" || w === "sctp") && next === "dport") {
        rule.protocol = w;
        rule.ports = (words[k + 2] ?? "").split(",").map((p) => {
          const [a, b = a] = p.split("-");
          return [Number(a), Number(b)] as [number, number];
        });
        k += 2;
      } else if (w === "ct" && next === "state") {
        rule.ctstate = (words[k + 2] ?? "").split(",").map((st) => st.toUpperCase());
        k += 2;
      } else if (w === "maxseg") {
        rule.target = "TCPMSS";
        break;
      } else if (NFT_VERDICTS[w]) {
        rule.target = NFT_VERDICTS[w]!;
      }
    }
    out.push(rule as IptablesRule);
  });
  return out;
}

export interface Traversal {
  readonly inInterface?: string;
  readonly outInterface?: string;
  /** Part of a connection conntrack already knows (a reply, or a later packet of an accepted one). */
  readonly established: boolean;
}

/**
 * The first rule of the chain that matches the packet, or undefined (the chain returns). A gateway's chains hold
 * rules per flow and per tunnel, and the walk asks at every hop: the rules are indexed once per chain (./chain-index.ts)
 * and only those that can match are tested, in chain order.
 */
export function firstMatch(rules: readonly IptablesRule[], p: Packet, t: Traversal): IptablesRule | undefined {
  const family = addressFamily(p.dst) ?? addressFamily(p.src);
  for (const i of chainIndex(rules).candidates(p, t)) if (ruleMatches(rules[i]!, p, t, family)) return rules[i];
  return undefined;
}

/** Does one rule match the packet (`family`: the packet's, undefined for symbolic addresses)? */
export function ruleMatches(r: IptablesRule, p: Packet, t: Traversal, family: Family | undefined): boolean {
  if (r.family && family && r.family !== family) return false;
  if (r.ctstate && !(t.established && (r.ctstate.includes("ESTABLISHED") || r.ctstate.includes("RELATED")))) return false;
  if (r.source && !inCidr(p.src, r.source)) return false;
  if (r.destination && !inCidr(p.dst, r.destination)) return false;
  if (r.inInterface && r.inInterface !== t.inInterface) return false;
  if (r.outInterface && r.outInterface !== t.outInterface) return false;
  if (r.protocol && r.protocol !== p.proto) return false;
  if (r.ports && (p.port === undefined || !r.ports.some(([a, b]) => a <= p.port! && p.port! <= b))) return false;
  return true;
}

/** Split an iptables-restore line into words, keeping a quoted comment as one word. */
function tokens(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

// ---- cluster -----------------------------------------------------------------------------------------------

export interface PolicyVerdict {
  readonly allowed: boolean;
  readonly what: string;
  readonly cite?: ArtifactCite;
}

interface NetworkPolicyDoc {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    podSelector?: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    egress?: { to?: { ipBlock?: { cidr: string; except?: string[] } }[]; ports?: { protocol?: string; port?: number | string; endPort?: number }[] }[];
  };
}

/**
 * Kubernetes NetworkPolicy egress for a pod to an address outside the cluster: no policy selecting the pod
 * with Egress → allowed; else allowed when some selecting policy's egress rule allows it (policies are
 * additive). https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export function egressVerdict(index: ArtifactIndex, namespace: string, labels: Readonly<Record<string, string>>, p: Packet): PolicyVerdict {
  const selecting: { path: string; doc: NetworkPolicyDoc }[] = [];
  for (const { path, doc } of egressPolicies(index, namespace)) {
    const want = doc.spec!.podSelector?.matchLabels ?? {};
    if (Object.entries(want).every(([k, v]) => labels[k] === v)) selecting.push({ path, doc });
  }
  if (selecting.length === 0) return { allowed: true, what: `no NetworkPolicy restricts egress of these pods in namespace ${namespace}` };
  for (const { path, doc } of selecting) {
    for (const rule of doc.spec!.egress ?? []) {
      const blocks = (rule.to ?? []).filter((t) => t.ipBlock);
      const toOk = rule.to === undefined || blocks.some((t) => inCidr(p.dst, t.ipBlock!.cidr) && !(t.ipBlock!.except ?? []).some((e) => inCidr(p.dst, e)));
      if (!toOk) continue;
      const portOk =
        rule.ports === undefined ||
        rule.ports.some((q) => (q.protocol ?? "TCP").toLowerCase() === p.proto && typeof q.port === "number" && p.port !== undefined && q.port <= p.port && p.port <= (q.endPort ?? q.port));
      if (!portOk) continue;
      const block = blocks.find((t) => inCidr(p.dst, t.ipBlock!.cidr));
      const cite = block ? index.find(path, (l) => l.trim() === `cidr: ${block.ipBlock!.cidr}`) : undefined;
      return { allowed: true, what: `NetworkPolicy ${doc.metadata?.name ?? path} allows egress to ${p.dst}${p.port !== undefined ? ` ${p.proto}/${p.port}` : ""}`, ...(cite ? { cite } : {}) };
    }
  }
  const deny = selecting.find((s) => (s.doc.spec!.egress ?? []).length === 0) ?? selecting[0]!;
  const cite = index.find(deny.path, (l) => l.trim().startsWith("policyTypes:"));
  return {
    allowed: false,
    what: `NetworkPolicy ${deny.doc.metadata?.name ?? deny.path} isolates egress of these pods and no policy allows ${p.dst}${p.port !== undefined ? ` ${p.proto}/${p.port}` : ""}`,
    ...(cite ? { cite } : {}),
  };
}

/** The NetworkPolicies with Egress of a namespace (cluster/<namespace>/*.yaml), parsed once per index. */
function egressPolicies(index: ArtifactIndex, namespace: string): readonly { path: string; doc: NetworkPolicyDoc }[] {
  return index.memo(`egress-policies ${namespace}`, () => {
    const out: { path: string; doc: NetworkPolicyDoc }[] = [];
    for (const path of index.paths()) {
      if (!path.startsWith(`cluster/${namespace}/`) || !path.endsWith(".yaml")) continue;
      const text = index.text(path).join("\n");
      // Parsing YAML is most of the walk's cost: a document that never says Egress has no Egress policy type.
      if (!text.includes("NetworkPolicy") || !text.includes("Egress")) continue;
      let doc: NetworkPolicyDoc;
      try {
        doc = parseYaml(text) as NetworkPolicyDoc;
      } catch {
        continue;
      }
      if ((doc as { kind?: string })?.kind !== "NetworkPolicy" || !doc.spec?.policyTypes?.includes("Egress")) continue;
      out.push({ path, doc });
    }
    return out;
  });
}

/**
 * ip-masq-agent's chain of `dst`'s family (the review previews of what the agent builds: iptables, and
 * ip6tables when it runs with --enable-ipv6): does it masquerade `dst`? undefined: the agent builds no chain of
 * that family (no masquerade block, or IPv6 without --enable-ipv6), so it leaves those packets alone. The chain
 * name is the preview's own (`:NAME - [0:0]`, --masq-chain).
 */
export function masqVerdict(index: ArtifactIndex, dst: string): { masquerade: boolean; cite?: ArtifactCite } | undefined {
  const six = familyOf(dst) === 6;
  const path = six ? "cluster/review/ip-masq-agent6.rules" : "cluster/review/ip-masq-agent.rules";
  if (!index.has(path)) return undefined;
  const chain = index.text(path).find((l) => /^:\S+ - \[0:0\]$/.test(l))?.slice(1).split(" ")[0] ?? "IP-MASQ-AGENT";
  const rules = readIptables(index, path, chain);
  const hit = firstMatch(rules, { src: six ? "::" : "0.0.0.0", dst }, { established: false });
  if (!hit) return { masquerade: false };
  return { masquerade: hit.target === "MASQUERADE", cite: hit.cite };
}
