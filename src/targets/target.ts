/**
 * What a target is: a pure function from the resolved site model to artifacts. Targets do no I/O, read no
 * clock and never see YAML or diagnostics. Register a new target with one line in ./registry.ts.
 */
import type { SiteModel } from "../model/types.js";

/** The documented set of artifact kinds (manifest.json `kind`), so tools find artifacts without guessing names. */
export const ARTIFACT_KINDS = [
  "strongswan-ipsec-conf",
  "strongswan-secrets",
  "strongswan-conf",
  "swanctl-conf",
  "shell",
  "systemd-unit",
  "sysctl",
  "iptables-restore",
  "failover-config",
  "cisco-ios",
  "k8s-manifest",
  "kustomization",
  "iptables-preview",
  "ansible-playbook",
  "ansible-inventory",
  "terraform-json",
  "frr-conf",
  "frr-daemons",
  "readme",
  "manifest",
] as const;

export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface Artifact {
  /** Path relative to out/<site>/, '/'-separated, no '..' (checked by the pipeline). */
  readonly path: string;
  readonly content: string;
  /** Unix permission bits: 0o644 for configuration, 0o755 for scripts, 0o600 for anything secret-shaped. */
  readonly mode: number;
  readonly kind: ArtifactKind;
  /** Name of the target that produced it (filled by the pipeline). */
  readonly target?: string;
  /** The host or device the artifact is for, when it is for one. */
  readonly host?: string;
  readonly device?: string;
}

export interface Target {
  /** Short stable name (manifest `target`). */
  readonly name: string;
  readonly description: string;
  /**
   * A target that describes what the others produce (the site README) runs after them and receives their
   * artifacts; every other target ignores the second argument.
   */
  readonly late?: boolean;
  emit(site: SiteModel, emitted?: readonly Artifact[]): Artifact[];
}
