/**
 * strongSwan files for the lab's daemons: the files sitewire emitted for a host or a strongSwan peer (or a
 * stand-in rendered from the model's peer end for any other far side), cut down to the tunnels one daemon
 * runs, with the secret placeholders replaced by lab keys through the real materialiser.
 *
 * Why cut: kernel-libipsec (the userspace ESP the lab uses where the kernel has no ESP or vti) ignores marks,
 * so two route-based tunnels (both 0.0.0.0/0 selectors) in one daemon would take each other's packets. The lab
 * runs one daemon per route-based tunnel end, and one per host for its policy-based tunnels. Cutting keeps the
 * emitted text verbatim: only whole `conn` sections (ipsec.conf) or whole connections (swanctl.conf) go.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { TunnelEnd, TunnelModel } from "../model/types.js";
import { materialise, type TreeFile } from "../secrets/materialise.js";
import { connView } from "../targets/strongswan/conn.js";
import { renderStrongswanEnd } from "../targets/strongswan/render.js";
import type { Artifact } from "../targets/target.js";

/** What one daemon loads. Exactly one format: swanctl (vici, charon alone) or ipsec.conf (starter + stroke). */
export interface DaemonFiles {
  readonly mode: "vici" | "stroke";
  readonly swanctlConf?: string;
  readonly ipsecConf?: string;
  readonly ipsecSecrets?: string;
  /** strongswan.d drop-ins sitewire emits (the charon drop-in of route-based tunnels). */
  readonly dropIns: readonly string[];
  /** Where the files come from, for the progress lines: "emitted" or "stand-in". */
  readonly origin: "emitted" | "stand-in";
}

/** The strongSwan artifacts of one host or device, by kind. */
function owned(artifacts: readonly Artifact[], owner: string, as: "host" | "device"): Map<string, string> {
  return new Map(artifacts.filter((a) => (as === "host" ? a.host === owner : a.device === owner)).map((a) => [a.kind, a.content]));
}

/**
 * The daemon files of one end for `tunnels` (all ending on that end): swanctl.conf when emitted (charon alone
 * starts fastest), else ipsec.conf + ipsec.secrets.
 */
export function emittedEnd(artifacts: readonly Artifact[], owner: string, as: "host" | "device", tunnels: readonly TunnelModel[], role: "host" | "peer"): DaemonFiles | undefined {
  const files = owned(artifacts, owner, as);
  const dropIns = files.has("strongswan-conf") ? [files.get("strongswan-conf")!] : [];
  const swanctl = files.get("swanctl-conf");
  if (swanctl !== undefined) return { mode: "vici", swanctlConf: keepSwanctl(swanctl, new Set(tunnels.map((t) => t.name))), dropIns, origin: "emitted" };
  const conf = files.get("strongswan-ipsec-conf");
  const secrets = files.get("strongswan-secrets");
  if (conf === undefined || secrets === undefined) return undefined;
  const conns = new Set(tunnels.flatMap((t) => connView(t, role === "host" ? t.host : t.peer).children.map((c) => c.name)));
  return { mode: "stroke", ipsecConf: keepIpsecConns(conf, conns), ipsecSecrets: secrets, dropIns, origin: "emitted" };
}

/** A strongSwan stand-in for the far end of `tunnel`, rendered from the model's peer end by sitewire's own templates. */
export function standInEnd(tunnel: TunnelModel, end: TunnelEnd = tunnel.peer): DaemonFiles {
  const files = renderStrongswanEnd(tunnel, end, "swanctl", "the site model (sitewire lab stand-in)");
  return { mode: "vici", swanctlConf: files.swanctlConf!, dropIns: files.charonConf !== undefined ? [files.charonConf] : [], origin: "stand-in" };
}

/** The conn names of an ipsec.conf (without %default). */
export function ipsecConns(text: string): string[] {
  return ipsecSections(text).flatMap((s) => (s.type === "conn" && s.name !== "%default" ? [s.name] : []));
}

interface Section {
  readonly type: string;
  readonly name: string;
  /** 0-based line range [start, end). */
  readonly start: number;
  readonly end: number;
}

/** ipsec.conf sections: a header at column 0 (`conn NAME`, `ca NAME`, `config setup`) runs to the next header. */
function ipsecSections(text: string): Section[] {
  const lines = text.split("\n");
  const heads: { type: string; name: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const m = /^(conn|ca|config)\s+(\S+)\s*$/.exec(l);
    if (m) heads.push({ type: m[1]!, name: m[2]!, line: i });
  });
  return heads.map((h, i) => {
    // A section's comment lines before the next header belong to the next one (sitewire writes them above it).
    let end = heads[i + 1]?.line ?? lines.length;
    while (end > h.line + 1 && /^(#.*|)$/.test(lines[end - 1]!) && heads[i + 1] !== undefined) end--;
    return { type: h.type, name: h.name, start: h.line, end };
  });
}

/** ipsec.conf with only the conns in `keep` (and `config setup`, `conn %default`, `ca` sections). */
export function keepIpsecConns(text: string, keep: ReadonlySet<string>): string {
  const drop = ipsecSections(text).filter((s) => s.type === "conn" && s.name !== "%default" && !keep.has(s.name));
  return withoutLines(text, drop);
}

/** Connection blocks directly under `connections { }` of a swanctl.conf, with their line ranges. */
export function swanctlConnections(text: string): Section[] {
  const lines = text.split("\n");
  const out: Section[] = [];
  let depth = 0;
  let inConnections = false;
  let current: { name: string; start: number } | undefined;
  lines.forEach((raw, i) => {
    const line = code(raw);
    const opens = /^\s*([A-Za-z0-9_.-]+)\s*\{\s*$/.exec(line);
    if (opens && depth === 0 && opens[1] === "connections") inConnections = true;
    else if (opens && depth === 1 && inConnections) current = { name: opens[1]!, start: i };
    for (const c of line) {
      if (c === "{") depth++;
      if (c === "}") {
        depth--;
        if (depth === 1 && current) {
          out.push({ type: "connection", name: current.name, start: current.start, end: i + 1 });
          current = undefined;
        }
        if (depth === 0) inConnections = false;
      }
    }
  });
  return out;
}

/** swanctl.conf with only the connections named in `keep` (secrets stay whole). */
export function keepSwanctl(text: string, keep: ReadonlySet<string>): string {
  const drop = swanctlConnections(text).filter((c) => !keep.has(c.name));
  // A connection's comment lines right above it go with it.
  const lines = text.split("\n");
  const widened = drop.map((s) => {
    let start = s.start;
    while (start > 0 && /^\s*#/.test(lines[start - 1]!)) start--;
    return { ...s, start };
  });
  return withoutLines(text, widened);
}

/** A line without its comment and quoted strings (for brace counting). */
function code(line: string): string {
  let out = "";
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === "#") break;
    else if (!quoted) out += c;
  }
  return out;
}

function withoutLines(text: string, ranges: readonly { start: number; end: number }[]): string {
  return text
    .split("\n")
    .filter((_, i) => !ranges.some((r) => i >= r.start && i < r.end))
    .join("\n");
}

/**
 * Lab keys: one random secret per lab run, and per secret reference a key derived from it, so that two ends
 * naming the same reference get the same key and different references different keys (a PSK mismatch in the
 * intent stays a mismatch in the lab). Keys never leave the lab's private folder and are never printed.
 */
export class LabKeys {
  private readonly secret = randomBytes(32);

  key(reference: string): string {
    // Printable, no quote or backslash, and never starting with 0x/0s (materialise refuses those in swanctl.conf).
    return `lab-${createHmac("sha256", this.secret).update(reference).digest("base64url")}`;
  }

  /** The daemon files with every placeholder replaced by its lab key. */
  materialise(files: DaemonFiles): DaemonFiles {
    const tree: TreeFile[] = [];
    if (files.swanctlConf !== undefined) tree.push({ path: "swanctl.conf", content: files.swanctlConf, mode: 0o600, kind: "swanctl-conf" });
    if (files.ipsecSecrets !== undefined) tree.push({ path: "ipsec.secrets", content: files.ipsecSecrets, mode: 0o600, kind: "strongswan-secrets" });
    const result = materialise(tree, { env: (name) => this.key(`env:${name}`), file: (path) => this.key(`file:${path}`) });
    if (!result.ok) throw new Error(`cannot put lab keys into the strongSwan files: ${result.problems.map((p) => `${p.path} ${p.reference}: ${p.message}`).join("; ")}`);
    const get = (path: string) => result.files.find((f) => f.path === path)?.content;
    return {
      ...files,
      ...(files.swanctlConf !== undefined ? { swanctlConf: get("swanctl.conf")! } : {}),
      ...(files.ipsecSecrets !== undefined ? { ipsecSecrets: get("ipsec.secrets")! } : {}),
    };
  }
}

/**
 * The lab daemon's strongswan.conf: few retransmissions (a failing negotiation gives up in seconds, not
 * minutes), a file log, kernel-libipsec on (userspace ESP through a TUN device: this works whether or not the
 * kernel has ESP and vti), then the system's plugin settings and sitewire's drop-ins.
 * (strongswan.conf(5): charon.retransmit_tries, retransmit_timeout, filelog; kernel-libipsec plugin: load.)
 */
export function labStrongswanConf(dropInDir: string | undefined): string {
  return `charon {
  retransmit_tries = 2
  retransmit_timeout = 1.0
  filelog {
    log {
      path = /run/charon.log
      time_format = %T
      default = 1
      cfg = 2
      ike = 2
      flush_line = yes
    }
  }
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec {
      load = yes
    }
  }
}
include /etc/strongswan.d/*.conf
${dropInDir !== undefined ? `include ${dropInDir}/*.conf\n` : ""}`;
}
