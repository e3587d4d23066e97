/**
 * Junos `set` commands as `load set` takes them (Junos CLI User Guide, "Load a configuration from a file": one
 * configuration-mode command per line). A line is blank, a `#` comment, or `set <statement>`; the statement is
 * words separated by spaces, a double-quoted string being one word (`\"` and `\\` escape inside it). One `set`
 * line may name several leaves of one container (`set security ike gateway g address A external-interface E`), as
 * Junos allows; each leaf becomes one statement here.
 *
 * Every statement must fit the grammar below: the part of the Junos hierarchy sitewire writes and the cloud
 * providers' SRX samples use (Junos CLI Reference statement pages, cited in templates/juniper-srx/device.hbs).
 * Refused, with a ReadError at the line: another verb (`delete`, `edit`, `load`, `run`…), a keyword outside the
 * grammar, a value of the wrong kind (a name that is not a Junos name, an address that is not an address), an
 * incomplete statement, unbalanced quotes, a quote inside a bare word, `;` `{` `}` or `#` outside quotes, and any
 * character outside printable ASCII. So an injected line break or command cannot hide: it either fails the
 * grammar or shows up as an extra statement.
 */
import { isIPv6 } from "node:net";
import { linesOf, NOT_PRINTABLE_ASCII, ReadError, structureOf, type Structure } from "./reader.js";

/** One leaf statement: its words (values unquoted) and the 1-based line it came from. */
export interface JunosStatement {
  readonly line: number;
  /** e.g. ["security", "ike", "proposal", "p1", "dh-group", "group14"]. */
  readonly path: readonly string[];
  /** The same words with every value replaced by its kind ("<name>", "<ipv4>", …): the statement's shape. */
  readonly shape: readonly string[];
}

const SYNTAX = "Junos set";

// ---------------------------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------------------------

type Kind = "name" | "word" | "ipv4" | "prefix" | "ipv6" | "prefix6" | "ip" | "anyprefix" | "int" | "string" | "text" | "interface" | "zone";

interface Slot {
  readonly kind: Kind | "enum";
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

/** A container: keywords, and optionally one value-keyed child (`proposal <name> …`). */
interface Container {
  readonly type: "container";
  readonly keywords: Readonly<Record<string, Node>>;
  readonly named?: { readonly slot: Slot; readonly node: Container };
  /** The statement may end here (`dead-peer-detection`, `prefix-list <name>`). */
  readonly end: boolean;
}

/** A leaf: no value (`flag`), or one value, or (`list`) one value or a `[ … ]` list, each its own statement. */
interface Leaf {
  readonly type: "leaf";
  readonly slot?: Slot;
  readonly list?: boolean;
}

type Node = Container | Leaf;

const c = (keywords: Record<string, Node>, options: { end?: boolean; named?: { slot: Slot; node: Container } } = {}): Container => ({
  type: "container",
  keywords,
  end: options.end ?? false,
  ...(options.named ? { named: options.named } : {}),
});
/** A container keyed by a value: `keyword <value> …`. */
const named = (slot: Slot, node: Container): Container => c({}, { named: { slot, node } });
const flag: Leaf = { type: "leaf" };
const v = (slot: Slot): Leaf => ({ type: "leaf", slot });
const list = (slot: Slot): Leaf => ({ type: "leaf", slot, list: true });
const enumOf = (...values: string[]): Slot => ({ kind: "enum", values });
const int = (min: number, max: number): Slot => ({ kind: "int", min, max });

const NAME: Slot = { kind: "name" };
const WORD: Slot = { kind: "word" };
const IPV4: Slot = { kind: "ipv4" };
const PREFIX: Slot = { kind: "prefix" };
/** IPv6 (issue 16): an address, a prefix, and slots that take either family. */
const IPV6: Slot = { kind: "ipv6" };
const PREFIX6: Slot = { kind: "prefix6" };
const IP: Slot = { kind: "ip" };
const ANYPREFIX: Slot = { kind: "anyprefix" };
const STRING: Slot = { kind: "string" };
const TEXT: Slot = { kind: "text" };
const INTERFACE: Slot = { kind: "interface" };
const ZONE: Slot = { kind: "zone" };
const U32 = int(0, 4294967295);

const IKE_IDENTITY = c({ inet: v(IPV4), inet6: v(IPV6), hostname: v(WORD), "user-at-hostname": v(STRING), "distinguished-name": flag });
const DH_GROUPS = enumOf("group1", "group2", "group5", "group14", "group15", "group16", "group19", "group20", "group21", "group24");

/** `static route <prefix> …` (routing-options, and rib inet6.0 with IPv6 prefixes). */
function staticRoutes(prefix: Slot): Container {
  return c({
    route: named(
      prefix,
      c({
        "next-hop": list(WORD),
        "qualified-next-hop": named(WORD, c({ metric: v(U32), preference: v(U32) }, { end: true })),
        metric: v(U32),
        preference: v(U32),
      }),
    ),
  });
}

const GRAMMAR: Container = c({
  interfaces: c({
    st0: c({
      unit: named(
        int(0, 1073741823),
        c({
          description: v(TEXT),
          family: c({ inet: c({ address: v(PREFIX), mtu: v(int(256, 9192)) }, { end: true }), inet6: c({ address: v(PREFIX6), mtu: v(int(1280, 9192)) }, { end: true }) }),
        }),
      ),
    }),
  }),
  security: c({
    ike: c({
      proposal: named(
        NAME,
        c({
          description: v(TEXT),
          "authentication-method": v(enumOf("pre-shared-keys", "rsa-signatures", "dsa-signatures", "ecdsa-signatures-256", "ecdsa-signatures-384", "ecdsa-signatures-521")),
          "authentication-algorithm": v(enumOf("md5", "sha1", "sha-256", "sha-384", "sha-512")),
          "dh-group": v(DH_GROUPS),
          "encryption-algorithm": v(enumOf("des-cbc", "3des-cbc", "aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-gcm", "aes-256-gcm", "chacha20-poly1305")),
          "lifetime-seconds": v(int(180, 86400)),
        }),
      ),
      policy: named(
        NAME,
        c({
          description: v(TEXT),
          mode: v(enumOf("main", "aggressive")),
          proposals: list(NAME),
          "proposal-set": v(enumOf("basic", "compatible", "standard", "prime-128", "prime-256", "suiteb-gcm-128", "suiteb-gcm-256")),
          "pre-shared-key": c({ "ascii-text": v(STRING), hexadecimal: v(STRING) }),
          "reauth-frequency": v(int(0, 100)),
        }),
      ),
      gateway: named(
        NAME,
        c({
          "ike-policy": v(NAME),
          address: list(IP),
          "external-interface": v(INTERFACE),
          "local-address": v(IP),
          "local-identity": IKE_IDENTITY,
          "remote-identity": IKE_IDENTITY,
          "dead-peer-detection": c(
            { "always-send": flag, optimized: flag, "probe-idle-tunnel": flag, interval: v(int(2, 60)), threshold: v(int(1, 5)) },
            { end: true },
          ),
          version: v(enumOf("v1-only", "v2-only")),
          "no-nat-traversal": flag,
          "nat-keepalive": v(int(1, 300)),
          "general-ikeid": flag,
        }),
      ),
    }),
    ipsec: c({
      "vpn-monitor-options": c({ interval: v(int(2, 3600)), threshold: v(int(1, 65535)) }, { end: true }),
      proposal: named(
        NAME,
        c({
          description: v(TEXT),
          protocol: v(enumOf("esp", "ah")),
          "authentication-algorithm": v(enumOf("hmac-md5-96", "hmac-sha1-96", "hmac-sha-256-96", "hmac-sha-256-128", "hmac-sha-384-192", "hmac-sha-512-256")),
          "encryption-algorithm": v(enumOf("des-cbc", "3des-cbc", "aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-gcm", "aes-192-gcm", "aes-256-gcm")),
          "lifetime-seconds": v(int(180, 86400)),
          "lifetime-kilobytes": v(int(64, 4294967294)),
        }),
      ),
      policy: named(
        NAME,
        c({
          description: v(TEXT),
          "perfect-forward-secrecy": c({ keys: v(DH_GROUPS) }),
          proposals: list(NAME),
          "proposal-set": v(enumOf("basic", "compatible", "standard", "suiteb-gcm-128", "suiteb-gcm-256")),
        }),
      ),
      vpn: named(
        NAME,
        c({
          "bind-interface": v(INTERFACE),
          "df-bit": v(enumOf("clear", "copy", "set")),
          "establish-tunnels": v(enumOf("immediately", "on-traffic")),
          ike: c({ gateway: v(NAME), "ipsec-policy": v(NAME) }),
          "vpn-monitor": c({ "source-interface": v(INTERFACE), "destination-ip": v(IPV4), optimized: flag }, { end: true }),
        }),
      ),
    }),
    zones: c({
      "security-zone": named(
        ZONE,
        c({
          interfaces: named(INTERFACE, c({ "host-inbound-traffic": c({ "system-services": v(WORD), protocols: v(WORD) }) }, { end: true })),
          "host-inbound-traffic": c({ "system-services": v(WORD), protocols: v(WORD) }),
        }),
      ),
    }),
    "address-book": c({ global: c({ address: named(NAME, c({}, { named: { slot: ANYPREFIX, node: c({}, { end: true }) } })) }) }),
    policies: c({
      global: c({
        policy: named(
          NAME,
          c({
            description: v(TEXT),
            match: c({
              "source-address": list(NAME),
              "destination-address": list(NAME),
              application: list(NAME),
              "from-zone": list(ZONE),
              "to-zone": list(ZONE),
            }),
            then: c({
              permit: c({ "tcp-options": c({ "initial-tcp-mss": v(int(64, 65535)), "reverse-tcp-mss": v(int(64, 65535)) }) }, { end: true }),
              deny: flag,
              reject: flag,
            }),
          }),
        ),
      }),
    }),
    flow: c({ "tcp-mss": c({ "ipsec-vpn": c({ mss: v(int(64, 65535)) }) }) }),
  }),
  "routing-options": c({
    "autonomous-system": v(U32),
    "router-id": v(IPV4),
    static: staticRoutes(PREFIX),
    // IPv6 static routes live in the inet6.0 table (Junos CLI Reference, rib (Routing Options)).
    rib: named(enumOf("inet6.0"), c({ static: staticRoutes(PREFIX6) })),
  }),
  "policy-options": c({
    "prefix-list": named(NAME, c({}, { end: true, named: { slot: ANYPREFIX, node: c({}, { end: true }) } })),
    "policy-statement": named(
      NAME,
      c({
        term: named(
          NAME,
          c({
            from: c({
              "prefix-list-filter": named(NAME, c({ exact: flag, orlonger: flag, longer: flag })),
              "route-filter": named(ANYPREFIX, c({ exact: flag, orlonger: flag, longer: flag })),
              protocol: v(WORD),
            }),
            then: c({ accept: flag, reject: flag, "local-preference": v(U32), metric: v(U32), "as-path-prepend": v(STRING) }),
          }),
        ),
        then: c({ accept: flag, reject: flag }),
      }),
    ),
  }),
  protocols: c({
    bgp: c({
      group: named(
        NAME,
        c({
          type: v(enumOf("external", "internal")),
          description: v(TEXT),
          "peer-as": v(U32),
          "local-as": v(U32),
          "local-address": v(IP),
          family: c({ inet: c({ unicast: flag }), inet6: c({ unicast: flag }) }),
          "hold-time": v(int(0, 65535)),
          import: list(NAME),
          export: list(NAME),
          multihop: flag,
          neighbor: named(
            IP,
            c(
              {
                description: v(TEXT),
                "peer-as": v(U32),
                "local-address": v(IP),
                "hold-time": v(int(0, 65535)),
                import: list(NAME),
                export: list(NAME),
                "bfd-liveness-detection": c({ "minimum-interval": v(int(1, 255000)), multiplier: v(int(1, 255)) }),
              },
              { end: true },
            ),
          ),
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

/** Split one line into words; throws on unbalanced quotes, a quote in a bare word, or structure characters. */
function wordsOf(line: string, at: number): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") {
      i++;
      continue;
    }
    if (line[i] === '"') {
      let text = "";
      i++;
      for (;;) {
        if (i >= line.length) throw new ReadError(SYNTAX, at, "unbalanced double quote");
        const ch = line[i]!;
        if (ch === "\\") {
          const next = line[i + 1];
          if (next !== '"' && next !== "\\") throw new ReadError(SYNTAX, at, "a backslash in a quoted string escapes only \" or \\");
          text += next;
          i += 2;
          continue;
        }
        if (ch === '"') break;
        text += ch;
        i++;
      }
      i++;
      if (i < line.length && line[i] !== " ") throw new ReadError(SYNTAX, at, "a quoted string runs into the next word");
      words.push({ text, quoted: true });
      continue;
    }
    let end = i;
    while (end < line.length && line[end] !== " ") end++;
    const text = line.slice(i, end);
    if (/["\\]/.test(text)) throw new ReadError(SYNTAX, at, `a quote or backslash inside the bare word ${text}`);
    if (/[;{}#]/.test(text)) throw new ReadError(SYNTAX, at, `Junos structure character in the bare word ${text}`);
    words.push({ text, quoted: false });
    i = end;
  }
  return words;
}

const IPV4_RE = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function fits(slot: Slot, word: Word): boolean {
  const t = word.text;
  if (word.quoted && !["string", "text"].includes(slot.kind)) return false;
  switch (slot.kind) {
    case "enum":
      return slot.values!.includes(t);
    case "name":
      return /^[A-Za-z0-9][A-Za-z0-9._/:-]{0,62}$/.test(t);
    case "zone":
      return /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(t);
    case "word":
      return /^[A-Za-z0-9@][A-Za-z0-9._/:@-]*$/.test(t);
    case "ipv4":
      return IPV4_RE.test(t);
    case "prefix": {
      const [address = "", length, ...rest] = t.split("/");
      return rest.length === 0 && IPV4_RE.test(address) && length !== undefined && /^(?:3[0-2]|[12]?\d)$/.test(length);
    }
    case "ipv6":
      return isIPv6(t) && !t.includes("%");
    case "prefix6": {
      const [address = "", length, ...rest] = t.split("/");
      return rest.length === 0 && isIPv6(address) && !address.includes("%") && length !== undefined && /^(?:12[0-8]|1[01]\d|[1-9]?\d)$/.test(length);
    }
    case "ip":
      return fits({ kind: "ipv4" }, word) || fits({ kind: "ipv6" }, word);
    case "anyprefix":
      return fits({ kind: "prefix" }, word) || fits({ kind: "prefix6" }, word);
    case "int": {
      if (!/^(?:0|[1-9]\d*)$/.test(t)) return false;
      const n = Number(t);
      return n >= (slot.min ?? 0) && n <= (slot.max ?? Number.MAX_SAFE_INTEGER);
    }
    case "interface":
      return /^[a-z][a-z0-9]*(?:-\d+\/\d+\/\d+)?(?:\.\d+)?$/.test(t);
    case "string":
    case "text":
      return t.length > 0;
  }
}

function kindText(slot: Slot): string {
  return slot.kind === "enum" ? `one of ${slot.values!.join(", ")}` : slot.kind === "int" ? `a number ${slot.min}..${slot.max}` : `a ${slot.kind}`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

/** Every leaf statement of a Junos `set` file, in order. Throws a ReadError on anything outside the grammar. */
export function readJunosSet(text: string): JunosStatement[] {
  const out: JunosStatement[] = [];
  const lines = linesOf(text);
  lines.forEach((raw, index) => {
    const at = index + 1;
    if (NOT_PRINTABLE_ASCII.test(raw)) throw new ReadError(SYNTAX, at, "a character outside printable ASCII");
    if (raw === "" || raw.startsWith("#")) return;
    if (raw.startsWith(" ")) throw new ReadError(SYNTAX, at, "an indented line (a set file has one command per line, from its first column)");
    const words = wordsOf(raw, at);
    const verb = words[0];
    if (!verb || verb.quoted || verb.text !== "set") throw new ReadError(SYNTAX, at, `only set commands are expected, not ${JSON.stringify(verb?.text ?? raw)}`);
    out.push(...statementsOf(words.slice(1), at));
  });
  return out;
}

function statementsOf(words: readonly Word[], at: number): JunosStatement[] {
  const out: JunosStatement[] = [];
  let node: Container = GRAMMAR;
  const path: string[] = [];
  const shape: string[] = [];
  let i = 0;
  /** The words since the container the statement continues in: a leaf, or the end of a container. */
  let pendingEnd = false;
  const emit = (extra: readonly string[], extraShape: readonly string[]) => out.push({ line: at, path: [...path, ...extra], shape: [...shape, ...extraShape] });
  if (words.length === 0) throw new ReadError(SYNTAX, at, "set without a statement");
  while (i < words.length) {
    const word = words[i]!;
    const child = word.quoted ? undefined : node.keywords[word.text];
    if (child?.type === "container") {
      node = child;
      path.push(word.text);
      shape.push(word.text);
      i++;
      pendingEnd = true;
      continue;
    }
    if (child?.type === "leaf") {
      i++;
      if (!child.slot) {
        emit([word.text], [word.text]);
        pendingEnd = false;
        continue;
      }
      const values: Word[] = [];
      if (child.list && words[i]?.text === "[" && !words[i]!.quoted) {
        i++;
        while (i < words.length && !(words[i]!.text === "]" && !words[i]!.quoted)) values.push(words[i++]!);
        if (i >= words.length) throw new ReadError(SYNTAX, at, `unclosed [ after ${word.text}`);
        i++;
        if (values.length === 0) throw new ReadError(SYNTAX, at, `empty [ ] after ${word.text}`);
      } else {
        const value = words[i];
        if (!value) throw new ReadError(SYNTAX, at, `${[...path, word.text].join(" ")} needs ${kindText(child.slot)}`);
        values.push(value);
        i++;
      }
      for (const value of values) {
        if (!fits(child.slot, value)) throw new ReadError(SYNTAX, at, `${[...path, word.text].join(" ")} takes ${kindText(child.slot)}, not ${JSON.stringify(value.text)}`);
        emit([word.text, value.text], [word.text, child.slot.kind === "enum" ? value.text : `<${child.slot.kind}>`]);
      }
      pendingEnd = false;
      continue;
    }
    if (!child && node.named) {
      if (!fits(node.named.slot, word)) throw new ReadError(SYNTAX, at, `${path.join(" ") || "set"} takes ${kindText(node.named.slot)}, not ${JSON.stringify(word.text)}`);
      path.push(word.text);
      shape.push(`<${node.named.slot.kind}>`);
      node = node.named.node;
      i++;
      pendingEnd = true;
      continue;
    }
    throw new ReadError(SYNTAX, at, `${JSON.stringify(word.text)} is not a statement under ${path.join(" ") || "the top level"}`);
  }
  if (pendingEnd) {
    if (!node.end) throw new ReadError(SYNTAX, at, `incomplete statement: set ${path.join(" ")}`);
    emit([], []);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

/** The statements under `prefix` (a leading run of words), with the prefix removed. */
export function under(statements: readonly JunosStatement[], ...prefix: string[]): string[][] {
  return statements.filter((s) => prefix.every((w, i) => s.path[i] === w)).map((s) => s.path.slice(prefix.length));
}

/** The values of the single-value leaf `prefix … <value>` (every statement's word after the prefix). */
export function valuesOf(statements: readonly JunosStatement[], ...prefix: string[]): string[] {
  return under(statements, ...prefix)
    .filter((rest) => rest.length === 1)
    .map((rest) => rest[0]!);
}

/** The one value of `prefix … <value>`; undefined when absent, the last one when repeated (Junos keeps the last). */
export function valueOf(statements: readonly JunosStatement[], ...prefix: string[]): string | undefined {
  return valuesOf(statements, ...prefix).at(-1);
}

/** Names of the value-keyed children under `prefix` (e.g. every ike proposal name), in first-seen order. */
export function namesUnder(statements: readonly JunosStatement[], ...prefix: string[]): string[] {
  return [...new Set(under(statements, ...prefix).filter((rest) => rest.length > 0).map((rest) => rest[0]!))];
}

/**
 * The structure the injection checks compare: every statement with its values (descriptions as `<text>`), and its
 * shape (keywords and value kinds).
 */
export function junosSetStructure(content: string): Structure {
  return structureOf(content, readJunosSet, (statements, out) => {
    for (const s of statements) {
      const full = s.path.map((w, i) => (s.shape[i] === "<text>" ? "<text>" : w)).join(" ");
      out.add(full, s.shape.join(" "));
    }
  });
}
