/**
 * The facts of each `interface Tunnel<n>` of a Cisco IOS configuration, from the command tree
 * test/readers/ios.ts reads, found the way IOS finds them, by following names: tunnel protection → ipsec
 * profile → transform sets and isakmp/ikev2 profile → keyring, proposals and policies; track → ip sla;
 * static routes out of the interface; route map and redistribution. IOS keywords are mapped back to
 * strongSwan keywords with a table written here independently of src/targets/ios/translate.ts, so a wrong
 * entry there shows up as a disagreement instead of being agreed with.
 */
import type { CommandNode as IosNode } from "../readers/ios.js";
import { numeric, opt } from "./bgp-facts.js";

// strongSwan keyword for each IOS keyword (IOS command references; see the README translation table).
const ISAKMP_ENCRYPTION: Record<string, string> = { "aes 128": "aes128", aes: "aes128", "aes 192": "aes192", "aes 256": "aes256", "3des": "3des", des: "des" };
const ISAKMP_HASH: Record<string, string> = { md5: "md5", sha: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" };
const IKEV2_ENCRYPTION: Record<string, string> = { "aes-cbc-128": "aes128", "aes-cbc-192": "aes192", "aes-cbc-256": "aes256", "aes-gcm-128": "aes128gcm16", "aes-gcm-256": "aes256gcm16", "3des": "3des" };
const IKEV2_HASH: Record<string, string> = { md5: "md5", sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" };
const ESP_ENCRYPTION: Record<string, string> = { "esp-aes 128": "aes128", "esp-aes": "aes128", "esp-aes 192": "aes192", "esp-aes 256": "aes256", "esp-gcm 128": "aes128gcm16", "esp-gcm 256": "aes256gcm16", "esp-3des": "3des", "esp-des": "des" };
const ESP_AUTH: Record<string, string> = { "esp-md5-hmac": "md5", "esp-sha-hmac": "sha1", "esp-sha256-hmac": "sha256", "esp-sha384-hmac": "sha384", "esp-sha512-hmac": "sha512" };
const GROUP: Record<string, string> = { "1": "modp768", "2": "modp1024", "5": "modp1536", "14": "modp2048", "15": "modp3072", "16": "modp4096", "19": "ecp256", "20": "ecp384", "21": "ecp521", "24": "modp2048s256" };

export interface IosTunnelFacts {
  readonly number: number;
  readonly address: string;
  readonly mask: string;
  readonly mtu?: number;
  readonly mss?: number;
  /** IPv6 on the interface: `ipv6 address <a>/<len>`, `ipv6 mtu`, `ipv6 tcp adjust-mss` (issue 16). */
  readonly address6?: string;
  readonly mtu6?: number;
  readonly mss6?: number;
  /** `tunnel mode ipsec <mode>`: ipv4, ipv6, dual-overlay, `ipv4 v6-overlay`, `ipv6 v4-overlay`. */
  readonly mode?: string;
  readonly source?: string;
  readonly destination?: string;
  /**
   * The interface is administratively up after the paste: its last `shutdown` / `no shutdown` line says
   * `no shutdown`. Without one, an existing interface someone shut keeps its state; IOS's default for a new
   * Tunnel interface is not something the text proves.
   */
  readonly adminUp: boolean;
  readonly ikeVersion?: 1 | 2;
  /** strongSwan-style combinations "enc-integ[-prfX]-dh" the router accepts for this tunnel. */
  readonly ikeProposals: readonly string[];
  readonly ikeLifetimes: readonly number[];
  /** "enc-integ" (or "enc" for GCM), one per transform set. */
  readonly espProposals: readonly string[];
  readonly pfs: string;
  readonly espLifetime?: number;
  /** The pre-shared key the router holds for the address it expects the tunnel's other end at. */
  readonly psk?: string;
  readonly pskAddress?: string;
  readonly localAddresses: readonly string[];
  readonly remoteIdentity?: string;
  readonly localIdentity?: string;
  readonly dpd?: { readonly seconds: number; readonly retry: number };
  /** `forever`: scheduled with `life forever` (the IOS default life is one hour, then the probe stops). */
  readonly sla?: { readonly id: number; readonly target: string; readonly source: string; readonly frequency: number; readonly forever: boolean; readonly timeoutMs: number };
  /** `bfd interval <ms> min_rx <ms> multiplier <n>` on the interface. */
  readonly bfd?: { readonly interval: number; readonly minRx: number; readonly multiplier: number };
  readonly track?: { readonly id: number; readonly slaId: number; readonly delayDown?: number };
  readonly routes: readonly { readonly network: string; readonly mask: string; readonly nextHop: string; readonly tag?: number; readonly track?: number }[];
  /** `ipv6 route <prefix> Tunnel<n> <next hop> [tag N] [track N]` out of the interface. */
  readonly routes6: readonly { readonly prefix: string; readonly nextHop: string; readonly tag?: number; readonly track?: number }[];
  /** Tags the redistribution route map matches, and the protocols redistributing through it. */
  readonly redistributed: { readonly tags: readonly number[]; readonly into: readonly string[] };
}

/** The facts of every Tunnel interface of an IOS configuration read by readIos(). */
export function iosTunnels(config: readonly IosNode[]): IosTunnelFacts[] {
  const top = (prefix: string) => config.filter((n) => n.line.startsWith(prefix));
  const block = (command: string) => config.find((n) => n.line === command);
  const sub = (node: IosNode | undefined, prefix: string) => node?.children.find((c) => c.line.startsWith(prefix))?.line.slice(prefix.length);
  const subs = (node: IosNode | undefined, prefix: string) => (node?.children ?? []).filter((c) => c.line.startsWith(prefix)).map((c) => c.line.slice(prefix.length));

  return top("interface Tunnel").map((intf) => {
    const number = Number(intf.line.slice("interface Tunnel".length));
    const [address = "", mask = ""] = (sub(intf, "ip address ") ?? "").split(" ");
    const profileName = sub(intf, "tunnel protection ipsec profile ");
    const profile = profileName ? block(`crypto ipsec profile ${profileName}`) : undefined;
    const transformSets = (sub(profile, "set transform-set ") ?? "").split(" ").filter(Boolean);
    const espProposals = transformSets.map((name) => espOf(top(`crypto ipsec transform-set ${name} `)[0]?.line.slice(`crypto ipsec transform-set ${name} `.length) ?? "?"));
    const pfsGroup = sub(profile, "set pfs group");
    const destination = sub(intf, "tunnel destination ");
    const ikev2Profile = sub(profile, "set ikev2-profile ");
    // Without `set isakmp-profile`, IOS picks the isakmp profile whose identity matches the peer (seed 004).
    const isakmpProfile =
      sub(profile, "set isakmp-profile ") ??
      (ikev2Profile ? undefined : top("crypto isakmp profile ").find((n) => sub(n, "match identity address ")?.split(" ")[0] === destination)?.line.split(" ")[3]);
    const common = {
      number,
      address,
      mask,
      ...opt("mtu", numeric(sub(intf, "ip mtu "))),
      ...opt("mss", numeric(sub(intf, "ip tcp adjust-mss "))),
      ...opt("address6", sub(intf, "ipv6 address ")),
      ...opt("mtu6", numeric(sub(intf, "ipv6 mtu "))),
      ...opt("mss6", numeric(sub(intf, "ipv6 tcp adjust-mss "))),
      ...opt("mode", sub(intf, "tunnel mode ipsec ")),
      ...opt("source", sub(intf, "tunnel source ")),
      ...opt("destination", destination),
      adminUp: intf.children.filter((c) => c.line === "shutdown" || c.line === "no shutdown").at(-1)?.line === "no shutdown",
      ...opt("bfd", bfdOf(sub(intf, "bfd interval "))),
      espProposals,
      pfs: pfsGroup ? (GROUP[pfsGroup] ?? `group${pfsGroup}?`) : "none",
      ...opt("espLifetime", numeric(sub(profile, "set security-association lifetime seconds "))),
      // An IPv6-only tunnel's probe is sourced from its IPv6 inside address.
      ...probe(config, number, address || (sub(intf, "ipv6 address ") ?? "").split("/")[0]!),
    };
    if (isakmpProfile) {
      const p = block(`crypto isakmp profile ${isakmpProfile}`);
      const keyring = block(`crypto keyring ${sub(p, "keyring ") ?? "?"}`);
      const [pskAddress, psk] = (sub(keyring, "pre-shared-key address ") ?? "").split(" key ");
      const policies = top("crypto isakmp policy ");
      const [seconds, retry] = (sub(p, "keepalive ") ?? "").split(" retry ").map(Number);
      return {
        ...common,
        ikeVersion: 1 as const,
        ikeProposals: policies.map(isakmpOf),
        ikeLifetimes: policies.map((n) => Number(sub(n, "lifetime ") ?? "86400")),
        ...opt("psk", psk),
        ...opt("pskAddress", pskAddress),
        localAddresses: [sub(keyring, "local-address "), sub(p, "local-address ")].filter((a): a is string => a !== undefined),
        ...opt("remoteIdentity", identityOf(sub(p, "match identity "))),
        ...(seconds && retry ? { dpd: { seconds, retry } } : {}),
      };
    }
    const p = block(`crypto ikev2 profile ${ikev2Profile ?? "?"}`);
    const keyring = block(`crypto ikev2 keyring ${sub(p, "keyring local ") ?? "?"}`);
    const peer = keyring?.children.find((c) => c.line.startsWith("peer "));
    const localAddress = sub(p, "match address local ");
    const policy = top("crypto ikev2 policy ").find((n) => subs(n, "match address local ").includes(localAddress ?? "?"));
    const proposals = subs(policy, "proposal ").map((name) => block(`crypto ikev2 proposal ${name}`));
    const [seconds, retry] = (sub(p, "dpd ") ?? "").split(" ").map(Number);
    return {
      ...common,
      ikeVersion: 2 as const,
      ikeProposals: proposals.flatMap((n) => ikev2Of(n, subs)),
      ikeLifetimes: [Number(sub(p, "lifetime ") ?? "86400")],
      ...opt("psk", sub(peer, "pre-shared-key ")),
      // An IPv6 peer is keyed as a /128 prefix (`address 2001:db8::1/128`).
      ...opt("pskAddress", sub(peer, "address ")?.replace(/\/128$/, "")),
      localAddresses: [localAddress, sub(policy, "match address local ")].filter((a): a is string => a !== undefined),
      ...opt("remoteIdentity", identityOf(sub(p, "match identity remote "))),
      ...opt("localIdentity", identityOf(sub(p, "identity local "))),
      ...(seconds && retry ? { dpd: { seconds, retry } } : {}),
    };
  });
}

function isakmpOf(policy: IosNode): string {
  const get = (prefix: string) => policy.children.find((c) => c.line.startsWith(prefix))?.line.slice(prefix.length) ?? "?";
  // An isakmp policy without `hash` uses SHA-1 (the IOS default; seed 004's policies rely on it).
  const hash = policy.children.some((c) => c.line.startsWith("hash ")) ? get("hash ") : "sha";
  return [ISAKMP_ENCRYPTION[get("encr ")] ?? "?", ISAKMP_HASH[hash] ?? "?", GROUP[get("group ")] ?? "?"].join("-");
}

/** Every combination an IKEv2 proposal allows, as "enc-integ-prfX-dh". */
function ikev2Of(node: IosNode | undefined, subs: (n: IosNode | undefined, p: string) => string[]): string[] {
  const words = (prefix: string) => subs(node, prefix).flatMap((l) => l.split(" "));
  const enc = words("encryption ").map((e) => IKEV2_ENCRYPTION[e] ?? "?");
  const integ = words("integrity ").map((i) => IKEV2_HASH[i] ?? "?");
  const prf = words("prf ").map((f) => `prf${IKEV2_HASH[f] ?? "?"}`);
  const groups = words("group ").map((g) => GROUP[g] ?? "?");
  const out: string[] = [];
  for (const e of enc)
    for (const i of integ.length ? integ : [""])
      for (const f of prf.length ? prf : integ.length ? [`prf${i}`] : ["?"]) for (const g of groups) out.push([e, i, f, g].filter(Boolean).join("-"));
  return out;
}

function espOf(transforms: string): string {
  const words = transforms.split(" ");
  const encWords = words[1] && /^\d+$/.test(words[1]) ? 2 : 1;
  const enc = ESP_ENCRYPTION[words.slice(0, encWords).join(" ")] ?? "?";
  const auth = words.slice(encWords).map((w) => ESP_AUTH[w] ?? "?");
  return [enc, ...auth].join("-");
}

/** `address X 255.255.255.255` / `address X/128` (IPv6) / `host X` / `fqdn X` → X. */
function identityOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const [kind, value = ""] = text.split(" ");
  return kind === "address" ? value.replace(/\/128$/, "") : kind === "host" || kind === "fqdn" ? value : `?${text}`;
}

/** `300 min_rx 300 multiplier 3` → its numbers. */
function bfdOf(text: string | undefined): IosTunnelFacts["bfd"] {
  const m = text ? /^(\d+) min_rx (\d+) multiplier (\d+)$/.exec(text) : null;
  return m ? { interval: Number(m[1]), minRx: Number(m[2]), multiplier: Number(m[3]) } : undefined;
}

/**
 * SLA, track, routes and redistribution that belong to Tunnel<number>. The track is the one the interface's
 * static routes follow; a tunnel without static routes (BGP) is probed by the ip sla sourced from its address.
 */
function probe(config: readonly IosNode[], number: number, address: string) {
  const routes = config
    .filter((n) => n.line.startsWith("ip route ") && n.line.split(" ")[4] === `Tunnel${number}`)
    .map((n) => {
      const w = n.line.split(" ");
      const after = (k: string) => (w.indexOf(k) > 0 ? Number(w[w.indexOf(k) + 1]) : undefined);
      return { network: w[2]!, mask: w[3]!, nextHop: w[5]!, ...opt("tag", after("tag")), ...opt("track", after("track")) };
    });
  const routes6 = config
    .filter((n) => n.line.startsWith("ipv6 route ") && n.line.split(" ")[3] === `Tunnel${number}`)
    .map((n) => {
      const w = n.line.split(" ");
      const after = (k: string) => (w.indexOf(k) > 0 ? Number(w[w.indexOf(k) + 1]) : undefined);
      return { prefix: w[2]!, nextHop: w[4]!, ...opt("tag", after("tag")), ...opt("track", after("track")) };
    });
  const trackId = routes[0]?.track ?? routes6[0]?.track;
  const slaBySource = config.find((n) => n.line.startsWith("ip sla ") && /^ip sla \d+$/.test(n.line) && n.children.some((c) => c.line.startsWith("icmp-echo ") && c.line.endsWith(` source-ip ${address}`)));
  const trackNode =
    trackId !== undefined
      ? config.find((n) => n.line.startsWith(`track ${trackId} ip sla `))
      : slaBySource && config.find((n) => /^track \d+ ip sla \d+ /.test(n.line) && n.line.split(" ")[4] === slaBySource.line.split(" ")[2]);
  const slaId = trackNode ? Number(trackNode.line.split(" ")[4]) : undefined;
  const slaNode = config.find((n) => n.line === `ip sla ${slaId}`);
  const echo = slaNode?.children.find((c) => c.line.startsWith("icmp-echo "))?.line.split(" ");
  const frequency = slaNode?.children.find((c) => c.line.startsWith("frequency "))?.line.split(" ")[1];
  // Without a `timeout` line IOS waits 5000 ms (its default).
  const timeout = slaNode?.children.find((c) => c.line.startsWith("timeout "))?.line.split(" ")[1];
  const schedule = config.find((n) => n.line.startsWith(`ip sla schedule ${slaId} `));
  const delayDown = trackNode?.children.find((c) => c.line.startsWith("delay down "))?.line.split(" ")[2];
  const routeMap = config.find((n) => n.line.startsWith("route-map ") && n.line.endsWith(" permit 10"));
  const mapName = routeMap?.line.split(" ")[1];
  const tags = (routeMap?.children.find((c) => c.line.startsWith("match tag "))?.line.split(" ").slice(2) ?? []).map(Number);
  const redistributes = (n: IosNode): boolean => n.line.startsWith("redistribute static ") && n.line.endsWith(` route-map ${mapName}`);
  const anywhereBelow = (n: IosNode, test: (c: IosNode) => boolean): boolean => n.children.some((c) => test(c) || anywhereBelow(c, test));
  const into = config.filter((n) => n.line.startsWith("router ") && anywhereBelow(n, redistributes)).map((n) => n.line.split(" ")[1]!);
  return {
    routes,
    routes6,
    ...(trackNode && slaId !== undefined ? { track: { id: Number(trackNode.line.split(" ")[1]), slaId, ...opt("delayDown", delayDown ? Number(delayDown) : undefined) } } : {}),
    ...(echo && schedule && slaId !== undefined ? { sla: { id: slaId, target: echo[1]!, source: echo[3]!, frequency: Number(frequency), forever: schedule.line.includes(" life forever"), timeoutMs: timeout === undefined ? 5000 : Number(timeout) } } : {}),
    redistributed: { tags, into },
  };
}
