/**
 * Replace secret placeholders (`@@sitewire-secret:env:NAME@@`, `@@sitewire-secret:file:PATH@@`) in generated
 * files with the real values. Pure: the values come from an injected source, nothing is read or written here.
 *
 * Every value is checked against the syntax it lands in before anything is produced, and a refusal names the
 * file and the reference, never the value. Supported places, by artifact kind:
 *
 * - ipsec.secrets `PSK "…"`: the quoted string is taken literally up to the next `"` and cannot hold a line
 *   break (strongSwan src/libcharon/plugins/stroke/stroke_cred.c, extract_secret).
 * - swanctl.conf `secret = "…"`: the settings lexer turns `\x` into `x`, `\n` into a newline and joins lines
 *   ending in `\` (src/libstrongswan/settings/settings_lexer.l), so `\` is written as `\\`. swanctl then
 *   decodes a value starting with 0x as hex and 0s as base64 even inside quotes (src/swanctl/commands/
 *   load_creds.c, load_secret), where ipsec.secrets and other IKE peers read it literally.
 *
 * Refused everywhere: an empty value, `"`, line breaks and other control characters. Refused in swanctl.conf:
 * a value starting with 0x or 0s (either case), as it would silently become a different key there. Binary
 * keys in 0x/0s notation are therefore not supported: use a random printable key (e.g. 33 bytes base64
 * that does not start with "0s").
 */
import { PLACEHOLDER_RE } from "../model/values.js";

export interface TreeFile {
  /** Where the file goes (relative to the tree root). */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  /** Artifact kind from the manifest; decides the syntax the secret lands in. Guessed from the path when absent. */
  readonly kind?: string;
}

export interface MaterialisedFile extends TreeFile {
  /** References replaced in this file ("env:NAME", "file:PATH"), sorted, for reporting. */
  readonly references: readonly string[];
}

export interface SecretProblem {
  readonly path: string;
  /** "env:NAME" or "file:PATH". */
  readonly reference: string;
  /** What is wrong; never contains the value. */
  readonly message: string;
}

/** Where values come from. `undefined` means "not set / no such file". */
export interface SecretSource {
  env(name: string): string | undefined;
  file(path: string): string | undefined;
}

export type MaterialiseResult =
  | { readonly ok: true; readonly files: readonly MaterialisedFile[] }
  | { readonly ok: false; readonly problems: readonly SecretProblem[] };

type Syntax = "ipsec-secrets" | "swanctl";

const SECRET_MODE = 0o600;

/** Environment values as they are; a file's single trailing newline (as `echo key > file` leaves) is dropped. */
export function sourceFrom(env: Readonly<Record<string, string | undefined>>, readFile: (path: string) => string | undefined): SecretSource {
  return {
    env: (name) => env[name],
    file: (path) => readFile(path)?.replace(/\r?\n$/, ""),
  };
}

/** True when the content holds at least one placeholder. */
export function hasPlaceholders(content: string): boolean {
  return new RegExp(PLACEHOLDER_RE.source).test(content);
}

export function materialise(files: readonly TreeFile[], source: SecretSource): MaterialiseResult {
  const problems: SecretProblem[] = [];
  const out: MaterialisedFile[] = [];
  for (const file of files) {
    if (!hasPlaceholders(file.content)) {
      out.push({ ...file, references: [] });
      continue;
    }
    const syntax = syntaxOf(file);
    const references = new Set<string>();
    const content = file.content.replace(new RegExp(PLACEHOLDER_RE.source, "g"), (placeholder, kind: "env" | "file", ref: string, offset: number) => {
      const reference = `${kind}:${ref}`;
      references.add(reference);
      const problem = (message: string) => {
        problems.push({ path: file.path, reference, message });
        return placeholder;
      };
      if (!syntax) return problem("sitewire does not know how to write a secret into this kind of file");
      if (file.content[offset - 1] !== '"' || file.content[offset + placeholder.length] !== '"')
        return problem("the placeholder is not a whole double-quoted string in this file");
      const value = kind === "env" ? source.env(ref) : source.file(ref);
      if (value === undefined) return problem(kind === "env" ? "the environment variable is not set" : "the file does not exist or cannot be read");
      const refusal = refuse(value, syntax);
      if (refusal) return problem(refusal);
      return syntax === "swanctl" ? value.replace(/\\/g, "\\\\") : value;
    });
    out.push({ ...file, content, mode: SECRET_MODE, references: [...references].sort() });
  }
  return problems.length > 0 ? { ok: false, problems: dedupe(problems) } : { ok: true, files: out };
}

/** Why `value` cannot be written into `syntax`, in words that do not repeat the value. */
function refuse(value: string, syntax: Syntax): string | undefined {
  if (value.length === 0) return "the value is empty";
  if (/[\r\n]/.test(value)) return "the value contains a line break";
  if (/[\u0000-\u001f\u007f]/.test(value)) return "the value contains a control character";
  if (value.includes('"')) return 'the value contains a double quote ("), which a strongSwan quoted string cannot hold';
  if (syntax === "swanctl" && /^0[xs]/i.test(value))
    return "the value starts with 0x or 0s, which swanctl.conf decodes as hex or base64 while ipsec.secrets and the peer read it literally";
  return undefined;
}

function syntaxOf(file: TreeFile): Syntax | undefined {
  switch (file.kind) {
    case "strongswan-secrets":
      return "ipsec-secrets";
    case "swanctl-conf":
      return "swanctl";
    case undefined:
      if (/(^|\/)ipsec\.secrets$/.test(file.path)) return "ipsec-secrets";
      if (/(^|\/)swanctl\/(conf\.d\/)?[^/]+\.conf$/.test(file.path)) return "swanctl";
      return undefined;
    default:
      return undefined;
  }
}

function dedupe(problems: SecretProblem[]): SecretProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.reference}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
