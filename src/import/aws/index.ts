/**
 * `sitewire import aws-vpn`, without I/O: the JSON text AWS or Terraform printed → the intent's YAML text,
 * the diagnostics (positioned in that JSON), and the environment variables the intent references for the
 * pre-shared keys with the commands that set them. No key value is ever part of the result.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { renderIntent } from "../intent-doc.js";
import { importDiagnostic, readJsonInput } from "../source.js";
import { awsIntent, type AwsIntentOptions, type SecretExport } from "./intent.js";
import { readAws } from "./read.js";

export { CUSTOMER_KINDS, type CustomerKind } from "./intent.js";

export interface ImportResult {
  /** The YAML to write; undefined when there are errors. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly secrets: readonly SecretExport[];
  /** Names of what was imported, for the summary line. */
  readonly imported: readonly string[];
  readonly tunnels: number;
}

export function importAwsVpn(file: string, json: string, options: AwsIntentOptions): ImportResult {
  const { input, diagnostics: parseProblems } = readJsonInput(file, json);
  if (!input) return { diagnostics: parseProblems, secrets: [], imported: [], tunnels: 0 };
  const read = readAws(input);
  const built = read.connections.length > 0 ? awsIntent(input, read.connections, options) : undefined;
  const diagnostics = sortDiagnostics([...read.diagnostics, ...(built?.diagnostics ?? [])]);
  const count = Object.keys((built?.intent["tunnels"] as object | undefined) ?? {}).length;
  if (!built || hasErrors(diagnostics) || count === 0) {
    const none = hasErrors(diagnostics) ? [] : [importDiagnostic("SW400", "error", "no tunnel could be imported", file)];
    return { diagnostics: [...diagnostics, ...none], secrets: [], imported: read.connections.map((c) => c.id), tunnels: 0 };
  }
  return {
    text: renderIntent(built.header, built.intent, built.comments),
    diagnostics,
    secrets: built.secrets,
    imported: read.connections.map((c) => c.id),
    tunnels: built.secrets.length,
  };
}
