/** `sitewire schema [--write]`: the JSON Schema of site files, printed or written to schema/site.schema.json. */
import { resolve } from "node:path";
import { siteSchemaJson } from "../../intent/schema.js";
import { writeFileIfChanged } from "../../writer/disk.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";

export const SCHEMA_PATH = "schema/site.schema.json";

export async function schemaCommand(write: boolean, io: CliIo): Promise<number> {
  const schema = siteSchemaJson();
  if (!write) {
    io.stdout.write(schema);
    return EXIT.ok;
  }
  const changed = await writeFileIfChanged(resolve(io.cwd, SCHEMA_PATH), schema);
  io.stdout.write(changed ? `wrote ${SCHEMA_PATH}\n` : `${SCHEMA_PATH} is up to date\n`);
  return EXIT.ok;
}
