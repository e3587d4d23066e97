/**
 * What a target is: a pure function from the resolved site model to artifacts. Targets do no I/O, read no
 * clock and never see YAML or diagnostics. Register a new target with one line in ./registry.ts.
 */
import type { SiteModel } from "../model/types.js";
import type { SiteWalk } from "../explain/walks.js";
import type { HandlerGroup } from "./kinds.js";

/**
 * An artifact kind (manifest.json `kind`), so tools find artifacts without guessing names. Each kind is declared
 * by the target that emits it (Target.kinds); the registered targets' declarations are the documented set
 * (src/compile/kinds.ts ARTIFACT_KINDS), and the pipeline refuses an artifact of a kind its target did not declare.
 */
export type ArtifactKind = string;

/** What a target says about one kind it emits; everything that describes or applies artifacts reads this. */
export interface KindDeclaration {
  /** The one-line description the site README shows for a file of this kind ("what"). */
  readonly text: string;
  /**
   * The Ansible handler group that applies a file of this kind on a host when it changes (src/targets/kinds.ts
   * HANDLER_GROUPS); "none": the playbook only installs it, or it never goes to a host.
   */
  readonly handler: HandlerGroup | "none";
  /** The file mode every artifact of this kind has: 0o644 configuration, 0o755 scripts, 0o600 secret-shaped. */
  readonly mode: number;
  /**
   * What applies a file of this kind that is on no host (README "applied by"): "Argo CD sync", "not applied", …
   * Device files are applied by hand whatever their kind (src/targets/kinds.ts BY_HAND).
   */
  readonly appliedBy?: string;
}

export type KindDeclarations = Readonly<Record<string, KindDeclaration>>;

/** Every kind of a compile, merged from its targets' declarations (src/targets/kinds.ts kindTable). */
export type KindTable = ReadonlyMap<string, KindDeclaration>;

/** What the pipeline hands every target besides the model. */
export interface EmitContext {
  /** For a late target: the artifacts the other targets emitted (empty for the others). */
  readonly emitted: readonly Artifact[];
  /** The kinds every target of this compile declares (and the manifest's). */
  readonly kinds: KindTable;
  /**
   * For a late target: every flow's and tunnel route's path as the explain engine walks it through `emitted`
   * (src/explain/walks.ts), walked once per compile (the deliverability check reads the same walks).
   */
  readonly paths?: readonly SiteWalk[];
}

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
   * artifacts (EmitContext.emitted).
   */
  readonly late?: boolean;
  /**
   * The kinds this target emits, with their README text, handler group and mode. The pipeline refuses an
   * artifact of another kind, or with another mode (an internal error).
   */
  readonly kinds: KindDeclarations;
  emit(site: SiteModel, context?: EmitContext): Artifact[];
}
