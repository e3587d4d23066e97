/**
 * Shape check: the loaded data against the intent schema (the validator ajv generated at build time, all
 * errors: ./validator.ts), each error turned into one well-placed diagnostic that speaks the intent's
 * language ("tunnel 'vpn1' is missing required key 'psk'") rather than JSON Schema's ("must have required
 * property 'psk'").
 *
 * Secrets: nothing under a `psk` key is ever echoed, and a scalar `psk` (a pasted secret) is one SW017.
 */
import { foreignKeyHint } from "./foreign-keys.js";
import type { AnySchemaObject, ErrorObject } from "ajv";
import { escapeControlChars } from "../diagnostics/format.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import { sortDiagnostics, type Diagnostic, type Range } from "../diagnostics/diagnostic.js";
import { secretLineDetector } from "./load.js";
import {
  CIDR_PATTERN,
  CLOUD_GATEWAY_ID_PATTERN,
  CLOUD_REGION_PATTERN,
  DEVICE_INTERFACE_PATTERN,
  DEVICE_PATTERN,
  DURATION_PATTERN,
  ENV_NAME_PATTERN,
  IPTABLES_CHAIN_PATTERN,
  IDENTITY_PATTERN,
  IP_OPTIONAL_LENGTH_PATTERN,
  IP_PATTERN,
  IPV6_OPTIONAL_LENGTH_PATTERN,
  IPV4_PATTERN,
  K8S_NAME_PATTERN,
  NAME_PATTERN,
  TEXT_PATTERN,
  PORT_PATTERN,
  PORT_RANGE_PATTERN,
  PROPOSAL_PATTERN,
  REF_PATTERN,
  SECRET_FILE_PATTERN,
} from "./patterns.js";
import { exceededLimits, fmt, type LimitExceeded } from "./limits.js";
import type { SiteIntent } from "./schema.js";
import { locate, type IntentPath, type SourceFile } from "./source.js";
import { siteValidator } from "./validator.js";

export interface ShapeResult {
  readonly intent?: SiteIntent;
  readonly diagnostics: Diagnostic[];
  /** Where the schema failed (for error recovery): the instance path and, for unknown keys, the key. */
  readonly failures: readonly ShapeFailure[];
}

export interface ShapeFailure {
  readonly path: readonly string[];
  readonly extraKey?: string;
  /** The one item of the list at `path` that fails (the later of two duplicates). */
  readonly item?: number;
}

/** Where `data` fails the schema or an expansion limit (empty when it is valid), without building diagnostics. */
export function shapeFailures(data: unknown): ShapeFailure[] {
  const validate = siteValidator();
  const errors = validate(data) ? [] : (validate.errors ?? []);
  return [...failuresOf(errors), ...exceededLimits(data).map(limitFailure)];
}

/**
 * The failures to recover from, judged as the diagnostics are: a union (a list or "agent-defaults") whose
 * value fits one branch fails where that branch fails (one bad item of the list), not as a whole.
 */
function failuresOf(errors: readonly ErrorObject[]): ShapeFailure[] {
  return groupUnionErrors(errors).flatMap((p) => {
    if (p.kind === "single") return [toFailure(p.error)];
    const only = fittingBranch(p.error);
    const inBranch = only === undefined ? [] : (p.branches.get(only) ?? []).filter((e) => !UNION_KEYWORDS.has(e.keyword));
    return inBranch.length > 0 ? inBranch.map(toFailure) : [toFailure(p.error)];
  });
}

/** The one non-constant branch of a union whose type fits the value, if there is exactly one. */
function fittingBranch(union: ErrorObject): number | undefined {
  const options = unionOptions(union.parentSchema ?? {});
  if (options.every(isConstSchema)) return undefined;
  const fitting = [...options.keys()].filter((i) => typeFits(options[i] ?? {}, union.data));
  const [only] = fitting;
  return fitting.length === 1 && only !== undefined && !isConstSchema(options[only] ?? {}) ? only : undefined;
}

function toFailure(e: ErrorObject): ShapeFailure {
  return {
    path: e.instancePath.split("/").slice(1).map((seg) => seg.replace(/~1/g, "/").replace(/~0/g, "~")),
    ...(e.keyword === "additionalProperties" ? { extraKey: String((e.params as { additionalProperty?: unknown }).additionalProperty) } : {}),
    ...(e.keyword === "uniqueItems" ? { item: Math.max(Number((e.params as { i?: unknown }).i), Number((e.params as { j?: unknown }).j)) } : {}),
  };
}

function limitFailure(e: LimitExceeded): ShapeFailure {
  return { path: e.path.map(String) };
}

/**
 * The schema, then the expansion limits (./limits.ts: sizes the schema cannot state because they are products
 * of several lists), both on the loaded data and both before anything is resolved or built.
 */
export function checkShape(source: SourceFile, data: unknown): ShapeResult {
  const validate = siteValidator();
  const valid = validate(data);
  const exceeded = exceededLimits(data);
  if (valid && exceeded.length === 0) return { intent: data, diagnostics: [], failures: [] };
  const errors = valid ? [] : (validate.errors ?? []);
  const ctx: Context = { source, data, showsSecret: secretLineDetector(source.text) };
  const problems = groupUnionErrors(errors);
  const findings = [...problems.flatMap((p) => diagnoseProblem(ctx, p)), ...exceeded.map((e) => overLimit(ctx, e))];
  const failures = [...failuresOf(errors), ...exceeded.map(limitFailure)];
  return { diagnostics: sortDiagnostics(dedupeByPathAndCode(findings)), failures };
}

/** SW140 at the entry whose expansion is too large, with the arithmetic, so the fix is obvious. */
function overLimit(ctx: Context, e: LimitExceeded): Finding {
  const what = describeContainer(e.path);
  const message = e.budgetOf
    ? `${what} brings ${e.budgetOf} to ${fmt(e.count)} ${e.limit.unit} (${e.arithmetic}); the ${e.limit.name} limit is ${fmt(e.limit.value)}`
    : `${what} expands to ${fmt(e.count)} ${e.limit.unit} (${e.arithmetic}); the ${e.limit.name} limit is ${fmt(e.limit.value)}`;
  const finding = make(ctx, "SW140", e.path, "key", message, { hint: `${e.limit.name} bounds ${e.limit.bounds}. ${LIMIT_ADVICE}` });
  return { ...finding, about: [...e.path, e.limit.name] };
}

const LIMIT_ADVICE = "Summarise addresses into wider networks, use port ranges, or split the entry across gateways or sites.";

// ---------------------------------------------------------------------------------------------------------
// Grouping: the branch errors of an anyOf/oneOf belong to it and are judged together
// ---------------------------------------------------------------------------------------------------------

type Problem =
  | { readonly kind: "single"; readonly error: ErrorObject }
  | { readonly kind: "union"; readonly error: ErrorObject; readonly branches: ReadonlyMap<number, ErrorObject[]> };

const UNION_KEYWORDS = new Set(["anyOf", "oneOf"]);

function groupUnionErrors(errors: readonly ErrorObject[]): Problem[] {
  const unions = errors.filter((e) => UNION_KEYWORDS.has(e.keyword)).sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  const branchesOf = new Map<ErrorObject, Map<number, ErrorObject[]>>(unions.map((u) => [u, new Map()]));
  const problems: Problem[] = [];
  for (const error of errors) {
    const owner = unions.find((u) => u !== error && isBranchError(u, error));
    if (owner) {
      const index = Number(error.schemaPath.slice(owner.schemaPath.length + 1).split("/")[0]);
      const branches = branchesOf.get(owner);
      branches?.set(index, [...(branches.get(index) ?? []), error]);
    } else if (!UNION_KEYWORDS.has(error.keyword)) {
      problems.push({ kind: "single", error });
    }
  }
  for (const union of unions) {
    if (!unions.some((outer) => outer !== union && isBranchError(outer, union)))
      problems.push({ kind: "union", error: union, branches: branchesOf.get(union) ?? new Map() });
  }
  return problems;
}

function isBranchError(union: ErrorObject, error: ErrorObject): boolean {
  return error.schemaPath.startsWith(`${union.schemaPath}/`) && error.instancePath.startsWith(union.instancePath);
}

// ---------------------------------------------------------------------------------------------------------
// One diagnostic per problem
// ---------------------------------------------------------------------------------------------------------

/** What every diagnosis needs: where to point, the data checked, and which lines may hold a secret. */
interface Context {
  readonly source: SourceFile;
  readonly data: unknown;
  readonly showsSecret: (range: Range) => boolean;
}

/** A diagnostic and the path it is about (its identity for deduplication, not always where it points). */
interface Finding {
  readonly about: IntentPath;
  readonly diagnostic: Diagnostic;
}

function diagnoseProblem(ctx: Context, problem: Problem): Finding[] {
  if (problem.kind === "union") return diagnoseUnion(ctx, problem.error, problem.branches);
  return [diagnoseError(ctx, problem.error)];
}

function diagnoseError(ctx: Context, error: ErrorObject): Finding {
  const path = toIntentPath(error.instancePath, ctx.data);
  if (error.propertyName !== undefined) return invalidKey(ctx, path, error);
  if (isSecretValuePath(path) && error.keyword === "type" && isLiteral(error.data)) return literalSecret(ctx, path);
  const schema = error.parentSchema ?? {};
  switch (error.keyword) {
    case "additionalProperties":
      return unknownKey(ctx, path, String(error.params.additionalProperty), schema);
    case "required":
      return missingKey(ctx, path, String(error.params.missingProperty), schema);
    case "type":
      return wrongType(ctx, path, schema, error.data);
    case "const":
    case "enum":
      return notAChoice(ctx, path, schema, error.data);
    case "minItems":
    case "maxItems":
    case "uniqueItems":
    case "minProperties":
    case "maxProperties":
      return sizeOutOfBounds(ctx, path, error);
    case "propertyNames":
      return invalidKey(ctx, path, error);
    default:
      return invalidValue(ctx, path, error);
  }
}

function unknownKey(ctx: Context, parent: IntentPath, key: string, schema: AnySchemaObject): Finding {
  const allowed = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  const suggestion = closestKey(key, allowed);
  const hint = suggestion ? `did you mean '${suggestion}'?` : (foreignKeyHint(key) ?? `allowed keys: ${allowed.join(", ")}`);
  // A misspelt secret key (`pks: hunter2`) still holds the secret on its line.
  const redact = suggestion !== undefined && SECRET_KEYS.has(suggestion);
  // `psk: {hunter2}` is a mapping whose only key is the secret.
  const shown = isUnderSecret(parent) ? "" : ` ${quote(key)}`;
  return make(ctx, "SW011", [...parent, key], "key", `unknown key${shown} in ${describeContainer(parent)}`, { hint, redact, ...(suggestion ? { fix: suggestion } : {}) });
}

function missingKey(ctx: Context, parent: IntentPath, key: string, schema: AnySchemaObject): Finding {
  const property = propertySchema(schema, key);
  const description = property ? descriptionOf(property) : undefined;
  const finding = make(ctx, "SW012", parent, "key", `${describeContainer(parent)} is missing required key '${key}'`, {
    hint: description ? `${key}: ${description}` : undefined,
  });
  // Several keys can be missing from one entry: each is its own finding.
  return { ...finding, about: [...parent, key] };
}

function wrongType(ctx: Context, path: IntentPath, schema: AnySchemaObject, value: unknown): Finding {
  const secret = isUnderSecret(path);
  const message = `${describeField(path)}: expected ${expectedPhrase(schema)}, got ${actualPhrase(value, secret)}`;
  return make(ctx, "SW013", path, "value", message, { hint: typeHint(path, schema, value, secret) });
}

function typeHint(path: IntentPath, schema: AnySchemaObject, value: unknown, secret: boolean): string | undefined {
  if (isSecretValuePath(path)) return `psk: { env: ${envNameFor(path)} }`;
  if (secret) return descriptionOf(schema);
  if (schema.type === "array" && isLiteral(value) && String(value).length <= MAX_ECHO) return `write a list: [${JSON.stringify(value)}]`;
  return descriptionOf(schema);
}

function notAChoice(ctx: Context, path: IntentPath, schema: AnySchemaObject, value: unknown): Finding {
  const choices = choicesOf(schema);
  const shown = valueText(value, isUnderSecret(path));
  const message =
    choices.length === 1
      ? `${describeField(path)}: expected ${choices[0]}, got ${shown}`
      : `${describeField(path)}: ${shown} is not one of: ${choices.join(", ")}`;
  return make(ctx, "SW015", path, "value", message, { hint: descriptionOf(schema) });
}

function invalidValue(ctx: Context, path: IntentPath, error: ErrorObject): Finding {
  const schema = error.parentSchema ?? {};
  const shown = valueText(error.data, isUnderSecret(path));
  const message = `${describeField(path)}: ${shown} ${valueProblem(error, schema)}`;
  const info = error.keyword === "pattern" ? patternInfo(String(error.params.pattern)) : undefined;
  return make(ctx, "SW014", path, "value", message, { hint: info?.known === false ? descriptionOf(schema) : undefined });
}

function valueProblem(error: ErrorObject, schema: AnySchemaObject): string {
  switch (error.keyword) {
    case "pattern":
      return `is not ${patternInfo(String(error.params.pattern)).isNot}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `is out of range: ${rangeText(schema)}`;
    case "minLength":
      return `is too short: at least ${error.params.limit} characters`;
    case "maxLength":
      return `is too long: at most ${error.params.limit} characters`;
    default:
      return escapeControlChars(error.message ?? "is invalid");
  }
}

/** A bad key of a named map (`propertyNames`): SW014 at the key itself. */
function invalidKey(ctx: Context, path: IntentPath, error: ErrorObject): Finding {
  const key = String(error.propertyName ?? error.params.propertyName);
  const problem =
    error.keyword === "pattern" ? `is not ${patternInfo(String(error.params.pattern)).isNot}` : valueProblem(error, error.parentSchema ?? {});
  const message = `key ${quote(key)} in ${describeField(path)} ${error.keyword === "propertyNames" ? "is not a valid name" : problem}`;
  return make(ctx, "SW014", [...path, key], "key", message, yamlWordHint(key));
}

/** yes/no/on/off/… pass the letters-and-digits rule but YAML 1.1 readers (Ansible) take them for booleans. */
function yamlWordHint(value: string): { hint: string } | undefined {
  return /^(?:y|n|yes|no|on|off|true|false|null)$/.test(value)
    ? { hint: `'${value}' is a boolean or null to YAML 1.1 readers such as Ansible: choose another name` }
    : undefined;
}

function sizeOutOfBounds(ctx: Context, path: IntentPath, error: ErrorObject): Finding {
  const schema = error.parentSchema ?? {};
  if (error.keyword === "uniqueItems") {
    const [first, second] = [Number(error.params.j), Number(error.params.i)].sort((a, b) => a - b) as [number, number];
    const shown = valueText(Array.isArray(error.data) ? error.data[second] : undefined, isUnderSecret(path));
    const message = `${describeField(path)}: item ${second + 1} repeats item ${first + 1} (${shown})`;
    return make(ctx, "SW016", [...path, second], "value", message);
  }
  return make(ctx, "SW016", path, "value", `${describeField(path)} ${sizeProblem(error.keyword, schema, error.data)}`);
}

function sizeProblem(keyword: string, schema: AnySchemaObject, value: unknown): string {
  const count = Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : 0;
  const { min, max, unit } = keyword.endsWith("Items")
    ? { min: schema.minItems, max: schema.maxItems, unit: "item" }
    : { min: schema.minProperties, max: schema.maxProperties, unit: "key" };
  const keys = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  if (min === 1 && max === 1 && keys.length > 0) return `needs exactly one of: ${keys.join(", ")}`;
  if (min === 1 && count === 0) return "must not be empty";
  const limit = min !== undefined && min === max ? `exactly ${min}` : keyword.startsWith("min") ? `at least ${min}` : `at most ${max}`;
  return `needs ${limit} ${unit}${limit.endsWith(" 1") ? "" : "s"}, has ${count}`;
}

function literalSecret(ctx: Context, path: IntentPath): Finding {
  const owner = path.slice(0, -1);
  return make(ctx, "SW017", path, "key", `literal secret in ${describeContainer(owner)}: secrets are references`, {
    hint: `psk: { env: ${envNameFor(path)} }`,
    redact: true,
  });
}

/**
 * anyOf/oneOf: literal unions become one "not one of" (SW015). Mixed unions (a list or "agent-defaults") report
 * the errors of the one branch whose type fits the value, or else one "expected X or Y" diagnostic.
 */
function diagnoseUnion(
  ctx: Context,
  union: ErrorObject,
  branches: ReadonlyMap<number, ErrorObject[]>,
): Finding[] {
  const path = toIntentPath(union.instancePath, ctx.data);
  const schema = union.parentSchema ?? {};
  const options = unionOptions(schema);
  if (options.every(isConstSchema)) return [notAChoice(ctx, path, schema, union.data)];

  const fitting = [...options.keys()].filter((i) => typeFits(options[i] ?? {}, union.data));
  const [only] = fitting;
  const onlySchema = only === undefined ? undefined : options[only];
  if (fitting.length === 1 && only !== undefined && onlySchema && !isConstSchema(onlySchema)) {
    return (branches.get(only) ?? []).flatMap((e) => diagnoseProblem(ctx, { kind: "single", error: e }));
  }
  const code: DiagnosticCode = fitting.length > 0 ? "SW015" : "SW013";
  const message = `${describeField(path)}: expected ${expectedPhrase(schema)}, got ${actualPhrase(union.data, isUnderSecret(path))}`;
  return [make(ctx, code, path, "value", message, { hint: descriptionOf(schema) })];
}

function unionOptions(schema: AnySchemaObject): AnySchemaObject[] {
  const options = (schema.anyOf ?? schema.oneOf) as unknown;
  return Array.isArray(options) ? options.filter(isRecord) : [];
}

function typeFits(schema: AnySchemaObject, value: unknown): boolean {
  if (isConstSchema(schema)) return typeof schema.const === typeof value;
  switch (schema.type) {
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
    case "integer":
    case "number":
      return typeof value === "number";
    default:
      return typeof value === schema.type;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Words for schemas and values
// ---------------------------------------------------------------------------------------------------------

interface PatternInfo {
  /** After "expected …". */
  readonly expected: string;
  /** After "a list of …". */
  readonly plural: string;
  /** After "'x' is not …". */
  readonly isNot: string;
  readonly known?: boolean;
}

function explained(expected: string, plural: string, isNot: string = expected): PatternInfo {
  return { expected, plural, isNot };
}

/**
 * Every pattern of the schema, explained. The constants of patterns.ts come first; the rest are written out
 * because only the schema uses them (a test walks the schema and fails on any pattern missing here).
 */
const PATTERNS: ReadonlyMap<string, PatternInfo> = new Map([
  [NAME_PATTERN, explained("a name", "names", "a valid name: lowercase letters, digits and '-', starting with a letter, at most 40 characters")],
  [IPV4_PATTERN, explained("an IPv4 address", "IPv4 addresses")],
  [IP_PATTERN, explained("an IP address", "IP addresses", "an IPv4 or IPv6 address, such as 192.0.2.1 or 2001:db8::1")],
  [IPV6_OPTIONAL_LENGTH_PATTERN, explained("an IPv6 address", "IPv6 addresses", "an IPv6 address with an optional prefix length, such as 2001:db8::5/64")],
  [CIDR_PATTERN, explained("a network", "networks", "an IPv4 or IPv6 network in CIDR form, such as 10.0.0.0/8 or 2001:db8::/48")],
  [IP_OPTIONAL_LENGTH_PATTERN, explained("an IP address", "IP addresses", "an IPv4 or IPv6 address with an optional prefix length, such as 10.0.0.5/24 or 2001:db8::5/64")],
  [REF_PATTERN, explained("a network name or address", "network names or addresses", "a network name, host name, IPv4/IPv6 address or CIDR")],
  [DEVICE_PATTERN, explained("an interface name", "interface names", "a Linux interface name: a letter, then letters, digits, '_', '.' or '-', at most 15 characters")],
  [
    DEVICE_INTERFACE_PATTERN,
    explained("a device interface name", "device interface names", "a device interface name such as ge-0/0/0.0, wan1 or ethernet1/1: a letter, then letters, digits, '_', '.', '/', ':' or '-', at most 32 characters"),
  ],
  [DURATION_PATTERN, explained("a duration", "durations", "a duration (use 60s, 5m, 1h)")],
  [PROPOSAL_PATTERN, explained("a proposal", "proposals", "a proposal: algorithm names joined by '-', such as aes256-sha256-modp3072")],
  [PORT_PATTERN, explained("a port", "ports", "a port such as tcp/8080, udp/53 or tcp/30000-32767")],
  [PORT_RANGE_PATTERN, explained("a port range", "port ranges", "a port or a port range such as 32768-65535")],
  [IPTABLES_CHAIN_PATTERN, explained("an iptables chain name", "iptables chain names", "an iptables chain name: a letter, then letters, digits, '_' or '-', at most 28 characters, not a built-in chain or target")],
  [K8S_NAME_PATTERN, explained("a Kubernetes name", "Kubernetes names", "a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")],
  [ENV_NAME_PATTERN, explained("an environment variable name", "environment variable names", "an environment variable name: capital letters, digits and '_', not starting with a digit")],
  [SECRET_FILE_PATTERN, explained("a file path", "file paths", "a file path: letters, digits and _ . / + -, without '..', at most 255 characters")],
  [TEXT_PATTERN, explained("one line of text", "lines of text", "one line of text without control characters")],
  [
    "^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
    explained("a label key", "label keys", "a Kubernetes label key: an optional DNS prefix and '/', then letters, digits, '-', '_' or '.', at most 63 characters"),
  ],
  ["^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", explained("a label value", "label values", "a Kubernetes label value: letters, digits, '-', '_' or '.', at most 63 characters")],
  ["^[a-z]{2}(?:-[a-z]+)+-[0-9]$", explained("an AWS region", "AWS regions", "an AWS region such as cn-north-1")],
  ["^i-[0-9a-f]{8,17}$", explained("an EC2 instance id", "EC2 instance ids", "an EC2 instance id such as i-0123456789abcdef0")],
  ["^eni-[0-9a-f]{8,17}$", explained("a network interface id", "network interface ids", "a network interface id such as eni-0123456789abcdef0")],
  ["^rtb-[0-9a-f]{8,17}$", explained("a route table id", "route table ids", "a route table id such as rtb-0123456789abcdef0")],
  [IDENTITY_PATTERN, explained("an IKE identity", "IKE identities", "an IKE identity: an IPv4 or IPv6 address or a host name, optionally starting with '@'")],
  [
    "^(?=.{1,253}$)(?:\\*\\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$",
    explained("a host name", "host names", "a host name such as httpbin.org or *.example.com"),
  ],
  ["^(?:http|https|tcp|tcp-server-first)/[0-9]{1,5}$", explained("a port with protocol", "ports with protocol", "a port such as http/80, https/443, tcp/5432 or tcp-server-first/3306")],
  ["^/[A-Za-z0-9_./-]{1,255}$", explained("an absolute path", "absolute paths", "an absolute path of letters, digits and _ . / -")],
  [CLOUD_REGION_PATTERN, explained("a cloud region", "cloud regions", "a region such as eu-west-1, westeurope or europe-west1")],
  [
    CLOUD_GATEWAY_ID_PATTERN,
    explained("a gateway id", "gateway ids", "a gateway id such as tgw-0123456789abcdef0 (letters, digits and . _ / -)"),
  ],
]);

/** Exposed for the test that proves every pattern of the schema is explained. */
export function patternInfo(pattern: string): PatternInfo {
  return PATTERNS.get(pattern) ?? { expected: "a value in the expected form", plural: "values", isNot: "in the expected form", known: false };
}

function expectedPhrase(schema: AnySchemaObject): string {
  if (isConstSchema(schema)) return quote(schema.const);
  const options = unionOptions(schema);
  if (options.length > 0) return options.every(isConstSchema) ? `one of: ${choicesOf(schema).join(", ")}` : options.map(expectedPhrase).join(" or ");
  switch (schema.type) {
    case "array":
      return `a list of ${pluralNoun(isRecord(schema.items) ? schema.items : {})}`;
    case "object":
      return isSecretRefSchema(schema) ? "a reference: { env: NAME } or { file: PATH }" : "a mapping of keys";
    case "string":
      return typeof schema.pattern === "string" ? patternInfo(schema.pattern).expected : "text";
    case "integer":
      return withRange("a whole number", schema);
    case "number":
      return withRange("a number", schema);
    case "boolean":
      return "true or false";
    default:
      return "a different kind of value";
  }
}

function pluralNoun(items: AnySchemaObject): string {
  if (typeof items.pattern === "string") return patternInfo(items.pattern).plural;
  if (items.type === "object") return "mappings";
  if (items.type === "string") return "strings";
  return "values";
}

function withRange(noun: string, schema: AnySchemaObject): string {
  const range = rangeText(schema);
  return range ? `${noun} ${range}` : noun;
}

function rangeText(schema: AnySchemaObject): string {
  const { minimum: min, maximum: max } = schema as { minimum?: number; maximum?: number };
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return "";
}

function choicesOf(schema: AnySchemaObject): string[] {
  if (isConstSchema(schema)) return [String(schema.const)];
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  return unionOptions(schema).flatMap(choicesOf);
}

function actualPhrase(value: unknown, secret: boolean): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (secret) return `a ${typeof value}`;
  if (typeof value === "string") return `the string ${quote(value)}`;
  return `${typeof value === "number" ? "the number " : ""}${String(value)}`;
}

function valueText(value: unknown, secret: boolean): string {
  return secret ? "the value" : quote(value);
}

function descriptionOf(schema: AnySchemaObject): string | undefined {
  return typeof schema.description === "string" ? schema.description : undefined;
}

function propertySchema(schema: AnySchemaObject, key: string): AnySchemaObject | undefined {
  const properties = schema.properties as Record<string, unknown> | undefined;
  const property = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
  return isRecord(property) ? property : undefined;
}

function isConstSchema(schema: AnySchemaObject): boolean {
  return Object.hasOwn(schema, "const");
}

function isSecretRefSchema(schema: AnySchemaObject): boolean {
  return propertySchema(schema, "env") !== undefined && propertySchema(schema, "file") !== undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Where: human names for intent paths (table-driven)
// ---------------------------------------------------------------------------------------------------------

/** "*" matches any key (the entity's name), "#" any list index. */
type PathPattern = readonly string[];

interface Entity {
  readonly pattern: PathPattern;
  /** Receives the matched keys and 1-based indexes, already quoted. */
  readonly name: (ids: readonly string[]) => string;
}

const ENTITIES: readonly Entity[] = [
  { pattern: ["networks", "*"], name: ([n]) => `network ${n}` },
  { pattern: ["hosts", "*"], name: ([h]) => `host ${h}` },
  { pattern: ["hosts", "*", "interfaces", "*"], name: ([h, i]) => `interface ${i} of host ${h}` },
  { pattern: ["hosts", "*", "routes", "#"], name: ([h, n]) => `route ${n} of host ${h}` },
  { pattern: ["peers", "*"], name: ([p]) => `peer ${p}` },
  { pattern: ["tunnels", "*"], name: ([t]) => `tunnel ${t}` },
  { pattern: ["tunnels", "*", "overrides", "*"], name: ([t, e]) => `the ${e} end of tunnel ${t}` },
  { pattern: ["links", "*"], name: ([l]) => `link ${l}` },
  { pattern: ["flows", "*"], name: ([f]) => `flow ${f}` },
  { pattern: ["failover", "*"], name: ([f]) => `failover pair ${f}` },
  { pattern: ["cluster"], name: () => "the cluster" },
  { pattern: ["cluster", "egress", "#"], name: ([n]) => `cluster egress entry ${n}` },
  { pattern: ["cluster", "egress", "#", "allow", "#"], name: ([n, m]) => `allow entry ${m} of cluster egress entry ${n}` },
  { pattern: ["cluster", "mesh", "osmEdge", "egress", "#"], name: ([n]) => `osm-edge egress policy ${n}` },
  { pattern: ["cluster", "cilium", "egressGateways", "#"], name: ([n]) => `cilium egress gateway ${n}` },
];

const SECRET_PATHS: readonly PathPattern[] = [
  ["tunnels", "*", "psk"],
  ["tunnels", "*", "overrides", "*", "psk"],
];

const SECRET_KEYS = new Set(["psk"]);

function matchIds(pattern: PathPattern, path: IntentPath): string[] | undefined {
  if (path.length !== pattern.length) return undefined;
  const ids: string[] = [];
  for (const [i, want] of pattern.entries()) {
    const segment = path[i];
    if (want === "*" && typeof segment === "string") ids.push(quote(segment));
    else if (want === "#" && typeof segment === "number") ids.push(String(segment + 1));
    else if (want !== segment) return undefined;
  }
  return ids;
}

function entityName(path: IntentPath): string | undefined {
  for (const entity of ENTITIES) {
    const ids = matchIds(entity.pattern, path);
    if (ids) return entity.name(ids);
  }
  return undefined;
}

/** The object at `path`: "the site", "tunnel 'vpn1'", "the ike section of tunnel 'vpn1'". */
function describeContainer(path: IntentPath): string {
  for (let length = path.length; length > 0; length--) {
    const name = entityName(path.slice(0, length));
    if (name) return length === path.length ? name : `the ${sectionName(path.slice(length))} section of ${name}`;
  }
  return path.length === 0 ? "the site" : `the ${sectionName(path)} section`;
}

/** The value at `path`: "'lifetime' in the ike section of tunnel 'vpn1'", "item 2 of 'proposals' in …". */
function describeField(path: IntentPath): string {
  const name = entityName(path);
  if (name) return name;
  const last = path.at(-1);
  const parent = path.slice(0, -1);
  if (last === undefined) return "the site";
  if (typeof last === "number") return `item ${last + 1} of ${describeField(parent)}`;
  return parent.length === 0 ? quote(last) : `${quote(last)} in ${describeContainer(parent)}`;
}

function sectionName(rest: IntentPath): string {
  return rest.map((s) => (typeof s === "number" ? `entry ${s + 1}` : escapeControlChars(truncate(s)))).join(".");
}

function isSecretValuePath(path: IntentPath): boolean {
  return SECRET_PATHS.some((p) => matchIds(p, path) !== undefined);
}

function isUnderSecret(path: IntentPath): boolean {
  return SECRET_PATHS.some((p) => path.length >= p.length && matchIds(p, path.slice(0, p.length)) !== undefined);
}

/** VPN1_PSK for tunnels/vpn1/psk, VPN1_DC_ROUTER_1_PSK for the override of end dc-router-1. */
function envNameFor(path: IntentPath): string {
  const ids = path[2] === "overrides" ? [path[1], path[3]] : [path[1]];
  const name = [...ids, "psk"].map((s) => String(s).toUpperCase().replace(/[^A-Z0-9]+/g, "_")).join("_");
  return new RegExp(ENV_NAME_PATTERN).test(name) ? name : "TUNNEL_PSK";
}

// ---------------------------------------------------------------------------------------------------------
// Paths, positions, output
// ---------------------------------------------------------------------------------------------------------

/** ajv's JSON pointer as an intent path; list indexes become numbers (locate needs them to enter lists). */
function toIntentPath(pointer: string, data: unknown): IntentPath {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment = Array.isArray(current) ? Number(key) : key;
    path.push(segment);
    current = isRecord(current) || Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

function make(
  ctx: Context,
  code: DiagnosticCode,
  path: IntentPath,
  at: "key" | "value",
  message: string,
  extra: { hint?: string | undefined; redact?: boolean; fix?: string } = {},
): Finding {
  const range = locate(ctx.source, path, at);
  const redact = extra.redact === true || isUnderSecret(path) || ctx.showsSecret(range);
  const diagnostic: Diagnostic = {
    code,
    severity: "error",
    file: ctx.source.path,
    range,
    message,
    ...(extra.hint ? { hint: escapeControlChars(extra.hint) } : {}),
    ...(redact ? { redact: true } : {}),
    // The suggested key replaces the written one (a quick fix in editors).
    ...(extra.fix !== undefined ? { fix: { range, replacement: extra.fix } } : {}),
  };
  return { about: path, diagnostic };
}

/** At most one diagnostic per (path, code); the first, most specific one wins. */
function dedupeByPathAndCode(findings: readonly Finding[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const { about, diagnostic } of findings) {
    const key = `${JSON.stringify(about)} ${diagnostic.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------

const MAX_ECHO = 60;

/**
 * A value for a message: at most 60 characters and escaped so it cannot break the output; strings in single
 * quotes, numbers and booleans as they are.
 */
function quote(value: unknown): string {
  if (typeof value !== "string") return escapeControlChars(truncate(JSON.stringify(value) ?? String(value)));
  return `'${escapeControlChars(truncate(value.replace(/\\/g, "\\\\")))}'`;
}

function truncate(text: string): string {
  const chars = Array.from(text);
  return chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO - 1).join("")}…` : text;
}

function isLiteral(value: unknown): boolean {
  return value !== null && value !== undefined && typeof value !== "object";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Damerau-Levenshtein (optimal string alignment) ≤ 2, or equal ignoring case; the closest wins. */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    const closeEnough = distance <= 2 && distance < Math.max(key.length, 2);
    if (closeEnough && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}
