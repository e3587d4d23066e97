/**
 * The facts of each tunnel as a PAN-OS firewall would read them from sitewire's `set` commands (test-only): the
 * text is read with test/readers/panos-set.ts, then followed name by name as PAN-OS resolves references — the
 * tunnel interface, the IPsec tunnel bound to it, its IKE gateway and crypto profiles, the monitor profile, the
 * static routes through the interface, the BGP peer sourced from it with its peer group's import/export rules,
 * and the security rules of zone sitewire-vpn. A name that leads nowhere leaves the fact undefined, so a broken
 * reference shows up as a disagreement.
 *
 * The crypto words are translated back to strongSwan algorithm identities with a table written here from the
 * PAN-OS documentation (IKE Phase 1 / Phase 2 algorithm lists), independently of src/targets/paloalto-panos.
 */
import { has, namesUnder, readPanosSet, valueOf, valuesOf, type PanosStatement } from "../readers/panos-set.js";

/** One negotiable combination, as identities: the same key the model's proposals give. */
export interface Combo {
  readonly encryption: string;
  readonly integrity?: string;
  readonly prf?: string;
  readonly dh?: string;
}

const ENCRYPTION: Readonly<Record<string, string>> = {
  "3des": "ENCR_3DES/0",
  "aes-128-cbc": "ENCR_AES_CBC/128",
  "aes-192-cbc": "ENCR_AES_CBC/192",
  "aes-256-cbc": "ENCR_AES_CBC/256",
  // RFC 4106 AES-GCM with a 16-octet ICV.
  "aes-128-gcm": "ENCR_AES_GCM_ICV16/128",
  "aes-256-gcm": "ENCR_AES_GCM_ICV16/256",
};
/** HMAC integrity (RFC 2404, RFC 4868 truncations) and the PRF IKEv2 takes from it. */
const HASH: Readonly<Record<string, { integrity: string; prf: string }>> = {
  md5: { integrity: "AUTH_HMAC_MD5_96/0", prf: "PRF_HMAC_MD5/0" },
  sha1: { integrity: "AUTH_HMAC_SHA1_96/0", prf: "PRF_HMAC_SHA1/0" },
  sha256: { integrity: "AUTH_HMAC_SHA2_256_128/0", prf: "PRF_HMAC_SHA2_256/0" },
  sha384: { integrity: "AUTH_HMAC_SHA2_384_192/0", prf: "PRF_HMAC_SHA2_384/0" },
  sha512: { integrity: "AUTH_HMAC_SHA2_512_256/0", prf: "PRF_HMAC_SHA2_512/0" },
};
/** RFC 3526 / RFC 5903 group numbers. */
const GROUP: Readonly<Record<string, string>> = {
  group1: "MODP_768_BIT/0",
  group2: "MODP_1024_BIT/0",
  group5: "MODP_1536_BIT/0",
  group14: "MODP_2048_BIT/0",
  group15: "MODP_3072_BIT/0",
  group16: "MODP_4096_BIT/0",
  group19: "ECP_256_BIT/0",
  group20: "ECP_384_BIT/0",
  group21: "ECP_521_BIT/0",
};

export function groupIdentity(word: string | undefined): string | undefined {
  return word === undefined || word === "no-pfs" ? undefined : (GROUP[word] ?? `?${word}`);
}

export interface PolicyRule {
  readonly name: string;
  readonly enabled: boolean;
  readonly action?: "allow" | "deny";
  /** `match address-prefix P exact yes` (an inexact match shows as `P~`). */
  readonly prefixes: readonly string[];
  readonly localPref?: number;
  readonly med?: number;
  readonly prepend?: number;
}

export interface BgpFacts {
  readonly enabled: boolean;
  readonly as?: number;
  readonly routerId?: string;
  readonly installRoute: boolean;
  readonly group: string;
  readonly groupEnabled: boolean;
  readonly ebgp: boolean;
  readonly peer: string;
  readonly peerEnabled: boolean;
  readonly peerAs?: number;
  readonly neighbor?: string;
  readonly localAddress?: string;
  readonly keepalive?: number;
  readonly holdTime?: number;
  /** BFD profile timers when the peer names an existing one. */
  readonly bfd?: { readonly minTx?: number; readonly minRx?: number; readonly multiplier?: number };
  /** Rules used by the peer's group, in the order PAN-OS evaluates them. */
  readonly imports: readonly PolicyRule[];
  readonly exports: readonly PolicyRule[];
  /** `redist-rules <prefix>` enabled for the session's family (address-family-identifier ipv4, or ipv6). */
  readonly redist: readonly string[];
  /** The peer's address family: `address-family-identifier ipv6` with `enable-mp-bgp yes` and SAFI unicast is 6. */
  readonly family: 4 | 6;
  /** IPv6 sessions: MP-BGP enabled and SAFI unicast on (false when either is missing). */
  readonly mpUnicast: boolean;
}

export interface SecurityRule {
  readonly name: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly applications: readonly string[];
  readonly services: readonly string[];
  readonly action?: string;
}

export interface PanosTunnelFacts {
  readonly iface: string;
  readonly inside?: string;
  /** The unit's IPv6 address (`ipv6 address <addr/len>`), when `ipv6 enabled yes` and there is exactly one. */
  readonly inside6?: string;
  /** The IPsec tunnel's proxy IDs (IKEv1 proxy IDs / IKEv2 traffic selectors), IPv4 then IPv6, in file order. */
  readonly proxyIds: readonly { readonly family: 4 | 6; readonly name: string; readonly local?: string; readonly remote?: string; readonly any: boolean }[];
  readonly mtu?: number;
  readonly zone?: string;
  /** The unit's interface management profile answers ping. */
  readonly ping: boolean;
  readonly virtualRouter?: string;
  readonly ipsec?: string;
  readonly gateway?: string;
  readonly ikeVersion?: 1 | 2;
  readonly mode?: string;
  readonly psk?: string;
  readonly localAddress?: string;
  /** The gateway's `local-address interface`: the firewall's outside interface. */
  readonly outside?: string;
  readonly peerAddress?: string;
  readonly localId?: { readonly type?: string; readonly id?: string };
  readonly peerId?: { readonly type?: string; readonly id?: string };
  readonly natTraversal: boolean;
  readonly dpd?: { readonly enabled: boolean; readonly interval?: number; readonly retry?: number };
  /** undefined entries: a word the table does not know. */
  readonly ikeCombos: readonly (Combo | undefined)[];
  readonly ikeLifetime?: number;
  readonly espCombos: readonly (Combo | undefined)[];
  readonly espLifetime?: number;
  readonly pfs?: string;
  readonly monitor?: { readonly enabled: boolean; readonly destination?: string; readonly interval?: number; readonly threshold?: number; readonly action?: string; readonly proxyId?: string };
  readonly routes: readonly RouteFacts[];
  /** `routing-table ipv6 static-route` through the interface. */
  readonly routes6: readonly RouteFacts[];
  readonly bgp?: BgpFacts;
  /** The IPv6 session (address-family-identifier ipv6) sourced from the interface. */
  readonly bgp6?: BgpFacts;
  readonly rules: readonly SecurityRule[];
}

export interface RouteFacts {
  readonly name: string;
  readonly prefix?: string;
  readonly nexthop?: string;
  readonly metric?: number;
  readonly probe?: { readonly enabled: boolean; readonly source?: string; readonly destination?: string; readonly interval?: number; readonly count?: number };
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** Every tunnel interface's facts, keyed by its unit number. */
export function panosTunnels(text: string): Map<number, PanosTunnelFacts> {
  const s = readPanosSet(text);
  const out = new Map<number, PanosTunnelFacts>();
  for (const iface of namesUnder(s, "network", "interface", "tunnel", "units")) out.set(Number(iface.slice("tunnel.".length)), tunnelFacts(s, iface));
  return out;
}

function tunnelFacts(s: readonly PanosStatement[], iface: string): PanosTunnelFacts {
  const unit = (...p: string[]) => valueOf(s, "network", "interface", "tunnel", "units", iface, ...p);
  const profile = unit("interface-management-profile");
  const zone = namesUnder(s, "zone").find((z) => valuesOf(s, "zone", z, "network", "layer3").includes(iface));
  const virtualRouter = namesUnder(s, "network", "virtual-router").find((vr) => valuesOf(s, "network", "virtual-router", vr, "interface").includes(iface));
  const ipsec = namesUnder(s, "network", "tunnel", "ipsec").find((n) => valueOf(s, "network", "tunnel", "ipsec", n, "tunnel-interface") === iface);
  const tun = (...p: string[]) => (ipsec === undefined ? undefined : valueOf(s, "network", "tunnel", "ipsec", ipsec, ...p));
  const gateway = tun("auto-key", "ike-gateway");
  const gw = (...p: string[]) => (gateway === undefined ? undefined : valueOf(s, "network", "ike", "gateway", gateway, ...p));
  const version = gw("protocol", "version");
  const v = version === "ikev1" ? "ikev1" : "ikev2";
  const ikeProfile = gw("protocol", v, "ike-crypto-profile");
  const ipsecProfile = tun("auto-key", "ipsec-crypto-profile");
  const ike = (...p: string[]) => (ikeProfile === undefined ? [] : valuesOf(s, "network", "ike", "crypto-profiles", "ike-crypto-profiles", ikeProfile, ...p));
  const esp = (...p: string[]) => (ipsecProfile === undefined ? [] : valuesOf(s, "network", "ike", "crypto-profiles", "ipsec-crypto-profiles", ipsecProfile, ...p));
  const monitorProfile = tun("tunnel-monitor", "tunnel-monitor-profile");
  const mp = (key: string) => (monitorProfile === undefined ? undefined : valueOf(s, "network", "profiles", "monitor-profile", monitorProfile, key));
  const vr = virtualRouter ?? "default";
  const addresses6 = namesUnder(s, "network", "interface", "tunnel", "units", iface, "ipv6", "address");
  const proxyIds = (family: 4 | 6) => {
    const key = family === 4 ? "proxy-id" : "proxy-id-v6";
    return ipsec === undefined
      ? []
      : namesUnder(s, "network", "tunnel", "ipsec", ipsec, "auto-key", key).map((name) => ({
          family,
          name,
          ...defined({ local: tun("auto-key", key, name, "local"), remote: tun("auto-key", key, name, "remote") }),
          any: has(s, "network", "tunnel", "ipsec", ipsec, "auto-key", key, name, "protocol", "any"),
        }));
  };
  return {
    iface,
    ...defined({ inside: unit("ip"), mtu: num(unit("mtu")), zone, virtualRouter, ipsec, gateway }),
    ...(unit("ipv6", "enabled") === "yes" && addresses6.length === 1 ? { inside6: addresses6[0]! } : {}),
    proxyIds: [...proxyIds(4), ...proxyIds(6)],
    ping: profile !== undefined && valueOf(s, "network", "profiles", "interface-management-profile", profile, "ping") === "yes",
    ...(version === "ikev1" ? { ikeVersion: 1 as const } : version === "ikev2" ? { ikeVersion: 2 as const } : {}),
    ...defined({
      mode: gw("protocol", "ikev1", "exchange-mode"),
      psk: gw("authentication", "pre-shared-key", "key"),
      localAddress: gw("local-address", "ip"),
      outside: gw("local-address", "interface"),
      peerAddress: gw("peer-address", "ip"),
    }),
    localId: defined({ type: gw("local-id", "type"), id: gw("local-id", "id") }),
    peerId: defined({ type: gw("peer-id", "type"), id: gw("peer-id", "id") }),
    natTraversal: gw("protocol-common", "nat-traversal", "enable") === "yes",
    dpd: { enabled: gw("protocol", v, "dpd", "enable") === "yes", ...defined({ interval: num(gw("protocol", v, "dpd", "interval")), retry: num(gw("protocol", v, "dpd", "retry")) }) },
    ikeCombos: ikeCombos(ike("encryption"), ike("hash"), ike("dh-group")),
    ...defined({ ikeLifetime: num(ike("lifetime", "seconds")[0]) }),
    espCombos: espCombos(esp("esp", "encryption"), esp("esp", "authentication")),
    ...defined({ espLifetime: num(esp("lifetime", "seconds")[0]), pfs: groupIdentity(esp("dh-group")[0]) }),
    ...(ipsec !== undefined
      ? { monitor: { enabled: tun("tunnel-monitor", "enable") === "yes", ...defined({ destination: tun("tunnel-monitor", "destination-ip"), interval: num(mp("interval")), threshold: num(mp("threshold")), action: mp("action"), proxyId: tun("tunnel-monitor", "proxy-id") }) } }
      : {}),
    routes: routesOf(s, vr, iface, 4),
    routes6: routesOf(s, vr, iface, 6),
    ...defined({ bgp: bgpOf(s, vr, iface, 4), bgp6: bgpOf(s, vr, iface, 6) }),
    rules: zone === undefined ? [] : rulesOf(s, zone),
  };
}

function ikeCombos(encryption: readonly string[], hash: readonly string[], dh: readonly string[]): (Combo | undefined)[] {
  const out: (Combo | undefined)[] = [];
  for (const e of encryption)
    for (const h of hash)
      for (const g of dh) {
        const enc = ENCRYPTION[e];
        const integ = HASH[h];
        const group = GROUP[g];
        out.push(enc && integ && group ? { encryption: enc, integrity: integ.integrity, prf: integ.prf, dh: group } : undefined);
      }
  return out;
}

function espCombos(encryption: readonly string[], authentication: readonly string[]): (Combo | undefined)[] {
  const out: (Combo | undefined)[] = [];
  for (const e of encryption)
    for (const a of authentication) {
      const enc = ENCRYPTION[e];
      const aead = e.endsWith("-gcm");
      // AES-GCM authenticates by itself: only `none` is right beside it; `none` beside anything else is no integrity.
      if (!enc || (aead ? a !== "none" : a === "none" || !HASH[a])) out.push(undefined);
      else out.push(aead ? { encryption: enc } : { encryption: enc, integrity: HASH[a]!.integrity });
    }
  return out;
}

function routesOf(s: readonly PanosStatement[], vr: string, iface: string, family: 4 | 6): RouteFacts[] {
  const base = ["network", "virtual-router", vr, "routing-table", family === 4 ? "ip" : "ipv6", "static-route"];
  return namesUnder(s, ...base)
    .filter((name) => valueOf(s, ...base, name, "interface") === iface)
    .map((name) => {
      const r = (...p: string[]) => valueOf(s, ...base, name, ...p);
      const probes = namesUnder(s, ...base, name, "path-monitor", "monitor-destinations");
      const probe = probes[0];
      const pm = (key: string) => (probe === undefined ? undefined : r("path-monitor", "monitor-destinations", probe, key));
      return {
        name,
        ...defined({ prefix: r("destination"), nexthop: r("nexthop", family === 4 ? "ip-address" : "ipv6-address"), metric: num(r("metric")) }),
        ...(probe !== undefined && probes.length === 1
          ? { probe: { enabled: r("path-monitor", "enable") === "yes" && pm("enable") === "yes" && r("path-monitor", "failure-condition") !== "all", ...defined({ source: pm("source"), destination: pm("destination"), interval: num(pm("interval")), count: num(pm("count")) }) } }
          : {}),
      };
    });
}

/** The peer of the family sourced from the interface (an IPv6 peer says `address-family-identifier ipv6`). */
function bgpOf(s: readonly PanosStatement[], vr: string, iface: string, family: 4 | 6): BgpFacts | undefined {
  const base = ["network", "virtual-router", vr, "protocol", "bgp"];
  const b = (...p: string[]) => valueOf(s, ...base, ...p);
  for (const group of namesUnder(s, ...base, "peer-group"))
    for (const peer of namesUnder(s, ...base, "peer-group", group, "peer")) {
      const p = (...q: string[]) => b("peer-group", group, "peer", peer, ...q);
      if (p("local-address", "interface") !== iface) continue;
      if ((p("address-family-identifier") === "ipv6" ? 6 : 4) !== family) continue;
      const afi = family === 6 ? "ipv6" : "ipv4";
      const bfdProfile = p("bfd", "profile");
      const bfd = (key: string) => (bfdProfile === undefined ? undefined : num(valueOf(s, "network", "profiles", "bfd-profile", bfdProfile, key)));
      return {
        enabled: b("enable") === "yes",
        ...defined({ as: num(b("local-as")), routerId: b("router-id") }),
        installRoute: b("install-route") === "yes",
        group,
        groupEnabled: b("peer-group", group, "enable") === "yes",
        ebgp: has(s, ...base, "peer-group", group, "type", "ebgp"),
        peer,
        peerEnabled: p("enable") === "yes",
        ...defined({ peerAs: num(p("peer-as")), neighbor: p("peer-address", "ip"), localAddress: p("local-address", "ip"), keepalive: num(p("connection-options", "keep-alive-interval")), holdTime: num(p("connection-options", "hold-time")) }),
        ...(bfdProfile !== undefined && has(s, "network", "profiles", "bfd-profile", bfdProfile) ? { bfd: defined({ minTx: bfd("min-tx-interval"), minRx: bfd("min-rx-interval"), multiplier: bfd("detection-multiplier") }) } : {}),
        imports: policyRules(s, [...base, "policy", "import", "rules"], group),
        exports: policyRules(s, [...base, "policy", "export", "rules"], group),
        redist: namesUnder(s, ...base, "redist-rules").filter((r) => b("redist-rules", r, "enable") === "yes" && (b("redist-rules", r, "address-family-identifier") ?? "ipv4") === afi),
        family,
        mpUnicast: p("enable-mp-bgp") === "yes" && p("subsequent-address-family-identifier", "unicast") === "yes",
      };
    }
  return undefined;
}

/** The rules used by `group`, in file order (the order PAN-OS evaluates them). */
function policyRules(s: readonly PanosStatement[], base: readonly string[], group: string): PolicyRule[] {
  return namesUnder(s, ...base)
    .filter((name) => valuesOf(s, ...base, name, "used-by").includes(group))
    .map((name) => {
      const r = (...p: string[]) => valueOf(s, ...base, name, ...p);
      const prefixes = namesUnder(s, ...base, name, "match", "address-prefix").map((p) => (r("match", "address-prefix", p, "exact") === "yes" ? p : `${p}~`));
      const action: PolicyRule["action"] = has(s, ...base, name, "action", "deny") ? "deny" : has(s, ...base, name, "action", "allow") ? "allow" : undefined;
      return {
        name,
        enabled: r("enable") === "yes",
        prefixes,
        ...defined({
          action,
          localPref: num(r("action", "allow", "update", "local-preference")),
          med: num(r("action", "allow", "update", "med")),
          prepend: num(r("action", "allow", "update", "as-path", "prepend")),
        }),
      };
    });
}

function rulesOf(s: readonly PanosStatement[], zone: string): SecurityRule[] {
  const base = ["rulebase", "security", "rules"];
  return namesUnder(s, ...base)
    .map((name) => {
      const r = (key: string) => valuesOf(s, ...base, name, key);
      return { name, from: r("from"), to: r("to"), sources: r("source"), destinations: r("destination"), applications: r("application"), services: r("service"), ...defined({ action: r("action")[0] }) };
    })
    .filter((rule) => rule.from.includes(zone) || rule.to.includes(zone));
}

function defined<T extends Record<string, unknown>>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
