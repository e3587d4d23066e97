/**
 * BGP facts: `router bgp`, its neighbours and their policies (prefix lists, route maps), from the command tree
 * of a Cisco IOS configuration (test/readers/ios.ts) or an FRR frr.conf (test/readers/frr.ts): both spell
 * them the same way, with the few differences handled here (`address-family ipv4` / `ipv4 unicast`,
 * `network N mask M` / `network N/L`, `fall-over bfd` / `bfd`).
 */
import type { CommandNode as IosNode } from "../readers/cli-tree.js";

export interface BgpNeighborFacts {
  readonly address: string;
  readonly remoteAs?: number;
  readonly description?: string;
  readonly timers?: { readonly keepalive: number; readonly holdTime: number };
  readonly bfd: boolean;
  /** `neighbor X activate` under address-family ipv4 (activated) / ipv6 (activated6). */
  readonly activated: boolean;
  readonly activated6: boolean;
  /** Prefix lists by direction, read as the networks they let through (exact entries; "deny-all" when they permit nothing). */
  readonly prefixIn?: PrefixListFacts;
  readonly prefixOut?: PrefixListFacts;
  readonly routeMapIn?: RouteMapFacts;
  readonly routeMapOut?: RouteMapFacts;
}

export interface PrefixListFacts {
  readonly name: string;
  /** Does the list exist at all? (IOS lets a reference to a missing list permit everything.) */
  readonly exists: boolean;
  /** CIDRs of `permit` entries without ge/le; anything else is kept as "?<entry>" so a check sees it. */
  readonly permits: readonly string[];
  readonly deniesAll: boolean;
}

export interface RouteMapFacts {
  readonly name: string;
  readonly exists: boolean;
  readonly localPreference?: number;
  readonly metric?: number;
  readonly prepend: readonly number[];
  /** A prefix list the route map itself matches (FRR style), if any. */
  readonly matchPrefixList?: string;
}

export interface BgpFacts {
  readonly as: number;
  readonly routerId?: string;
  /** `network` statements as CIDRs (IOS `network N mask M`; FRR `network N/L`). */
  readonly networks: readonly string[];
  readonly neighbors: readonly BgpNeighborFacts[];
}

/** The `router bgp` block of an IOS or FRR command tree, or undefined without one. */
export function bgpOf(config: readonly IosNode[]): BgpFacts | undefined {
  const router = config.find((n) => /^router bgp \d+$/.test(n.line));
  if (!router) return undefined;
  const af = router.children.find((c) => c.line === "address-family ipv4" || c.line === "address-family ipv4 unicast");
  const af6 = router.children.find((c) => c.line === "address-family ipv6" || c.line === "address-family ipv6 unicast");
  const all = [...router.children, ...(af?.children ?? []), ...(af6?.children ?? [])].map((c) => c.line);
  const neighborLines = (address: string) => all.filter((l) => l.startsWith(`neighbor ${address} `)).map((l) => l.slice(`neighbor ${address} `.length));
  const addresses = [...new Set(all.filter((l) => l.startsWith("neighbor ")).map((l) => l.split(" ")[1]!))];
  const networks = [...(af?.children ?? []), ...(af6?.children ?? [])].map((c) => c.line).filter((l) => l.startsWith("network ")).map(networkCidr);
  const activatedIn = (block: IosNode | undefined, address: string) => (block?.children ?? []).some((c) => c.line === `neighbor ${address} activate`);
  return {
    as: Number(router.line.split(" ")[2]),
    ...opt("routerId", router.children.find((c) => c.line.startsWith("bgp router-id "))?.line.split(" ")[2]),
    networks,
    neighbors: addresses.map((address) => {
      const words = neighborLines(address);
      const value = (prefix: string) => words.find((w) => w.startsWith(prefix))?.slice(prefix.length);
      // `timers <keepalive> <hold>`, not FRR's `timers connect <s>`.
      const [keepalive, holdTime] = (words.find((w) => /^timers \d/.test(w))?.slice("timers ".length) ?? "").split(" ").map(Number);
      const policy = (kind: "prefix-list" | "route-map", direction: "in" | "out") => words.find((w) => w.startsWith(`${kind} `) && w.endsWith(` ${direction}`))?.split(" ")[1];
      const plIn = policy("prefix-list", "in");
      const plOut = policy("prefix-list", "out");
      const rmIn = policy("route-map", "in");
      const rmOut = policy("route-map", "out");
      return {
        address,
        ...opt("remoteAs", numeric(value("remote-as "))),
        ...opt("description", value("description ")),
        ...(keepalive !== undefined && holdTime !== undefined && !Number.isNaN(keepalive) && !Number.isNaN(holdTime) ? { timers: { keepalive, holdTime } } : {}),
        bfd: words.includes("fall-over bfd") || words.includes("bfd"),
        // IOS activates IPv4 unicast neighbours by default unless `no bgp default ipv4-unicast`; sitewire writes it.
        // An IPv6 neighbour that is not activated for IPv4 says `no neighbor X activate` there (not a `neighbor` line).
        // IOS and FRR's traditional defaults (`bgp default ipv4-unicast`) activate every neighbour for IPv4 unless
        // `no neighbor X activate` says otherwise under address-family ipv4 (or the default is switched off).
        activated:
          activatedIn(af, address) ||
          router.children.some((c) => c.line === `neighbor ${address} activate`) ||
          (!router.children.some((c) => c.line === "no bgp default ipv4-unicast") && !(af?.children ?? []).some((c) => c.line === `no neighbor ${address} activate`)),
        activated6: activatedIn(af6, address),
        ...opt("prefixIn", plIn === undefined ? undefined : prefixListOf(config, plIn)),
        ...opt("prefixOut", plOut === undefined ? undefined : prefixListOf(config, plOut)),
        ...opt("routeMapIn", rmIn === undefined ? undefined : routeMapOf(config, rmIn)),
        ...opt("routeMapOut", rmOut === undefined ? undefined : routeMapOf(config, rmOut)),
      };
    }),
  };
}

/** `network 10.0.0.0 mask 255.255.0.0` → 10.0.0.0/16; `network 10.0.0.0/16` as it is. */
function networkCidr(line: string): string {
  const w = line.split(" ");
  if (w[2] === "mask" && w[3]) return `${w[1]}/${maskBits(w[3])}`;
  return w[1]!.includes("/") ? w[1]! : `?${line}`;
}

function maskBits(mask: string): string {
  const bits = mask.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
  return /^1*0*$/.test(bits) && bits.length === 32 ? String(bits.replace(/0+$/, "").length) : `?${mask}`;
}

export function prefixListOf(config: readonly IosNode[], name: string): PrefixListFacts {
  // `ip prefix-list` (IPv4) or `ipv6 prefix-list` (IPv6): one name is one list here (sitewire names them apart).
  const head = (line: string) => [`ip prefix-list ${name} `, `ipv6 prefix-list ${name} `].find((h) => line.startsWith(h));
  const entries = config
    .filter((n) => head(n.line) !== undefined)
    .map((n) => n.line.slice(head(n.line)!.length).split(" "))
    // seq N permit|deny P [ge|le N]…, in sequence order
    .map((w) => (w[0] === "seq" ? { seq: Number(w[1]), rest: w.slice(2) } : { seq: 0, rest: w }))
    .sort((a, b) => a.seq - b.seq)
    .map((e) => e.rest);
  const permits = entries.filter((w) => w[0] === "permit").map((w) => (w.length === 2 ? w[1]! : `?${w.join(" ")}`));
  const deniesAll = entries.length > 0 && entries.every((w) => w[0] === "deny") && entries.some((w) => ["deny 0.0.0.0/0 le 32", "deny ::/0 le 128", "deny any"].includes(w.join(" ")));
  return { name, exists: entries.length > 0, permits, deniesAll };
}

export function routeMapOf(config: readonly IosNode[], name: string): RouteMapFacts {
  const entries = config.filter((n) => n.line.startsWith(`route-map ${name} `));
  const sets = entries.flatMap((e) => e.children.map((c) => c.line));
  const value = (prefix: string) => sets.find((l) => l.startsWith(prefix))?.slice(prefix.length);
  return {
    name,
    exists: entries.length > 0,
    ...opt("localPreference", numeric(value("set local-preference "))),
    ...opt("metric", numeric(value("set metric "))),
    prepend: (value("set as-path prepend ") ?? "").split(" ").filter(Boolean).map(Number),
    ...opt("matchPrefixList", value("match ip address prefix-list ") ?? value("match ipv6 address prefix-list ")),
  };
}

export function numeric(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}
