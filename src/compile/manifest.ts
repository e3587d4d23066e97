/**
 * out/<site>/manifest.json: every artifact sitewire produced for the site, with its kind, target, host,
 * sha256 and mode, plus the source file and its hash. The writer uses the previous manifest to remove stale
 * files and never touches a file the manifest does not list.
 */
import { createHash } from "node:crypto";
import type { SiteModel } from "../model/types.js";
import type { Artifact } from "../targets/target.js";

export const MANIFEST_PATH = "manifest.json";
export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  readonly path: string;
  readonly kind: string;
  readonly target: string;
  readonly host?: string;
  readonly device?: string;
  readonly sha256: string;
  readonly mode: string; // "0644"
}

export interface Manifest {
  readonly version: number;
  readonly generator: "sitewire";
  readonly site: string;
  readonly source: { readonly file: string; readonly sha256: string };
  readonly artifacts: readonly ManifestEntry[];
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function buildManifest(model: SiteModel, artifacts: readonly Artifact[]): Artifact {
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    generator: "sitewire",
    site: model.name,
    source: { file: model.source.file, sha256: model.source.sha256 },
    artifacts: artifacts.map((a) => ({
      path: a.path,
      kind: a.kind,
      target: a.target ?? "",
      ...(a.host ? { host: a.host } : {}),
      ...(a.device ? { device: a.device } : {}),
      sha256: sha256(a.content),
      mode: a.mode.toString(8).padStart(4, "0"),
    })),
  };
  return { path: MANIFEST_PATH, content: JSON.stringify(manifest, null, 2) + "\n", mode: 0o644, kind: "manifest", target: "manifest" };
}

/** Parse a manifest read from disk; undefined when it is not one of ours (then nothing is pruned). */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const m = JSON.parse(text) as Partial<Manifest>;
    if (m.generator !== "sitewire" || !Array.isArray(m.artifacts)) return undefined;
    return m as Manifest;
  } catch {
    return undefined;
  }
}
