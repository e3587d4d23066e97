/**
 * How src/model/strongswan-keywords.ts was made (test-only tool): it reads strongSwan's gperf keyword table
 * `src/libstrongswan/crypto/proposal/proposal_keywords_static.txt` (every line after `%%` is
 * `name, TRANSFORM_TYPE, ALGORITHM, keysize`) and prints the TypeScript data module, keywords in upstream
 * order. To refresh it for a newer strongSwan:
 *
 *   curl -o /tmp/kw.txt https://raw.githubusercontent.com/strongswan/strongswan/<commit>/src/libstrongswan/crypto/proposal/proposal_keywords_static.txt
 *   npm run build:test && node dist-test/test/vocabulary/generate-strongswan-keywords.js /tmp/kw.txt <commit> > src/model/strongswan-keywords.ts
 *
 * then read the diff: a new keyword is accepted by the schema and the rules at once (src/model/crypto.ts
 * classifies it from its transform type and algorithm name), so decide whether it needs an exclusion there
 * and a platform mapping in src/targets/ios/translate.ts. test/vocabulary/strongswan-keywords.test.ts proves
 * the checked-in module is exactly this function's output for its own data.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export interface KeywordLine {
  readonly name: string;
  readonly type: string;
  readonly algorithm: string;
  readonly keySize: number;
}

const TYPES = ["ENCRYPTION_ALGORITHM", "INTEGRITY_ALGORITHM", "PSEUDO_RANDOM_FUNCTION", "KEY_EXCHANGE_METHOD", "EXTENDED_SEQUENCE_NUMBERS"];

/** The keyword lines of the gperf file (after the `%%` separator). */
export function parseKeywordTable(text: string): KeywordLine[] {
  const body = text.split(/^%%$/m)[1];
  if (body === undefined) throw new Error("no %% separator: not a gperf keyword file");
  return body
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([a-z0-9_]+),\s*([A-Z_]+),\s*([A-Z0-9_]+),\s*(\d+)$/.exec(line);
      if (!m || !TYPES.includes(m[2]!)) throw new Error(`unexpected keyword line: ${line}`);
      return { name: m[1]!, type: m[2]!, algorithm: m[3]!, keySize: Number(m[4]) };
    });
}

export function renderKeywordModule(lines: readonly KeywordLine[], commit: string): string {
  const body = lines.map((l) => `  ["${l.name}", { type: "${l.type}", algorithm: "${l.algorithm}", keySize: ${l.keySize} }],`);
  return [
    "/**",
    " * strongSwan's proposal keywords, as strongSwan itself parses them. GENERATED: do not edit by hand; see",
    " * test/vocabulary/generate-strongswan-keywords.ts for how to refresh it.",
    " *",
    " * Source: strongswan/strongswan src/libstrongswan/crypto/proposal/proposal_keywords_static.txt at commit",
    ` * ${commit} (the gperf table behind proposal_create_from_string()).`,
    " * keySize is strongSwan's: the key length in bits, 0 where the algorithm has one fixed size.",
    " * Which of these sitewire accepts, and how each is classified, is decided in ./crypto.ts.",
    " */",
    "",
    `export const KEYWORDS_COMMIT = "${commit}";`,
    "",
    `export type TransformType = ${TYPES.map((t) => `"${t}"`).join(" | ")};`,
    "",
    "export interface StrongswanKeyword {",
    "  readonly type: TransformType;",
    "  /** strongSwan's enum name (transform.h, crypter.h, signer.h, prf.h, key_exchange.h). */",
    "  readonly algorithm: string;",
    "  readonly keySize: number;",
    "}",
    "",
    "export const STRONGSWAN_KEYWORDS: ReadonlyMap<string, StrongswanKeyword> = new Map<string, StrongswanKeyword>([",
    ...body,
    "]);",
    "",
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, commit] = process.argv.slice(2);
  if (!file || !commit || !/^[0-9a-f]{40}$/.test(commit)) {
    process.stderr.write("usage: generate-strongswan-keywords <proposal_keywords_static.txt> <40-hex commit>\n");
    process.exit(64);
  }
  process.stdout.write(renderKeywordModule(parseKeywordTable(readFileSync(file, "utf8")), commit));
}
