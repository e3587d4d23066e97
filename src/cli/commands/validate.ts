/** `sitewire validate`: load and check only; exit 0 without errors (warnings allowed), 1 otherwise. */
import type { SiteArgs } from "../args.js";
import { EXIT } from "../errors.js";
import type { CommandOutput } from "../output.js";
import { countDiagnostics, loadSites, plural, type Context } from "./common.js";

export async function validateCommand(args: SiteArgs, ctx: Context): Promise<CommandOutput> {
  const compiled = await loadSites(args, ctx, { validateOnly: true });
  const counts = countDiagnostics(compiled.results.length, compiled.diagnostics);
  return {
    exitCode: compiled.ok ? EXIT.ok : EXIT.invalid,
    diagnostics: compiled.diagnostics,
    sources: compiled.sources,
    data: {
      command: "validate",
      ok: compiled.ok,
      summary: counts,
      sites: compiled.results.map((r) => ({ file: r.file, site: r.site ?? null })),
    },
    // The diagnostics printer already counts problems; this line confirms success in every format.
    stdout: compiled.ok ? [`ok: ${plural(counts.files, "site file")} valid`] : [],
    stderr: [],
  };
}
