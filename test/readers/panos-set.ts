/**
 * PAN-OS `set` commands as configure mode takes them, one command per line (the form of Cloudflare's published
 * PAN-OS configuration, cloudflare/cloudflare-docs content/magic-wan/third-party/palo-alto.md, and of `show
 * config running` in set format). A line is empty or `set <statement>`; the statement is words separated by one
 * space, a double-quoted string being one word, `[ a b ]` a member list.
 *
 * Every statement must fit the grammar below: the part of the PAN-OS configuration tree sitewire writes (keywords
 * and value ranges from the PAN-OS schema as PaloAltoNetworks/pan-os-codegen specs/ record it, cited in
 * templates/paloalto-panos/device.hbs), one leaf per line, as sitewire writes it. Refused, with a ReadError at
 * the line: another verb (`delete`, `edit`, `move`, `commit`, …), a keyword outside the grammar, a value of the
 * wrong kind or out of range, an incomplete statement, words after a complete one, unbalanced quotes or
 * brackets, a quote inside a bare word, a backslash, `?` (it opens the CLI help when pasted), `#` (PAN-OS has no
 * comment syntax), and any character outside printable ASCII. So an injected line break or command cannot hide:
 * it either fails the grammar or shows up as an extra statement.
 */
import { canonical, isIpv4, isIpv6, parseCidr } from "../../src/net/ip.js";
import { linesOf, NOT_PRINTABLE_ASCII, ReadError, structureOf, type Structure } from "./reader.js";

/** One leaf statement: its words (values unquoted) and the 1-based line it came from. */
export interface PanosStatement {
  readonly line: number;
  /** e.g. ["network", "ike", "gateway", "gw", "protocol", "version", "ikev2"]. */
  readonly path: readonly string[];
  /** The same words with every value replaced by its kind ("<name>", "<ipv4>", …). */
  readonly shape: readonly string[];
  /** The statement's value is free text (a comment): left out of the structure's `full`. */
  readonly text: boolean;
}

const SYNTAX = "PAN-OS set";

// ---------------------------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------------------------

/**
 * Value kinds. IPv6 (issue 16): "ipv6", "prefix6" (network, host bits zero, RFC 5952 text) and "ifaddr6"
 * (interface address with its length) where PAN-OS takes only IPv6 (`ipv6 address`, `routing-table ipv6`,
 * `proxy-id-v6`); "ip46", "prefix46", "ifaddr46" where it takes either family (BGP peer addresses, BGP
 * address-prefix matches and redist-rules, security rule sources and destinations).
 */
type Kind =
  | "name"
  | "word"
  | "ipv4"
  | "prefix"
  | "ifaddr"
  | "address"
  | "ipv6"
  | "prefix6"
  | "ifaddr6"
  | "ip46"
  | "prefix46"
  | "ifaddr46"
  | "int"
  | "string"
  | "text"
  | "interface"
  | "tunnel"
  | "enum";

interface Slot {
  readonly kind: Kind;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

interface Container {
  readonly type: "container";
  readonly keywords: Readonly<Record<string, Node>>;
  /** One value-keyed child: `gateway <name> …`. */
  readonly named?: { readonly slot: Slot; readonly node: Container };
  /** The statement may end here (`action allow`, `type ebgp`). */
  readonly end: boolean;
}

/** A leaf: no value (`flag`), one value, or (`list`) one value or a `[ … ]` list, each member its own statement. */
interface Leaf {
  readonly type: "leaf";
  readonly slot?: Slot;
  readonly list?: boolean;
}

type Node = Container | Leaf;

const c = (keywords: Record<string, Node>, end = false): Container => ({ type: "container", keywords, end });
const named = (slot: Slot, node: Container): Container => ({ type: "container", keywords: {}, end: false, named: { slot, node } });
const flag: Leaf = { type: "leaf" };
const v = (slot: Slot): Leaf => ({ type: "leaf", slot });
const list = (slot: Slot): Leaf => ({ type: "leaf", slot, list: true });
const oneOf = (...values: string[]): Slot => ({ kind: "enum", values });
const int = (min: number, max: number): Slot => ({ kind: "int", min, max });

const NAME: Slot = { kind: "name" };
const WORD: Slot = { kind: "word" };
const IPV4: Slot = { kind: "ipv4" };
const PREFIX: Slot = { kind: "prefix" };
const IFADDR: Slot = { kind: "ifaddr" };
const ADDRESS: Slot = { kind: "address" };
const IPV6: Slot = { kind: "ipv6" };
const PREFIX6: Slot = { kind: "prefix6" };
const IFADDR6: Slot = { kind: "ifaddr6" };
const IP46: Slot = { kind: "ip46" };
const PREFIX46: Slot = { kind: "prefix46" };
const IFADDR46: Slot = { kind: "ifaddr46" };
const STRING: Slot = { kind: "string" };
const TEXT: Slot = { kind: "text" };
const INTERFACE: Slot = { kind: "interface" };
const TUNNEL: Slot = { kind: "tunnel" };
const YES_NO = oneOf("yes", "no");

const GROUPS = ["group1", "group2", "group5", "group14", "group15", "group16", "group19", "group20", "group21"];
const lifetime = c({ seconds: v(int(180, 65535)), minutes: v(int(3, 65535)), hours: v(int(1, 65535)), days: v(int(1, 365)) });
const dpd = (retry: boolean) => c({ enable: v(YES_NO), interval: v(int(2, 100)), ...(retry ? { retry: v(int(2, 100)) } : {}) });

const bgpPolicy = named(
  NAME,
  c({
    enable: v(YES_NO),
    "used-by": list(NAME),
    match: c({ "address-prefix": named(PREFIX46, c({ exact: v(YES_NO) })), "from-peer": list(NAME) }),
    action: c({
      allow: c({ update: c({ "local-preference": v(int(0, 4294967295)), med: v(int(0, 4294967295)), "as-path": c({ prepend: v(int(1, 255)) }) }) }, true),
      deny: flag,
    }),
  }),
);

/**
 * `routing-table ip|ipv6 static-route` (pan-os-codegen virtual-router-static-route-ipv4.yaml / -ipv6.yaml): the
 * IPv6 table takes IPv6 destinations, `nexthop ipv6-address` and IPv6 path-monitor addresses.
 */
function staticRoute(family: 4 | 6): Container {
  return named(
    NAME,
    c({
      destination: v(family === 4 ? PREFIX : PREFIX6),
      interface: v(INTERFACE),
      nexthop: c(family === 4 ? { "ip-address": v(IPV4) } : { "ipv6-address": v(IPV6) }),
      metric: v(int(1, 65535)),
      "admin-dist": v(int(10, 240)),
      "path-monitor": c({
        enable: v(YES_NO),
        "failure-condition": v(oneOf("any", "all")),
        "hold-time": v(int(0, 1440)),
        "monitor-destinations": named(
          NAME,
          c({ enable: v(YES_NO), source: v(family === 4 ? IFADDR : IFADDR6), destination: v(family === 4 ? IPV4 : IPV6), interval: v(int(1, 60)), count: v(int(3, 10)) }),
        ),
      }),
    }),
  );
}

const virtualRouter = c({
  interface: list(INTERFACE),
  "routing-table": c({ ip: c({ "static-route": staticRoute(4) }), ipv6: c({ "static-route": staticRoute(6) }) }),
  protocol: c({
    bgp: c({
      enable: v(YES_NO),
      "router-id": v(IPV4),
      "local-as": v(int(1, 4294967295)),
      "install-route": v(YES_NO),
      "routing-options": c({ "as-format": v(oneOf("2-byte", "4-byte")) }),
      "redist-rules": named(PREFIX46, c({ enable: v(YES_NO), "address-family-identifier": v(oneOf("ipv4", "ipv6")) })),
      "peer-group": named(
        NAME,
        c({
          enable: v(YES_NO),
          type: c({ ebgp: c({}, true), ibgp: c({}, true) }),
          peer: named(
            NAME,
            c({
              enable: v(YES_NO),
              "peer-as": v(int(1, 4294967295)),
              "peer-address": c({ ip: v(IP46) }),
              "local-address": c({ interface: v(INTERFACE), ip: v(IFADDR46) }),
              // MP-BGP (pango BGP peer entry, PAN-OS 8.0+): the session's address family.
              "enable-mp-bgp": v(YES_NO),
              "address-family-identifier": v(oneOf("ipv4", "ipv6")),
              "subsequent-address-family-identifier": c({ unicast: v(YES_NO), multicast: v(YES_NO) }),
              "connection-options": c({ "keep-alive-interval": v(int(0, 1200)), "hold-time": v(int(0, 3600)) }),
              bfd: c({ profile: v(NAME) }),
            }),
          ),
        }),
      ),
      policy: c({ import: c({ rules: bgpPolicy }), export: c({ rules: bgpPolicy }) }),
    }),
  }),
});

const GRAMMAR: Container = c({
  network: c({
    profiles: c({
      "interface-management-profile": named(NAME, c({ ping: v(YES_NO) })),
      "monitor-profile": named(NAME, c({ interval: v(int(2, 100)), threshold: v(int(2, 10)), action: v(oneOf("wait-recover", "fail-over")) })),
      "bfd-profile": named(NAME, c({ "min-tx-interval": v(int(50, 10000)), "min-rx-interval": v(int(50, 10000)), "detection-multiplier": v(int(2, 255)) })),
    }),
    interface: c({ tunnel: c({ units: named(TUNNEL, c({ ip: list(IFADDR), ipv6: c({ enabled: v(YES_NO), address: named(IFADDR6, c({ "enable-on-interface": v(YES_NO) }, true)) }), mtu: v(int(576, 9216)), "interface-management-profile": v(NAME), comment: v(TEXT) })) }) }),
    "virtual-router": named(NAME, virtualRouter),
    ike: c({
      "crypto-profiles": c({
        "ike-crypto-profiles": named(
          NAME,
          c({
            encryption: list(oneOf("3des", "aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-gcm", "aes-256-gcm")),
            hash: list(oneOf("non-auth", "md5", "sha1", "sha256", "sha384", "sha512")),
            "dh-group": list(oneOf(...GROUPS)),
            lifetime,
          }),
        ),
        "ipsec-crypto-profiles": named(
          NAME,
          c({
            esp: c({
              encryption: list(oneOf("3des", "aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-ccm", "aes-128-gcm", "aes-256-gcm", "null")),
              authentication: list(oneOf("none", "md5", "sha1", "sha256", "sha384", "sha512")),
            }),
            "dh-group": v(oneOf("no-pfs", ...GROUPS)),
            lifetime,
          }),
        ),
      }),
      gateway: named(
        NAME,
        c({
          authentication: c({ "pre-shared-key": c({ key: v(STRING) }) }),
          protocol: c({
            version: v(oneOf("ikev1", "ikev2", "ikev2-preferred")),
            ikev1: c({ "exchange-mode": v(oneOf("auto", "main", "aggressive")), "ike-crypto-profile": v(NAME), dpd: dpd(true) }),
            ikev2: c({ "ike-crypto-profile": v(NAME), dpd: dpd(false) }),
          }),
          "protocol-common": c({ "nat-traversal": c({ enable: v(YES_NO) }) }),
          "local-address": c({ ip: v(ADDRESS), interface: v(INTERFACE) }),
          "peer-address": c({ ip: v(IPV4) }),
          "local-id": c({ type: v(oneOf("ipaddr", "fqdn", "ufqdn", "keyid", "dn")), id: v(WORD) }),
          "peer-id": c({ type: v(oneOf("ipaddr", "fqdn", "ufqdn", "keyid", "dn")), id: v(WORD) }),
          comment: v(TEXT),
        }),
      ),
    }),
    tunnel: c({
      ipsec: named(
        NAME,
        c({
          "auto-key": c({
            "ike-gateway": v(NAME),
            "ipsec-crypto-profile": v(NAME),
            // pan-os-python IpsecTunnelIpv4ProxyId / IpsecTunnelIpv6ProxyId: local, remote, protocol any.
            "proxy-id": named(NAME, c({ local: v(PREFIX), remote: v(PREFIX), protocol: c({ any: c({}, true) }) })),
            "proxy-id-v6": named(NAME, c({ local: v(PREFIX6), remote: v(PREFIX6), protocol: c({ any: c({}, true) }) })),
          }),
          "tunnel-interface": v(TUNNEL),
          "tunnel-monitor": c({ enable: v(YES_NO), "destination-ip": v(IPV4), "tunnel-monitor-profile": v(NAME), "proxy-id": v(NAME) }),
          comment: v(TEXT),
        }),
      ),
    }),
  }),
  zone: named(NAME, c({ network: c({ layer3: list(INTERFACE) }) })),
  rulebase: c({
    security: c({
      rules: named(
        NAME,
        c({
          from: list(NAME),
          to: list(NAME),
          source: list(PREFIX46),
          destination: list(PREFIX46),
          "source-user": list(oneOf("any")),
          application: list(oneOf("any")),
          service: list(oneOf("any", "application-default")),
          action: v(oneOf("allow", "deny", "drop")),
          description: v(TEXT),
        }),
      ),
    }),
  }),
});

// ---------------------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------------------

interface Word {
  readonly text: string;
  readonly quoted: boolean;
}

/** Split one line into words; throws on unbalanced quotes, a quote in a bare word, or characters PAN-OS reads. */
function wordsOf(line: string, at: number): Word[] {
  if (line.includes("\\")) throw new ReadError(SYNTAX, at, "a backslash");
  if (line.includes("?")) throw new ReadError(SYNTAX, at, "a ? (it opens the CLI help)");
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") throw new ReadError(SYNTAX, at, `a space where a word should start (column ${i + 1})`);
    if (line[i] === '"') {
      const close = line.indexOf('"', i + 1);
      if (close < 0) throw new ReadError(SYNTAX, at, "an unterminated quoted string");
      words.push({ text: line.slice(i + 1, close), quoted: true });
      i = close + 1;
    } else {
      let end = line.indexOf(" ", i);
      if (end < 0) end = line.length;
      const text = line.slice(i, end);
      if (text.includes('"')) throw new ReadError(SYNTAX, at, `a quote inside the bare word ${text}`);
      if (text.includes("#")) throw new ReadError(SYNTAX, at, `a # in ${text} (PAN-OS set has no comments)`);
      words.push({ text, quoted: false });
      i = end;
    }
    if (i < line.length) {
      if (line[i] !== " ") throw new ReadError(SYNTAX, at, `no space after a quoted string (column ${i + 1})`);
      i += 1;
      if (i === line.length) throw new ReadError(SYNTAX, at, "a trailing space");
    }
  }
  return words;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function fits(slot: Slot, word: Word): boolean {
  const t = word.text;
  if (word.quoted) return slot.kind === "string" || slot.kind === "text" || slot.kind === "word";
  switch (slot.kind) {
    case "name":
      return NAME_RE.test(t);
    case "word":
    case "string":
      return /^[A-Za-z0-9._:@/-]+$/.test(t);
    case "text":
      return false;
    case "ipv4":
      return isIpv4(t);
    case "prefix": {
      const m = /^([^/]+)\/(\d{1,2})$/.exec(t);
      return m !== null && isIpv4(m[1]!) && Number(m[2]) <= 32 && hostBitsZero(m[1]!, Number(m[2]));
    }
    case "ifaddr": {
      const m = /^([^/]+)\/(\d{1,2})$/.exec(t);
      return m !== null && isIpv4(m[1]!) && Number(m[2]) <= 32;
    }
    case "address":
      return isIpv4(t) || fits(IFADDR, word);
    case "ipv6":
      return isIpv6(t) && canonical(t) === t;
    case "prefix6":
    case "ifaddr6": {
      const m = /^([^/]+)\/(\d{1,3})$/.exec(t);
      if (m === null || !isIpv6(m[1]!) || canonical(m[1]!) !== m[1] || Number(m[2]) > 128) return false;
      return slot.kind === "ifaddr6" || parseCidr(t).aligned;
    }
    case "ip46":
      return fits(IPV4, word) || fits(IPV6, word);
    case "prefix46":
      return fits(PREFIX, word) || fits(PREFIX6, word);
    case "ifaddr46":
      return fits(IFADDR, word) || fits(IFADDR6, word);
    case "interface":
      return /^(?:tunnel\.[1-9][0-9]{0,3}|ethernet[0-9]+\/[0-9]+(?:\.[0-9]+)?|ae[0-9]+(?:\.[0-9]+)?|loopback(?:\.[0-9]+)?|vlan(?:\.[0-9]+)?)$/.test(t);
    case "tunnel":
      return /^tunnel\.[1-9][0-9]{0,3}$/.test(t);
    case "int":
      return /^(?:0|[1-9][0-9]*)$/.test(t) && Number(t) >= slot.min! && Number(t) <= slot.max!;
    case "enum":
      return slot.values!.includes(t);
  }
}

function hostBitsZero(address: string, length: number): boolean {
  const n = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  return length === 32 || n % 2 ** (32 - length) === 0;
}

function kindText(slot: Slot): string {
  if (slot.kind === "enum") return slot.values!.join("|");
  if (slot.kind === "int") return `${slot.min}..${slot.max}`;
  return slot.kind;
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

export function readPanosSet(text: string): PanosStatement[] {
  const out: PanosStatement[] = [];
  linesOf(text).forEach((raw, index) => {
    const at = index + 1;
    if (NOT_PRINTABLE_ASCII.test(raw)) throw new ReadError(SYNTAX, at, `a character outside printable ASCII in ${JSON.stringify(raw)}`);
    if (raw === "") return;
    const words = wordsOf(raw, at);
    if (words[0]!.quoted || words[0]!.text !== "set") throw new ReadError(SYNTAX, at, `not a set command: ${JSON.stringify(raw)}`);
    out.push(...statementsOf(words, at));
  });
  return out;
}

function statementsOf(words: readonly Word[], at: number): PanosStatement[] {
  const path: string[] = [];
  const shape: string[] = [];
  let node: Node = GRAMMAR;
  let i = 1;
  const outside = (what: string) => new ReadError(SYNTAX, at, `${what} after "${path.join(" ")}"`);
  for (;;) {
    if (node.type === "leaf") break;
    const container: Container = node;
    const w = words[i];
    if (w === undefined) {
      if (!container.end || i === 1) throw outside("an incomplete statement");
      return [{ line: at, path, shape, text: false }];
    }
    const keyword = !w.quoted && Object.hasOwn(container.keywords, w.text) ? container.keywords[w.text] : undefined;
    if (keyword) {
      path.push(w.text);
      shape.push(w.text);
      node = keyword;
    } else if (container.named && fits(container.named.slot, w)) {
      path.push(w.text);
      shape.push(`<${container.named.slot.kind}>`);
      node = container.named.node;
    } else throw outside(`${JSON.stringify(w.text)} is outside the grammar`);
    i += 1;
  }
  const leaf: Leaf = node;
  if (!leaf.slot) {
    if (i !== words.length) throw outside("words");
    return [{ line: at, path, shape, text: false }];
  }
  const slot = leaf.slot;
  const rest = words.slice(i);
  let values: readonly Word[];
  if (leaf.list && rest[0] && !rest[0].quoted && rest[0].text === "[") {
    const close = rest.findIndex((w) => !w.quoted && w.text === "]");
    if (close < 0) throw outside("an unclosed [");
    if (close !== rest.length - 1) throw outside("words after ]");
    values = rest.slice(1, close);
    if (!values.length) throw outside("an empty [ ]");
  } else {
    if (rest.length === 0) throw outside(`a missing ${kindText(slot)}`);
    if (rest.length > 1) throw outside(`words after the value ${JSON.stringify(rest[0]!.text)} (one statement per line)`);
    values = rest;
  }
  return values.map((w) => {
    if (!fits(slot, w)) throw outside(`${JSON.stringify(w.text)} is not a ${kindText(slot)}`);
    return { line: at, path: [...path, w.text], shape: [...shape, `<${slot.kind}>`], text: slot.kind === "text" };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------------------

function startsWith(s: PanosStatement, prefix: readonly string[]): boolean {
  return s.path.length > prefix.length && prefix.every((p, i) => s.path[i] === p);
}

/** The values of every leaf at exactly `prefix` (one word after it), in file order. */
export function valuesOf(statements: readonly PanosStatement[], ...prefix: string[]): string[] {
  return statements.filter((s) => s.path.length === prefix.length + 1 && startsWith(s, prefix)).map((s) => s.path[prefix.length]!);
}

/** The value of the leaf at `prefix`; undefined when absent; throws when set twice to different values. */
export function valueOf(statements: readonly PanosStatement[], ...prefix: string[]): string | undefined {
  const values = [...new Set(valuesOf(statements, ...prefix))];
  if (values.length > 1) throw new Error(`${prefix.join(" ")} is set to ${values.join(" and ")}`);
  return values[0];
}

/** The distinct words right after `prefix` (object names under a list, keywords under a container). */
export function namesUnder(statements: readonly PanosStatement[], ...prefix: string[]): string[] {
  return [...new Set(statements.filter((s) => startsWith(s, prefix)).map((s) => s.path[prefix.length]!))];
}

/** Is there a statement under `prefix` (or exactly it)? */
export function has(statements: readonly PanosStatement[], ...prefix: string[]): boolean {
  return statements.some((s) => s.path.length >= prefix.length && prefix.every((p, i) => s.path[i] === p));
}

/** The structure the injection checks compare (test/readers/reader.ts): comments' text left out of `full`. */
export function panosSetStructure(content: string): Structure {
  return structureOf(content, readPanosSet, (statements, out) => {
    for (const s of statements) {
      const full = s.text ? [...s.path.slice(0, -1), "<text>"] : s.path;
      out.add(full.join(" "), s.shape.join(" "));
    }
  });
}
