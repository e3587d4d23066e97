/**
 * The front of the compiler: load → shape check → resolve → meaning check → the frozen site model. Pure: text
 * in, model and diagnostics out. `validate` stops here, so nothing this module imports may reach the emitters
 * (src/targets, handlebars, templates): pipeline.ts adds them.
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
import { PLATFORM_DECLARATIONS } from "../targets/platforms.js";
import type { SiteModel } from "../model/types.js";

export interface AnalyseOptions {
  /** Weak-crypto and similar warnings become errors. */
  readonly strict?: boolean;
}

export interface SiteAnalysis {
  readonly file: string;
  readonly site?: string;
  /** Deeply frozen; present only when there are no errors. */
  readonly model?: SiteModel;
  readonly diagnostics: readonly Diagnostic[];
}

export function analyseSource(file: string, text: string, options: AnalyseOptions = {}): SiteAnalysis {
  return analyseWithContext(file, text, options).analysis;
}

/**
 * analyseSource, also handing back the loaded source and the shape-checked intent when there is a model: the
 * post-emit check (./deliverability.ts) reports with them. Kept out of SiteAnalysis, which results keep.
 */
export function analyseWithContext(file: string, text: string, options: AnalyseOptions = {}): { analysis: SiteAnalysis; source?: SourceFile; intent?: SiteIntent } {
  // The path is copied into every artifact's header comment: it must be as inert as any intent value.
  if (UNSAFE_PATH.test(file)) {
    const shown = JSON.stringify(file).slice(1, -1);
    return { analysis: { file: shown, diagnostics: [{ code: "SW001", severity: "error", file: shown, message: "the file's path contains control characters or '@@', which sitewire will not copy into artifacts", hint: "rename the file or folder" }] } };
  }
  const loaded = loadSource(file, text);
  if (!loaded.source || hasErrors(loaded.diagnostics)) return { analysis: { file, diagnostics: loaded.diagnostics } };
  const source = loaded.source;

  const sha256 = createHash("sha256").update(text).digest("hex");
  const shaped = checkShape(source, loaded.data);
  if (!shaped.intent) {
    // Keep going on what the schema accepted, so every independent mistake is reported in this run.
    const recovered = recoverIntent(file, loaded.data, shaped.failures, source);
    const more = recovered ? understand(recovered.source ?? source, recovered.intent, sha256, options).diagnostics.filter((d) => !mentionsAny(d.message, recovered.dropped)) : [];
    return { analysis: { file, diagnostics: [...loaded.diagnostics, ...shaped.diagnostics, ...more] } };
  }
  const intent = shaped.intent;

  const { model, diagnostics: meaning } = understand(source, intent, sha256, options);
  const diagnostics = [...loaded.diagnostics, ...meaning];
  if (hasErrors(diagnostics)) return { analysis: { file, site: intent.site, diagnostics } };
  return { analysis: { file, site: model.name, model: deepFreeze(model), diagnostics }, source, intent };
}

/** Resolve and check meaning: the middle of the compiler. */
function understand(source: SourceFile, intent: SiteIntent, sha256: string, options: AnalyseOptions) {
  const resolved = resolveSite(source, intent, sha256);
  const meaning = checkMeaning({ source, intent, model: resolved.model, strict: options.strict ?? false, platforms: PLATFORM_DECLARATIONS });
  return { model: resolved.model, diagnostics: [...resolved.diagnostics, ...meaning] };
}

/** Does a message name one of `names` (quoted as 'name')? Such diagnostics are cascades of a dropped entry. */
function mentionsAny(message: string, names: ReadonlySet<string>): boolean {
  for (const m of message.matchAll(/'([^']+)'/g)) if (names.has(m[1]!)) return true;
  return false;
}

const UNSAFE_PATH = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|@@/;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
