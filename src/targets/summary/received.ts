/**
 * What each host, device and the cluster receive: the artifacts the other targets emit for the site, reduced
 * to what the README shows (path, kind, mode, whether it carries a secret placeholder).
 *
 * Interim: a target sees only the model, so the summary asks the targets that emit per-host, per-device and
 * cluster files for their artifacts itself. The exact answer, without a second emission and without this
 * list, is a pipeline hook handing "late" targets (summary, ansible) the artifacts emitted before them; a test
 * (./summary.test.ts) proves this list still covers every such file of the example sites.
 */
import { PLACEHOLDER_RE } from "../../model/values.js";
import type { SiteModel } from "../../model/types.js";
import { clusterTarget } from "../cluster/index.js";
import { failoverTarget } from "../failover/index.js";
import { iosTarget } from "../ios/index.js";
import { iptablesTarget } from "../iptables/index.js";
import { linuxTarget } from "../linux/index.js";
import { strongswanTarget } from "../strongswan/index.js";
import type { Artifact, Target } from "../target.js";

export const RECEIVING_TARGETS: readonly Target[] = [strongswanTarget, linuxTarget, iptablesTarget, failoverTarget, iosTarget, clusterTarget];

export interface ReceivedFile {
  readonly path: string;
  readonly kind: Artifact["kind"];
  readonly mode: number;
  readonly host?: string;
  readonly device?: string;
  /** Holds a secret placeholder: the real file is written at deploy time (`sitewire secrets`). */
  readonly secret: boolean;
}

export function receivedFiles(site: SiteModel, targets: readonly Target[] = RECEIVING_TARGETS): ReceivedFile[] {
  return targets
    .flatMap((t) => t.emit(site))
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
