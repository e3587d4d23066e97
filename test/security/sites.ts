/** The intents the security suites start from: the example sites and the fixture sites, as `sites/<name>.yaml`. */
import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";

export interface SiteText {
  /** The path compileSource is given (the site name must equal the file name). */
  readonly file: string;
  readonly text: string;
  /** One of the two example sites in sites/ (the others are test fixtures). */
  readonly example: boolean;
}

const ROOT = new URL("../../", import.meta.url);

function read(folder: string, example: boolean): SiteText[] {
  return readdirSync(new URL(folder, ROOT))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ file: `sites/${basename(f)}`, text: readFileSync(new URL(`${folder}/${f}`, ROOT), "utf8"), example }));
}

export function securitySites(): SiteText[] {
  return [...read("sites", true), ...read("test/fixtures/sites", false)];
}
