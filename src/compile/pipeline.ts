/**
 * The compiler: load → shape check → resolve → meaning check → model → emit. Pure: text in, artifacts and
 * diagnostics out. Only src/writer touches the disk.
 */
import { createHash } from "node:crypto";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { loadSource } from "../intent/load.js";
import { checkShape } from "../intent/shape.js";
import { recoverIntent } from "../intent/recover.js";
import type { SourceFile } from "../intent/source.js";
import type { SiteIntent } from "../intent/schema.js";
import { resolveSite } from "../model/resolve.js";
import { checkMeaning } from "../rules/index.js";
import { TARGETS } from "../targets/registry.js";
import type { Artifact, Target } from "../targets/target.js";
import type { SiteModel } from "../model/types.js";
import { buildManifest } from "./manifest.js";

export interface CompileOptions {
  /** Weak-crypto and similar warnings become errors. */
  readonly strict?: boolean;
  /** Stop after the meaning checks (validate). */
  readonly validateOnly?: boolean;
  readonly targets?: readonly Target[];
}

export interface SiteResult {
  readonly file: string;
  readonly site?: string;
  readonly model?: SiteModel;
  /** Every artifact of the site, manifest.json last; empty when there are errors. */
  readonly artifacts: readonly Artifact[];
  readonly diagnostics: readonly Diagnostic[];
}

export function compileSource(file: string, text: string, options: CompileOptions = {}): SiteResult {
  // The path is copied into every artifact's header comment: it must be as inert as any intent value.
  if (UNSAFE_PATH.test(file)) {
    const shown = JSON.stringify(file).slice(1, -1);
    return { file: shown, artifacts: [], diagnostics: [{ code: "SW001", severity: "error", file: shown, message: "the file's path contains control characters or '@@', which sitewire will not copy into artifacts", hint: "rename the file or folder" }] };
  }
  const loaded = loadSource(file, text);
  if (!loaded.source || hasErrors(loaded.diagnostics)) return { file, artifacts: [], diagnostics: loaded.diagnostics };
  const source = loaded.source;

  const sha256 = createHash("sha256").update(text).digest("hex");
  const shaped = checkShape(source, loaded.data);
  if (!shaped.intent) {
    // Keep going on what the schema accepted, so every independent mistake is reported in this run.
    const recovered = recoverIntent(file, loaded.data, shaped.failures);
    const more = recovered ? understand(source, recovered.intent, sha256, options).diagnostics.filter((d) => !mentionsAny(d.message, recovered.dropped)) : [];
    return { file, artifacts: [], diagnostics: [...loaded.diagnostics, ...shaped.diagnostics, ...more] };
  }
  const intent = shaped.intent;

  const { model: resolvedModel, diagnostics: meaning } = understand(source, intent, sha256, options);
  const diagnostics = [...loaded.diagnostics, ...meaning];
  if (hasErrors(diagnostics)) return { file, site: intent.site, artifacts: [], diagnostics };

  const model = deepFreeze(resolvedModel);
  if (options.validateOnly) return { file, site: model.name, model, artifacts: [], diagnostics };
  const artifacts = emitAll(model, options.targets ?? TARGETS);
  return { file, site: model.name, model, artifacts: [...artifacts, buildManifest(model, artifacts)], diagnostics };
}

/** Resolve and check meaning: the middle of the compiler. */
function understand(source: SourceFile, intent: SiteIntent, sha256: string, options: CompileOptions) {
  const resolved = resolveSite(source, intent, sha256);
  const meaning = checkMeaning({ source, intent, model: resolved.model, strict: options.strict ?? false });
  return { model: resolved.model, diagnostics: [...resolved.diagnostics, ...meaning] };
}

/** Does a message name one of `names` (quoted as 'name')? Such diagnostics are cascades of a dropped entry. */
function mentionsAny(message: string, names: ReadonlySet<string>): boolean {
  for (const m of message.matchAll(/'([^']+)'/g)) if (names.has(m[1]!)) return true;
  return false;
}

/** Run every target and check the contract each must meet (safe unique paths, LF, one trailing newline). */
export function emitAll(model: SiteModel, targets: readonly Target[]): Artifact[] {
  const seen = new Map<string, string>();
  const out: Artifact[] = [];
  const run = (target: Target, emitted: readonly Artifact[]) => {
    for (const artifact of target.emit(model, emitted)) {
      assertSafePath(artifact.path, target.name);
      const other = seen.get(artifact.path);
      if (other) throw new Error(`internal: targets ${other} and ${target.name} both emit ${artifact.path}`);
      seen.set(artifact.path, target.name);
      if (!artifact.content.endsWith("\n") || artifact.content.includes("\r"))
        throw new Error(`internal: ${target.name} emitted ${artifact.path} without a final LF or with CR`);
      out.push({ ...artifact, target: target.name });
    }
  };
  for (const target of targets) if (!target.late) run(target, []);
  const early = [...out];
  for (const target of targets) if (target.late) run(target, early);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const UNSAFE_PATH = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|@@/;

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;

function assertSafePath(path: string, target: string): void {
  const ok = path.split("/").every((s) => SAFE_SEGMENT.test(s) && s !== "." && s !== "..");
  if (!ok || path === "manifest.json") throw new Error(`internal: ${target} emitted an unsafe path ${JSON.stringify(path)}`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
