/**
 * The artifact kinds of a compile: what its targets declare (Target.kinds) plus the pipeline's own manifest.
 * ARTIFACT_KINDS, the documented set (manifest.json `kind`), is that of the registered targets
 * (src/targets/registry.ts); no other list of kinds exists.
 */
import { kindTable } from "../targets/kinds.js";
import { TARGETS } from "../targets/registry.js";
import type { Artifact, KindDeclarations, KindTable, Target } from "../targets/target.js";

/** manifest.json, written by the pipeline itself (./manifest.ts), under the target name "manifest". */
export const MANIFEST_DECLARER = {
  name: "manifest",
  kinds: { manifest: { text: "every artifact of the site with its kind, target, mode and hash", handler: "none", mode: 0o644 } },
} as const satisfies { readonly name: string; readonly kinds: KindDeclarations };

const tables = new WeakMap<readonly Target[], KindTable>();

/** Every kind `targets` and the manifest declare (an internal error when two declare one kind differently). */
export function compileKinds(targets: readonly Target[]): KindTable {
  let table = tables.get(targets);
  if (!table) tables.set(targets, (table = kindTable([...targets, MANIFEST_DECLARER])));
  return table;
}

/** Every kind a compile with the registered targets can emit. */
export const ARTIFACT_KINDS: readonly string[] = [...compileKinds(TARGETS).keys()];

/**
 * The pipeline's check of one artifact against its emitter's declarations: a kind it did not declare, or a mode
 * other than the declared one, is an internal error (a target bug), never written.
 */
export function assertDeclared(artifact: Artifact, declarer: { readonly name: string; readonly kinds: KindDeclarations }): void {
  const octal = (mode: number) => `0${mode.toString(8)}`;
  const kind = Object.hasOwn(declarer.kinds, artifact.kind) ? declarer.kinds[artifact.kind] : undefined;
  if (!kind) throw new Error(`internal: ${declarer.name} emitted ${artifact.path} of kind ${JSON.stringify(artifact.kind)}, which it does not declare (Target.kinds)`);
  if (artifact.mode !== kind.mode)
    throw new Error(`internal: ${declarer.name} emitted ${artifact.path} with mode ${octal(artifact.mode)}, but declares kind ${artifact.kind} with mode ${octal(kind.mode)}`);
}
