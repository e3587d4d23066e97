/**
 * Reusing earlier compiles: for each site file, the cache key of its text (with the compiler's fingerprint
 * and the options that change the result) and, when out/<site>/ still holds exactly what the compile with
 * that key produced, the cached summary instead of a compile. Only `compile` and `check` use it; a miss
 * of any kind (new text, new compiler, a file edited, removed or chmod-ed under out/) compiles in full.
 */
import { createHash } from "node:crypto";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { limiter, type Limiter } from "../writer/limit.js";
import { compilerFingerprint } from "./fingerprint.js";
import type { ModePolicy } from "../writer/modes.js";
import { fsClockNs, stampFiles, verifySite } from "./stamps.js";
import { cacheDirFor, cacheFileFor, loadCache, saveCache, type CachedFile, type CachedSite } from "./store.js";

export interface KeyedSource {
  readonly file: string;
  readonly text?: string;
}

export class ResultCache {
  private readonly slot: Limiter = limiter(64);
  private dirty = false;

  private constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly outDir: string,
    private readonly fingerprint: string,
    private readonly sites: Map<string, CachedSite>,
  ) {}

  /** The cache for `outDir` in the folder `env` asks for; undefined when caching is off. */
  static async open(env: Readonly<Record<string, string | undefined>>, outDir: string): Promise<ResultCache | undefined> {
    const dir = cacheDirFor(env);
    if (dir === undefined) return undefined;
    const fingerprint = await compilerFingerprint();
    const file = cacheFileFor(dir, outDir);
    return new ResultCache(dir, file, outDir, fingerprint, await loadCache(file, outDir, fingerprint));
  }

  keyOf(file: string, text: string, strict: boolean): string {
    return createHash("sha256").update(`${this.fingerprint}\0${file}\0${strict ? "strict" : "lenient"}\0`).update(text).digest("hex");
  }

  /** The sources whose output is still current, by file. Verifies every candidate's files on disk. */
  async current(sources: readonly KeyedSource[], strict: boolean, modes: ModePolicy): Promise<Map<string, CachedSite>> {
    const candidates = sources.flatMap((s) => {
      const entry = s.text === undefined ? undefined : this.sites.get(s.file);
      return entry && entry.key === this.keyOf(s.file, s.text!, strict) ? [[s.file, entry] as const] : [];
    });
    const clock = candidates.length > 0 ? await fsClockNs(this.outDir) : 0n;
    const verdicts = await Promise.all(candidates.map(([, entry]) => verifySite(this.outDir, entry, modes, this.slot, clock)));
    const hits = new Map<string, CachedSite>();
    candidates.forEach(([file, entry], i) => {
      const verdict = verdicts[i]!;
      if (!verdict.current) return;
      hits.set(file, verdict.refreshed ?? entry);
      if (verdict.refreshed) this.put(file, verdict.refreshed);
    });
    return hits;
  }

  /**
   * Remember that out/<site>/ now holds `files` (content known, stamps taken now) for this source.
   * `clock`: fsClockNs(outDir) before the run read out/ (`startedAt`) and after it wrote (`now`); `written`:
   * the paths of the site this run wrote (see stampFiles).
   */
  async record(
    source: { file: string; text: string },
    strict: boolean,
    site: string,
    diagnostics: readonly Diagnostic[],
    files: readonly Omit<CachedFile, "stamp">[],
    clock: { readonly startedAt: bigint; readonly now: bigint },
    written: ReadonlySet<string>,
  ): Promise<void> {
    const stamped = stampFiles(this.outDir, site, files, clock.startedAt, written);
    const clockNs = clock.now;
    this.put(source.file, { key: this.keyOf(source.file, source.text, strict), site, diagnostics, files: stamped, stampedAtNs: clockNs.toString() });
  }

  /** Now on the clock that stamps the files of out/ (fsClockNs). */
  clockNs(): Promise<bigint> {
    return fsClockNs(this.outDir);
  }

  async save(): Promise<void> {
    if (this.dirty) await saveCache(this.file, this.dir, this.outDir, this.fingerprint, this.sites);
    this.dirty = false;
  }

  private put(file: string, entry: CachedSite): void {
    this.sites.set(file, entry);
    this.dirty = true;
  }
}
