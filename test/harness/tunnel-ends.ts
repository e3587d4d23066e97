/**
 * The strongSwan files of one tunnel end, ready for a throwaway charon (./charon.ts): what sitewire emitted
 * for a host or a strongSwan peer, or a stand-in rendered from the model for any end (a Cisco peer), with the
 * secret placeholders replaced by test keys through the real materialiser (src/secrets/materialise.ts).
 */
import type { StrongswanFormat, TunnelModel } from "../../src/model/types.js";
import { materialise, type TreeFile } from "../../src/secrets/materialise.js";
import { connView } from "../../src/targets/strongswan/conn.js";
import type { StrongswanFiles } from "../../src/targets/strongswan/render.js";
import type { Artifact, ArtifactKind } from "../../src/targets/target.js";
import { readIpsecConf } from "../readers/strongswan-conf.js";
import { swanctlConnections } from "../readers/swanctl.js";
import type { CharonFiles } from "./charon.js";

/** One daemon speaks one format. */
export type DaemonFormat = Exclude<StrongswanFormat, "both">;
export const DAEMON_FORMATS: readonly DaemonFormat[] = ["ipsec-conf", "swanctl"];

/** strongSwan files of one end, by artifact kind. */
export type Owned = Partial<Record<ArtifactKind, string>>;

const KINDS_OF: Readonly<Record<DaemonFormat, readonly ArtifactKind[]>> = {
  "ipsec-conf": ["strongswan-ipsec-conf", "strongswan-secrets"],
  swanctl: ["swanctl-conf"],
};

/** The files sitewire emits for one host or device, by kind. */
export function owned(artifacts: readonly Artifact[], owner: string): Owned {
  return Object.fromEntries(artifacts.filter((a) => a.host === owner || a.device === owner).map((a) => [a.kind, a.content]));
}

/** What renderStrongswanEnd / renderConns returned, by kind. */
export function fromRender(files: StrongswanFiles): Owned {
  return {
    ...(files.ipsecConf !== undefined ? { "strongswan-ipsec-conf": files.ipsecConf } : {}),
    ...(files.ipsecSecrets !== undefined ? { "strongswan-secrets": files.ipsecSecrets } : {}),
    ...(files.swanctlConf !== undefined ? { "swanctl-conf": files.swanctlConf } : {}),
    ...(files.charonConf !== undefined ? { "strongswan-conf": files.charonConf } : {}),
  };
}

/** The formats `files` hold complete. */
export function formatsIn(files: Owned): DaemonFormat[] {
  return DAEMON_FORMATS.filter((format) => KINDS_OF[format].every((kind) => files[kind] !== undefined));
}

/** A test key per secret reference: two ends with the same reference get the same key, different ones not. */
export const sharedKey = (reference: string): string => `test-key-for-${reference.replace(/[^A-Za-z0-9]/g, "-")}-Zq8mN3pR`;

/** Daemon input for one format, the placeholders replaced through the real materialiser. */
export function daemonFiles(files: Owned, format: DaemonFormat, key: (reference: string) => string = sharedKey): CharonFiles {
  const tree: TreeFile[] = KINDS_OF[format].map((kind) => {
    const content = files[kind];
    if (content === undefined) throw new Error(`no ${kind} emitted`);
    return { path: kind, content, mode: 0o600, kind };
  });
  const result = materialise(tree, { env: (name) => key(`env:${name}`), file: (path) => key(`file:${path}`) });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const text = (kind: ArtifactKind) => result.files.find((f) => f.kind === kind)!.content;
  const dropIns = files["strongswan-conf"] !== undefined ? [files["strongswan-conf"]] : [];
  return format === "swanctl"
    ? { swanctlConf: text("swanctl-conf"), strongswanDropIns: dropIns }
    : { ipsecConf: text("strongswan-ipsec-conf"), ipsecSecrets: text("strongswan-secrets"), strongswanDropIns: dropIns };
}

/**
 * The emitted files of a daemon that ends several tunnels, cut down to the conns of `tunnel` (verbatim; the
 * secrets stay whole). kernel-libipsec ignores marks, so on this kernel another route-based tunnel's
 * 0.0.0.0/0 policy could take this tunnel's packets; on a real kernel the marks keep them apart.
 */
export function onlyTunnel(files: Owned, tunnel: TunnelModel): Owned {
  const conns = new Set(connView(tunnel, tunnel.host).children.map((c) => c.name));
  const out: Owned = { ...files };
  if (files["strongswan-ipsec-conf"] !== undefined) out["strongswan-ipsec-conf"] = keepIpsecConns(files["strongswan-ipsec-conf"], conns);
  if (files["swanctl-conf"] !== undefined) out["swanctl-conf"] = keepSwanctlConnection(files["swanctl-conf"], tunnel.name);
  return out;
}

/** ipsec.conf without the `conn` sections not in `keep` (a section runs to the next section header). */
function keepIpsecConns(text: string, keep: ReadonlySet<string>): string {
  const drop = readIpsecConf(text).sections.filter((s) => s.type === "conn" && !keep.has(s.name));
  return withoutLines(text, drop.map((s) => [s.line, s.end]));
}

/** swanctl.conf with only connection `name` under `connections { }`. */
function keepSwanctlConnection(text: string, name: string): string {
  const drop = swanctlConnections(text).filter((c) => c.name !== name);
  return withoutLines(text, drop.map((c) => [c.line, c.end]));
}

/** `text` without the lines of the given 1-based inclusive ranges. */
function withoutLines(text: string, ranges: readonly (readonly [number, number])[]): string {
  return text
    .split("\n")
    .filter((_, i) => !ranges.some(([from, to]) => i + 1 >= from && i + 1 <= to))
    .join("\n");
}
