/**
 * What a Junos `set` file says about one route-based tunnel (test-only), found the way Junos finds it, by following
 * names from the tunnel interface: st0.<unit> ← ipsec vpn bind-interface → ike gateway → ike policy → ike proposals;
 * ipsec vpn → ipsec policy → ipsec proposals; static routes out of st0.<unit>; global security policies into and out
 * of the unit's zone; the BGP neighbour on the unit's network and its import/export policy statements.
 *
 * Junos keywords are mapped back to strongSwan algorithm identities with tables written here, independently of
 * src/targets/juniper-srx/platform.ts, so a wrong entry there shows up as a disagreement instead of being agreed with.
 */
import { readJunosSet, under, valueOf, valuesOf, type JunosStatement } from "../readers/junos-set.js";

/** One IKE or ESP proposal as algorithm identities (src/model/crypto.ts identityOf), PRF made explicit for IKE. */
export interface Combo {
  readonly encryption: string;
  readonly integrity?: string;
  readonly prf?: string;
  readonly dh?: string;
}

export interface JunosTunnelFacts {
  readonly unit: number;
  readonly inside?: string;
  readonly mtu?: number;
  readonly zone?: string;
  readonly zoneServices: readonly string[];
  readonly zoneProtocols: readonly string[];
  readonly vpn?: string;
  readonly dfBit?: string;
  readonly establish?: string;
  readonly monitor?: { readonly source?: string; readonly destination?: string };
  readonly gateway?: string;
  readonly ikeVersion?: 1 | 2;
  readonly mode?: string;
  readonly address?: string;
  /** `family inet6 address` / `family inet6 mtu` of the st0 unit (issue 16). */
  readonly inside6?: string;
  readonly mtu6?: number;
  readonly externalInterface?: string;
  readonly localAddress?: string;
  readonly localIdentity?: string;
  readonly remoteIdentity?: string;
  readonly dpd?: { readonly interval?: number; readonly threshold?: number; readonly mode?: string };
  readonly psk?: string;
  /** One per ike proposal of the policy, in order; undefined where a keyword is unknown here. */
  readonly ikeProposals: readonly (Combo | undefined)[];
  readonly ikeLifetimes: readonly (number | undefined)[];
  readonly espProposals: readonly (Combo | undefined)[];
  readonly espLifetimes: readonly (number | undefined)[];
  readonly pfs?: string;
  /** Prefixes routed out of st0.<unit>, with the metric of a qualified next hop. */
  readonly routes: readonly { readonly prefix: string; readonly metric?: number }[];
  /** Global security policies that permit traffic into (out of the device towards) and out of the unit's zone. */
  readonly flows: { readonly toTunnel: readonly Flow[]; readonly fromTunnel: readonly Flow[] };
  readonly bgp?: BgpFacts;
  /** The BGP session over the unit's IPv6 inside address (a dual-stack tunnel's second group). */
  readonly bgp6?: BgpFacts;
}

export interface Flow {
  readonly policy: string;
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly mss: readonly number[];
}

export interface BgpFacts {
  readonly as?: number;
  readonly routerId?: string;
  readonly group: string;
  /** `family inet6 unicast` / `family inet unicast` on the group (none: Junos's default, IPv4 unicast). */
  readonly families: readonly string[];
  readonly neighbor: string;
  readonly peerAs?: number;
  readonly localAddress?: string;
  readonly holdTime?: number;
  readonly bfd: boolean;
  /** Exact prefixes the import policy accepts (none: rejects all), with the local preference it sets. */
  readonly accept: readonly string[];
  readonly localPref?: number;
  readonly announce: readonly string[];
  readonly med?: number;
  readonly prepend: readonly number[];
  /** The policy statement ends in `then reject` (else Junos's default BGP policy applies). */
  readonly importRejectsRest: boolean;
  readonly exportRejectsRest: boolean;
}

// Junos keyword → strongSwan identity (Junos CLI Reference: proposal (Security IKE) / (Security IPsec)).
const IKE_ENCRYPTION: Record<string, string> = {
  "aes-128-cbc": "ENCR_AES_CBC/128",
  "aes-192-cbc": "ENCR_AES_CBC/192",
  "aes-256-cbc": "ENCR_AES_CBC/256",
  "aes-128-gcm": "ENCR_AES_GCM_ICV16/128",
  "aes-256-gcm": "ENCR_AES_GCM_ICV16/256",
  "3des-cbc": "ENCR_3DES/0",
  "des-cbc": "ENCR_DES/0",
};
const ESP_ENCRYPTION: Record<string, string> = { ...IKE_ENCRYPTION, "aes-192-gcm": "ENCR_AES_GCM_ICV16/192" };
const IKE_AUTH: Record<string, string> = {
  md5: "AUTH_HMAC_MD5_96/0",
  sha1: "AUTH_HMAC_SHA1_96/0",
  "sha-256": "AUTH_HMAC_SHA2_256_128/0",
  "sha-384": "AUTH_HMAC_SHA2_384_192/0",
  "sha-512": "AUTH_HMAC_SHA2_512_256/0",
};
const ESP_AUTH: Record<string, string> = {
  "hmac-md5-96": "AUTH_HMAC_MD5_96/0",
  "hmac-sha1-96": "AUTH_HMAC_SHA1_96/0",
  "hmac-sha-256-96": "AUTH_HMAC_SHA2_256_96/0",
  "hmac-sha-256-128": "AUTH_HMAC_SHA2_256_128/0",
  "hmac-sha-384-192": "AUTH_HMAC_SHA2_384_192/0",
  "hmac-sha-512-256": "AUTH_HMAC_SHA2_512_256/0",
};
/** The PRF Junos uses in IKEv2 without prf-algorithm: the HMAC of the authentication algorithm, or the GCM cipher's. */
const PRF_OF_IKE_AUTH: Record<string, string> = {
  md5: "PRF_HMAC_MD5/0",
  sha1: "PRF_HMAC_SHA1/0",
  "sha-256": "PRF_HMAC_SHA2_256/0",
  "sha-384": "PRF_HMAC_SHA2_384/0",
  "sha-512": "PRF_HMAC_SHA2_512/0",
};
const PRF_OF_GCM: Record<string, string> = { "aes-128-gcm": "PRF_HMAC_SHA2_256/0", "aes-256-gcm": "PRF_HMAC_SHA2_384/0" };
const GROUP: Record<string, string> = {
  group1: "MODP_768_BIT/0",
  group2: "MODP_1024_BIT/0",
  group5: "MODP_1536_BIT/0",
  group14: "MODP_2048_BIT/0",
  group15: "MODP_3072_BIT/0",
  group16: "MODP_4096_BIT/0",
  group19: "ECP_256_BIT/0",
  group20: "ECP_384_BIT/0",
  group21: "ECP_521_BIT/0",
  group24: "MODP_2048_256/0",
};

/** Identity of a Junos DH group word, for the PFS comparison. */
export function groupIdentity(word: string | undefined): string | undefined {
  return word === undefined ? undefined : GROUP[word];
}

export function junosTunnels(text: string): JunosTunnelFacts[] {
  const s = readJunosSet(text);
  const units = [...new Set(under(s, "interfaces", "st0", "unit").map((rest) => Number(rest[0])))];
  return units.map((unit) => tunnelFacts(s, unit));
}

function num(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

function tunnelFacts(s: readonly JunosStatement[], unit: number): JunosTunnelFacts {
  const ifname = `st0.${unit}`;
  const unitPath = ["interfaces", "st0", "unit", String(unit)];
  const zone = under(s, "security", "zones", "security-zone").find((rest) => rest[1] === "interfaces" && rest[2] === ifname)?.[0];
  const zonePath = ["security", "zones", "security-zone", zone ?? "?"];
  const vpn = under(s, "security", "ipsec", "vpn").find((rest) => rest[1] === "bind-interface" && rest[2] === ifname)?.[0];
  const vpnPath = ["security", "ipsec", "vpn", vpn ?? "?"];
  const gateway = valueOf(s, ...vpnPath, "ike", "gateway");
  const gw = ["security", "ike", "gateway", gateway ?? "?"];
  const ikePolicy = valueOf(s, ...gw, "ike-policy");
  const ikePolicyPath = ["security", "ike", "policy", ikePolicy ?? "?"];
  const ipsecPolicy = valueOf(s, ...vpnPath, "ike", "ipsec-policy");
  const ipsecPolicyPath = ["security", "ipsec", "policy", ipsecPolicy ?? "?"];
  const version = valueOf(s, ...gw, "version");
  const ikeNames = valuesOf(s, ...ikePolicyPath, "proposals");
  const espNames = valuesOf(s, ...ipsecPolicyPath, "proposals");
  const v2 = version === "v2-only";
  const dpdModes = under(s, ...gw, "dead-peer-detection").filter((r) => r.length === 1).map((r) => r[0]!);
  return {
    unit,
    ...defined({
      inside: valueOf(s, ...unitPath, "family", "inet", "address"),
      mtu: num(valueOf(s, ...unitPath, "family", "inet", "mtu")),
      inside6: valueOf(s, ...unitPath, "family", "inet6", "address"),
      mtu6: num(valueOf(s, ...unitPath, "family", "inet6", "mtu")),
      zone,
    }),
    zoneServices: valuesOf(s, ...zonePath, "host-inbound-traffic", "system-services"),
    zoneProtocols: valuesOf(s, ...zonePath, "host-inbound-traffic", "protocols"),
    ...defined({ vpn, dfBit: valueOf(s, ...vpnPath, "df-bit"), establish: valueOf(s, ...vpnPath, "establish-tunnels") }),
    ...(vpn ? { monitor: defined({ source: valueOf(s, ...vpnPath, "vpn-monitor", "source-interface"), destination: valueOf(s, ...vpnPath, "vpn-monitor", "destination-ip") }) } : {}),
    ...defined({
      gateway,
      ikeVersion: version === "v2-only" ? (2 as const) : version === "v1-only" ? (1 as const) : undefined,
      mode: valueOf(s, ...ikePolicyPath, "mode"),
      address: valueOf(s, ...gw, "address"),
      externalInterface: valueOf(s, ...gw, "external-interface"),
      localAddress: valueOf(s, ...gw, "local-address"),
      localIdentity: identityOf(s, [...gw, "local-identity"]),
      remoteIdentity: identityOf(s, [...gw, "remote-identity"]),
      psk: valueOf(s, ...ikePolicyPath, "pre-shared-key", "ascii-text"),
      pfs: valueOf(s, ...ipsecPolicyPath, "perfect-forward-secrecy", "keys"),
    }),
    ...(gateway
      ? { dpd: defined({ interval: num(valueOf(s, ...gw, "dead-peer-detection", "interval")), threshold: num(valueOf(s, ...gw, "dead-peer-detection", "threshold")), mode: dpdModes.at(-1) }) }
      : {}),
    ikeProposals: ikeNames.map((n) => ikeCombo(s, n, v2)),
    ikeLifetimes: ikeNames.map((n) => num(valueOf(s, "security", "ike", "proposal", n, "lifetime-seconds"))),
    espProposals: espNames.map((n) => espCombo(s, n)),
    espLifetimes: espNames.map((n) => num(valueOf(s, "security", "ipsec", "proposal", n, "lifetime-seconds"))),
    routes: routesOut(s, ifname),
    flows: flowsOf(s, zone),
    ...bgpOf(s, valueOf(s, ...unitPath, "family", "inet", "address")),
    ...bgp6Of(s, valueOf(s, ...unitPath, "family", "inet6", "address")),
  };
}

function identityOf(s: readonly JunosStatement[], path: readonly string[]): string | undefined {
  const rest = under(s, ...path).at(-1);
  return rest && rest.length === 2 ? rest[1] : undefined;
}

function ikeCombo(s: readonly JunosStatement[], name: string, v2: boolean): Combo | undefined {
  const p = ["security", "ike", "proposal", name];
  const enc = valueOf(s, ...p, "encryption-algorithm");
  const auth = valueOf(s, ...p, "authentication-algorithm");
  const dh = valueOf(s, ...p, "dh-group");
  if (valueOf(s, ...p, "authentication-method") !== "pre-shared-keys") return undefined;
  const encryption = enc ? IKE_ENCRYPTION[enc] : undefined;
  if (!encryption || !dh || !GROUP[dh]) return undefined;
  const gcm = enc!.endsWith("-gcm");
  if (gcm) {
    if (auth !== undefined || !v2) return undefined; // Junos refuses an authentication algorithm next to GCM; IKEv1 has no GCM
    return { encryption, prf: PRF_OF_GCM[enc!], dh: GROUP[dh] };
  }
  if (!auth || !IKE_AUTH[auth]) return undefined;
  return { encryption, integrity: IKE_AUTH[auth], prf: PRF_OF_IKE_AUTH[auth], dh: GROUP[dh] };
}

function espCombo(s: readonly JunosStatement[], name: string): Combo | undefined {
  const p = ["security", "ipsec", "proposal", name];
  if (valueOf(s, ...p, "protocol") !== "esp") return undefined;
  const enc = valueOf(s, ...p, "encryption-algorithm");
  const auth = valueOf(s, ...p, "authentication-algorithm");
  const encryption = enc ? ESP_ENCRYPTION[enc] : undefined;
  if (!encryption) return undefined;
  if (enc!.endsWith("-gcm")) return auth === undefined ? { encryption } : undefined;
  if (!auth || !ESP_AUTH[auth]) return undefined;
  return { encryption, integrity: ESP_AUTH[auth] };
}

function routesOut(s: readonly JunosStatement[], ifname: string): { prefix: string; metric?: number }[] {
  const out: { prefix: string; metric?: number }[] = [];
  // IPv4 routes under routing-options static, IPv6 ones under routing-options rib inet6.0 static.
  for (const rest of [...under(s, "routing-options", "static", "route"), ...under(s, "routing-options", "rib", "inet6.0", "static", "route")]) {
    const [prefix = "", kind, hop, key, value] = rest;
    if (kind === "next-hop" && hop === ifname) out.push({ prefix });
    if (kind === "qualified-next-hop" && hop === ifname && key === "metric") out.push({ prefix, metric: Number(value) });
  }
  return out;
}

function flowsOf(s: readonly JunosStatement[], zone: string | undefined): { toTunnel: Flow[]; fromTunnel: Flow[] } {
  const book = new Map(under(s, "security", "address-book", "global", "address").filter((r) => r.length === 2).map((r) => [r[0]!, r[1]!]));
  const names = [...new Set(under(s, "security", "policies", "global", "policy").map((r) => r[0]!))];
  const toTunnel: Flow[] = [];
  const fromTunnel: Flow[] = [];
  for (const name of names) {
    const p = ["security", "policies", "global", "policy", name];
    const permits = under(s, ...p, "then").some((r) => r[0] === "permit");
    if (!permits || !zone) continue;
    const flow: Flow = {
      policy: name,
      sources: valuesOf(s, ...p, "match", "source-address").map((a) => book.get(a) ?? `?${a}`),
      destinations: valuesOf(s, ...p, "match", "destination-address").map((a) => book.get(a) ?? `?${a}`),
      mss: [...valuesOf(s, ...p, "then", "permit", "tcp-options", "initial-tcp-mss"), ...valuesOf(s, ...p, "then", "permit", "tcp-options", "reverse-tcp-mss")].map(Number),
    };
    const from = valuesOf(s, ...p, "match", "from-zone");
    const to = valuesOf(s, ...p, "match", "to-zone");
    if (to.includes(zone) && !from.includes(zone)) toTunnel.push(flow);
    if (from.includes(zone) && !to.includes(zone)) fromTunnel.push(flow);
  }
  return { toTunnel, fromTunnel };
}

function bgp6Of(s: readonly JunosStatement[], inside6: string | undefined): { bgp6?: BgpFacts } {
  const { bgp } = bgpOf(s, inside6);
  return bgp ? { bgp6: bgp } : {};
}

/** The BGP neighbour inside the unit's /30 or /31 (IPv6: /126, /127; its other address), with the group's policies. */
function bgpOf(s: readonly JunosStatement[], inside: string | undefined): { bgp?: BgpFacts } {
  if (!inside) return {};
  const groups = [...new Set(under(s, "protocols", "bgp", "group").map((r) => r[0]!))];
  for (const group of groups) {
    const g = ["protocols", "bgp", "group", group];
    for (const neighbor of new Set(under(s, ...g, "neighbor").map((r) => r[0]!))) {
      if (!sameNetwork(inside, neighbor)) continue;
      const n = [...g, "neighbor", neighbor];
      const pick = (...leaf: string[]) => valueOf(s, ...n, ...leaf) ?? valueOf(s, ...g, ...leaf);
      const importPolicy = valuesOf(s, ...n, "import").at(0) ?? valuesOf(s, ...g, "import").at(0);
      const exportPolicy = valuesOf(s, ...n, "export").at(0) ?? valuesOf(s, ...g, "export").at(0);
      const imp = policyFacts(s, importPolicy);
      const exp = policyFacts(s, exportPolicy);
      return {
        bgp: {
          ...defined({ as: num(valueOf(s, "routing-options", "autonomous-system")), routerId: valueOf(s, "routing-options", "router-id") }),
          group,
          families: under(s, ...g, "family").filter((r) => r.length === 2 && r[1] === "unicast").map((r) => r[0]!),
          neighbor,
          ...defined({ peerAs: num(pick("peer-as")), localAddress: pick("local-address"), holdTime: num(pick("hold-time")) }),
          bfd: under(s, ...n, "bfd-liveness-detection").length > 0,
          accept: imp.accepted,
          ...defined({ localPref: imp.localPref, med: exp.metric }),
          announce: exp.accepted,
          prepend: exp.prepend,
          importRejectsRest: imp.rejectsRest,
          exportRejectsRest: exp.rejectsRest,
        },
      };
    }
  }
  return {};
}

function policyFacts(s: readonly JunosStatement[], name: string | undefined) {
  const p = ["policy-options", "policy-statement", name ?? "?"];
  const accepted: string[] = [];
  let localPref: number | undefined;
  let metric: number | undefined;
  let prepend: number[] = [];
  for (const term of new Set(under(s, ...p, "term").map((r) => r[0]!))) {
    const t = [...p, "term", term];
    if (!under(s, ...t, "then").some((r) => r[0] === "accept")) continue;
    for (const r of under(s, ...t, "from", "prefix-list-filter")) {
      if (r[1] !== "exact") accepted.push(`?${r.join(" ")}`);
      else accepted.push(...valuesOfList(s, r[0]!));
    }
    localPref = num(valueOf(s, ...t, "then", "local-preference")) ?? localPref;
    metric = num(valueOf(s, ...t, "then", "metric")) ?? metric;
    const path = valueOf(s, ...t, "then", "as-path-prepend");
    if (path !== undefined) prepend = path.split(" ").map(Number);
  }
  const rejectsRest = under(s, ...p, "then").some((r) => r.length === 1 && r[0] === "reject");
  return { accepted, localPref, metric, prepend, rejectsRest };
}

function valuesOfList(s: readonly JunosStatement[], list: string): string[] {
  return under(s, "policy-options", "prefix-list", list).filter((r) => r.length === 1).map((r) => r[0]!);
}

function sameNetwork(cidr: string, address: string): boolean {
  const [net = "", len = "32"] = cidr.split("/");
  const six = net.includes(":");
  if (six !== address.includes(":")) return false;
  const width = six ? 128n : 32n;
  const shift = width - BigInt(len);
  return bitsOf(net) >> shift === bitsOf(address) >> shift && net !== address;
}

/** An IPv4 or IPv6 address as a number (IPv6: `::` expanded), written here apart from src/net/ip.ts. */
function bitsOf(address: string): bigint {
  if (!address.includes(":")) return address.split(".").reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n);
  const [head = "", tail] = address.split("::");
  const groups = (x: string) => (x === "" ? [] : x.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return all.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
}

function defined<T extends Record<string, unknown>>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
