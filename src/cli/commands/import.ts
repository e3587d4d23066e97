/**
 * `sitewire import aws-vpn [FILE|-]` and `sitewire import netbox (--url URL | --from-dir DIR)`: write an intent
 * from what AWS or NetBox already holds (src/import). The intent goes to --out FILE (never over an existing
 * file unless --force) or to stdout; diagnostics, the summary and the commands that set the pre-shared key
 * variables go to stderr (--format json: one JSON object on stdout). Exit 0 written (warnings allowed), 1
 * errors in the imported data or an API failure (one line, no stack), 64 a bad command line.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { EXIT, UsageError } from "../errors.js";
import { colorEnabled, type CliIo } from "../io.js";
import { printOutput } from "../output.js";
import { parseOptions } from "../parse-options.js";
import { PLATFORM_DECLARATIONS } from "../../targets/platforms.js";

export const IMPORT_SOURCES = ["aws-vpn", "netbox"] as const;
const FORMATS = ["text", "json"] as const;
/** `--customer`: a Linux host or a far-side platform by its registry import name (src/import/aws/intent.ts CUSTOMER_KINDS). */
const CUSTOMERS: readonly string[] = ["host", ...PLATFORM_DECLARATIONS.map((p) => p.imports.customer)];

interface Common {
  readonly out?: string;
  readonly force: boolean;
  readonly name?: string;
  readonly format: (typeof FORMATS)[number];
  readonly noColor: boolean;
  readonly os: "debian" | "rhel";
}

export type ImportArgs =
  | (Common & {
      readonly source: "aws-vpn";
      /** undefined or "-": standard input. */
      readonly file?: string;
      readonly site?: string;
      readonly customer: string;
      readonly host?: string;
      readonly hostAddress?: string;
      readonly interface?: string;
    })
  | (Common & {
      readonly source: "netbox";
      readonly url?: string;
      readonly fromDir?: string;
      readonly tokenEnv: string;
      readonly netboxSite?: string;
      readonly tag?: string;
      readonly timeoutSeconds: number;
    });

const COMMON_OPTIONS = {
  out: { type: "string" },
  force: { type: "boolean" },
  name: { type: "string" },
  os: { type: "string" },
  format: { type: "string" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** undefined: --help. */
export function parseImportArgs(rest: readonly string[]): ImportArgs | undefined {
  const [source, ...args] = rest;
  if (source === "-h" || source === "--help" || source === undefined) {
    if (source === undefined) throw new UsageError(`import needs a source: ${IMPORT_SOURCES.join(" or ")}`, "import");
    return undefined;
  }
  if (!(IMPORT_SOURCES as readonly string[]).includes(source)) throw new UsageError(`unknown import source '${source}' (sources: ${IMPORT_SOURCES.join(", ")})`, "import");
  if (source === "aws-vpn") {
    const { values, positionals } = parseOptions("import", args, {
      ...COMMON_OPTIONS,
      site: { type: "string" },
      customer: { type: "string" },
      host: { type: "string" },
      "host-address": { type: "string" },
      interface: { type: "string" },
    }, true);
    if (values.help) return undefined;
    if (positionals.length > 1) throw new UsageError(`import aws-vpn takes one input file (got ${positionals.length})`, "import");
    const customer = values.customer ?? "host";
    if (!CUSTOMERS.includes(customer)) throw new UsageError(`--customer must be one of ${CUSTOMERS.join(", ")} (got '${customer}')`, "import");
    if (values["host-address"] !== undefined && customer !== "host") throw new UsageError("--host-address is for --customer host (a device's address comes from AWS)", "import");
    if (values.interface !== undefined && customer === "host") throw new UsageError("--interface is for a customer device (--customer ios|juniper-srx|fortigate|paloalto-panos)", "import");
    if (values["host-address"] !== undefined && !/^[0-9a-fA-F.:]+(?:\/[0-9]{1,3})?$/.test(values["host-address"])) throw new UsageError(`--host-address '${values["host-address"]}' is not an address`, "import");
    if (values.interface !== undefined && !/^[A-Za-z0-9/._-]{1,40}$/.test(values.interface)) throw new UsageError(`--interface '${values.interface}' is not an interface name`, "import");
    return {
      source,
      ...common(values),
      ...(positionals[0] !== undefined && positionals[0] !== "-" ? { file: positionals[0] } : {}),
      ...(values.site !== undefined ? { site: values.site } : {}),
      customer: customer as string,
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values["host-address"] !== undefined ? { hostAddress: values["host-address"] } : {}),
      ...(values.interface !== undefined ? { interface: values.interface } : {}),
    };
  }
  const { values, positionals } = parseOptions("import", args, {
    ...COMMON_OPTIONS,
    url: { type: "string" },
    "from-dir": { type: "string" },
    "token-env": { type: "string" },
    site: { type: "string" },
    tag: { type: "string" },
    timeout: { type: "string" },
  }, false);
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, "import");
  if ((values.url === undefined) === (values["from-dir"] === undefined)) throw new UsageError("import netbox needs exactly one of --url URL and --from-dir DIR", "import");
  if ((values.site === undefined) === (values.tag === undefined)) throw new UsageError("import netbox needs exactly one of --site SLUG and --tag SLUG", "import");
  for (const slug of [values.site, values.tag]) if (slug !== undefined && !/^[-a-zA-Z0-9_]{1,100}$/.test(slug)) throw new UsageError(`'${slug}' is not a NetBox slug`, "import");
  if (values.url !== undefined && !/^https?:\/\/[^\s]+$/.test(values.url)) throw new UsageError(`--url must be an http(s) URL (got '${values.url}')`, "import");
  const tokenEnv = values["token-env"] ?? "NETBOX_TOKEN";
  if (!/^[A-Z_][A-Z0-9_]{0,127}$/.test(tokenEnv)) throw new UsageError(`--token-env must name an environment variable (got '${tokenEnv}')`, "import");
  const timeout = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) throw new UsageError(`--timeout must be seconds between 0 and 3600 (got '${values.timeout}')`, "import");
  return {
    source: "netbox",
    ...common(values),
    ...(values.url !== undefined ? { url: values.url } : {}),
    ...(values["from-dir"] !== undefined ? { fromDir: values["from-dir"] } : {}),
    tokenEnv,
    ...(values.site !== undefined ? { netboxSite: values.site } : {}),
    ...(values.tag !== undefined ? { tag: values.tag } : {}),
    timeoutSeconds: timeout,
  };
}

function common(values: { out?: string; force?: boolean; name?: string; os?: string; format?: string; "no-color"?: boolean }): Common {
  const format = values.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got '${format}')`, "import");
  const os = values.os ?? "debian";
  if (os !== "debian" && os !== "rhel") throw new UsageError(`--os must be debian or rhel (got '${os}')`, "import");
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out needs a file", "import");
  return {
    ...(values.out !== undefined ? { out: values.out } : {}),
    force: values.force === true,
    ...(values.name !== undefined ? { name: values.name } : {}),
    format: format as Common["format"],
    noColor: values["no-color"] === true,
    os,
  };
}

/**
 * The site name: --name, else the --out file's name (sites/<site>.yaml must match), else `fallback`; checked
 * against the schema's name pattern here, at run time (parsing the command line loads no intent module).
 */
function siteName(args: Common, fallback: string, namePattern: string): string {
  const name = args.name ?? (args.out ? basename(args.out).replace(/\.ya?ml$/, "") : fallback);
  if (!new RegExp(namePattern).test(name))
    throw new UsageError(args.name ? `--name '${name}' is not a sitewire name (lowercase letters, digits, -)` : `the site name comes from --out's file name, and '${name}' is not a sitewire name: give --name`, "import");
  return name;
}

const MAX_INPUT = 64 * 1024 * 1024;

async function readInput(file: string | undefined, io: CliIo): Promise<{ name: string; text: string }> {
  if (file === undefined) {
    if (process.stdin.isTTY) throw new UsageError("give the JSON file, or pipe it in (aws ec2 describe-vpn-connections … | sitewire import aws-vpn)", "import");
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > MAX_INPUT) throw new ImportFailure("standard input is larger than 64 MiB");
      chunks.push(chunk as Buffer);
    }
    return { name: "<stdin>", text: Buffer.concat(chunks).toString("utf8") };
  }
  try {
    return { name: file, text: await readFile(resolve(io.cwd, file), "utf8") };
  } catch (err) {
    throw new ImportFailure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** An expected failure: one line on stderr, exit 1. */
export class ImportFailure extends Error {
  override readonly name = "ImportFailure";
}

export async function importCommand(args: ImportArgs, io: CliIo): Promise<number> {
  const color = colorEnabled(io.stderr, io.env, args.noColor);
  const command = `import ${args.source}`;
  const fail = (message: string, diagnostics: readonly Diagnostic[] = []): number => {
    printOutput(
      { exitCode: EXIT.invalid, diagnostics, sources: new Map(), data: { command, ok: false, ...(message ? { error: message } : {}) }, stdout: [], stderr: message ? [`sitewire: ${message}\n`] : [] },
      args.format,
      io,
      color,
    );
    return EXIT.invalid;
  };
  try {
    const { NAME_PATTERN } = await import("../../intent/patterns.js");
    if (args.source === "aws-vpn" && args.host !== undefined && !new RegExp(NAME_PATTERN).test(args.host))
      throw new UsageError(`--host '${args.host}' is not a sitewire name (lowercase letters, digits, -)`, "import");
    let result: { text?: string; diagnostics: readonly Diagnostic[]; secrets: readonly { env: string; tunnel: string; command: string; terraformVariable?: string }[]; imported: readonly string[]; tunnels: number; notes?: readonly string[] };
    if (args.source === "aws-vpn") {
      const input = await readInput(args.file, io);
      let existing: Record<string, unknown> | undefined;
      if (args.site !== undefined) {
        let text: string;
        try {
          text = await readFile(resolve(io.cwd, args.site), "utf8");
        } catch (err) {
          throw new ImportFailure(`cannot read ${args.site}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        let parsed: unknown;
        try {
          // Loaded when needed; yaml is CommonJS, so a bundled dynamic import yields it as `default`.
          const yaml = (await import("yaml")) as typeof import("yaml") & { default?: typeof import("yaml") };
          parsed = (yaml.default ?? yaml).parse(text);
        } catch {
          throw new ImportFailure(`${args.site} is not valid YAML: run 'sitewire validate ${args.site}' first`);
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ImportFailure(`${args.site} is not a site file`);
        existing = parsed as Record<string, unknown>;
      }
      const { importAwsVpn } = await import("../../import/aws/index.js");
      result = importAwsVpn(input.name, input.text, {
        site: args.site !== undefined ? String(existing?.["site"] ?? "site") : siteName(args, "aws-vpn-import", NAME_PATTERN),
        customer: args.customer,
        ...(args.host !== undefined ? { hostName: args.host } : {}),
        ...(args.hostAddress !== undefined ? { hostAddress: args.hostAddress } : {}),
        os: args.os,
        ...(args.interface !== undefined ? { interface: args.interface } : {}),
        ...(existing ? { existing } : {}),
        ...(args.file !== undefined ? { inputPath: args.file } : {}),
      });
    } else {
      const { importNetbox } = await import("../../import/netbox/index.js");
      result = await importNetbox({
        ...(args.url !== undefined ? { url: args.url, token: io.env[args.tokenEnv], tokenEnv: args.tokenEnv } : {}),
        ...(args.fromDir !== undefined ? { fromDir: resolve(io.cwd, args.fromDir), fromDirShown: args.fromDir } : {}),
        ...(args.netboxSite !== undefined ? { site: args.netboxSite } : {}),
        ...(args.tag !== undefined ? { tag: args.tag } : {}),
        timeoutMs: args.timeoutSeconds * 1000,
        siteName: siteName(args, nameFromSlug(args.netboxSite ?? args.tag ?? "netbox-import"), NAME_PATTERN),
        os: args.os,
        progress: args.format === "text" && io.stderr.isTTY === true ? io.stderr : undefined,
      });
    }

    if (result.text === undefined || hasErrors(result.diagnostics)) return fail("", result.diagnostics);
    let written: string | undefined;
    if (args.out !== undefined) {
      written = args.out;
      await writeIntent(resolve(io.cwd, args.out), result.text, args.force);
    }
    const stderr: string[] = [];
    const what = `${result.tunnels} tunnel${result.tunnels === 1 ? "" : "s"} from ${result.imported.join(", ")}`;
    stderr.push(written ? `sitewire: wrote ${written} (${what})\n` : `sitewire: imported ${what}\n`);
    for (const n of result.notes ?? []) stderr.push(`${n}\n`);
    if (result.secrets.length > 0) {
      const lines = [
        "Pre-shared keys are not written anywhere: the intent references these environment variables.",
        "Set them from the source (the commands print nothing) before `sitewire secrets` or the playbook:",
        ...result.secrets.flatMap((s) => [`  ${s.command}`, ...(s.terraformVariable ? [`  export ${s.terraformVariable}="$${s.env}"`] : [])]),
      ];
      stderr.push(lines.join("\n") + "\n");
    }
    printOutput(
      {
        exitCode: EXIT.ok,
        diagnostics: result.diagnostics,
        sources: new Map(),
        data: {
          command,
          ok: true,
          ...(written ? { written } : { intent: result.text }),
          imported: result.imported,
          secrets: result.secrets,
        },
        stdout: written ? [] : [result.text],
        stderr: args.format === "json" ? [] : stderr,
      },
      args.format,
      io,
      color,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ImportFailure || (err as Error).name === "NetboxError") return fail((err as Error).message);
    if (err instanceof UsageError) {
      io.stderr.write(`sitewire: ${err.message}\nRun 'sitewire import --help' for usage.\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

/** A NetBox slug (fra1, Frankfurt_1) as a site name. */
function nameFromSlug(slug: string): string {
  return slug.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").replace(/-+$/, "").slice(0, 40) || "netbox-import";
}

/** Write the intent file: a new file (refused if it exists, unless --force), replaced atomically. */
async function writeIntent(path: string, text: string, force: boolean): Promise<void> {
  if (!force) {
    try {
      await writeFile(path, text, { flag: "wx", mode: 0o644 });
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw new ImportFailure(`${basename(path)} exists: give another --out, or --force to replace it`);
      throw new ImportFailure(`cannot write ${path}: ${code ?? (err as Error).message}`);
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.sitewire-tmp-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(tmp, text, { flag: "wx", mode: 0o644 });
    await rename(tmp, path);
  } catch (err) {
    throw new ImportFailure(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
