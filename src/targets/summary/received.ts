/**
 * What each host, device and the cluster receive: the artifacts the other targets emitted for the site
 * (the summary is a late target and is handed them), reduced to what the README shows.
 */
import { PLACEHOLDER_RE } from "../../model/values.js";
import type { Artifact } from "../target.js";

export interface ReceivedFile {
  readonly path: string;
  readonly kind: Artifact["kind"];
  readonly mode: number;
  readonly host?: string;
  readonly device?: string;
  /** Holds a secret placeholder: the real file is written at deploy time (`sitewire secrets`). */
  readonly secret: boolean;
}

export function receivedFiles(emitted: readonly Artifact[]): ReceivedFile[] {
  return emitted
    .filter((a) => a.host !== undefined || a.device !== undefined || a.path.startsWith("cluster/") || a.path.startsWith("cloud/"))
    .map((a) => ({
      path: a.path,
      kind: a.kind,
      mode: a.mode,
      ...(a.host ? { host: a.host } : {}),
      ...(a.device ? { device: a.device } : {}),
      secret: new RegExp(PLACEHOLDER_RE.source).test(a.content),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
