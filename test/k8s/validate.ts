/**
 * Validators for the Kubernetes manifests sitewire emits, for tests. Three layers, each catching what the
 * others miss (see the negative cases in validate.test.ts):
 *
 * 1. schema: kubernetes-models (the API's OpenAPI schema: types, enums, unknown apiVersion/kind) for built-in
 *    kinds; the upstream CRD schemas, tightened with additionalProperties: false, for custom resources;
 * 2. types: kubernetes-types + `tsc --strict` over each manifest as an object literal (unknown, misspelt and
 *    missing fields of built-in kinds);
 * 3. conventions the API server enforces that neither checks: DNS-1123 names, label syntax, IPv4 CIDRs
 *    (valid, aligned, `except` strictly inside `cidr`), port ranges, explicit policyTypes, and the inner
 *    ip-masq-agent `config` document with the agent's own rules.
 *
 * Independent of src/: nothing here reuses the code under test.
 */
import { spawnSync } from "node:child_process";
import { isIPv6 } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { ciliumEgressGatewayPolicySchema, osmEgressSchema } from "./crd-schemas.js";

export type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// ---------------------------------------------------------------------------------------------------------
// 1. Schemas
// ---------------------------------------------------------------------------------------------------------

const ajv = new Ajv({ allErrors: true, strict: false });
const CRDS: Record<string, ReturnType<typeof ajv.compile>> = {
  "policy.openservicemesh.io/v1alpha1/Egress": ajv.compile(osmEgressSchema),
  "cilium.io/v2/CiliumEgressGatewayPolicy": ajv.compile(ciliumEgressGatewayPolicySchema),
};

export async function checkSchema(obj: K8sObject): Promise<string[]> {
  const crd = CRDS[`${obj.apiVersion}/${obj.kind}`];
  if (crd) return crd(obj) ? [] : (crd.errors ?? []).map((e) => `schema: ${e.instancePath || "/"} ${e.message}`);
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  let Model: new (data: unknown) => { validate(): void };
  try {
    const specifier = `kubernetes-models/${group ? `${group}/` : ""}${version}/${obj.kind}`;
    const module = (await import(/* @vite-ignore */ specifier)) as Record<string, typeof Model>;
    Model = module[obj.kind]!;
  } catch {
    return [`schema: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`schema: ${(e as Error).message}`];
  }
}

// ---------------------------------------------------------------------------------------------------------
// 2. Types (tsc over kubernetes-types)
// ---------------------------------------------------------------------------------------------------------

const TYPES: Record<string, string> = { v1: "core/v1", "networking.k8s.io/v1": "networking/v1" };

/** Type-check every built-in object as a literal of its kubernetes-types interface; one tsc run for all. */
export function checkTypes(objects: readonly { label: string; object: K8sObject }[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "sitewire-tscheck-"));
  try {
    const files: string[] = [];
    const problems: string[] = [];
    objects.forEach(({ label, object }, i) => {
      const module = TYPES[object.apiVersion];
      if (!module) return; // custom resources: checked by their CRD schema
      const file = `m${i}.ts`;
      files.push(file);
      writeFileSync(
        join(dir, file),
        `// ${label}\nimport type { ${object.kind} as T } from "kubernetes-types/${module}";\nexport const m: T = ${JSON.stringify(object, null, 1)};\n`,
      );
    });
    const compilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: "esnext",
      moduleResolution: "bundler",
      types: [],
      baseUrl: ROOT,
      paths: { "kubernetes-types/*": ["node_modules/kubernetes-types/*"] },
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8" });
    if (r.status !== 0) {
      for (const line of r.stdout.split("\n").filter((l) => /error TS/.test(l))) {
        const index = Number(/m(\d+)\.ts/.exec(line)?.[1]);
        problems.push(`types: ${objects[index]?.label ?? "?"}: ${line.replace(/^.*?error /, "")}`);
      }
      if (problems.length === 0) problems.push(`types: tsc failed: ${r.stdout}${r.stderr}`);
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// 3. Conventions the API server (or the consumer) enforces
// ---------------------------------------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function validLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  if (slash < 0) return LABEL_NAME.test(key);
  return DNS1123_SUBDOMAIN.test(key.slice(0, slash)) && LABEL_NAME.test(key.slice(slash + 1));
}

/**
 * A CIDR as the API server parses it (Go's net.ParseCIDR, netip): IPv4 as four decimal octets without leading
 * zeros, /0-32; IPv6 (what Node's net.isIPv6 accepts, no zone, lower case as RFC 5952 writes it), /0-128; host
 * bits zero either way. `v4Only`: the custom resources whose CRDs take IPv4 CIDRs only (osm-edge Egress
 * ipAddresses, Cilium destinationCIDRs/excludedCIDRs).
 */
export function cidrProblem(text: unknown, v4Only = false): string | undefined {
  if (typeof text !== "string") return `${JSON.stringify(text)} is not a string`;
  if (text.includes(":")) {
    if (v4Only) return `${text} is not an IPv4 CIDR (this resource takes IPv4 only)`;
    const m = /^([0-9a-f:]+)\/(\d{1,3})$/.exec(text);
    if (!m || !isIPv6(m[1]!)) return `${text} is not an IPv6 CIDR (lower-case hex, no zone)`;
    const length = Number(m[2]);
    if (length > 128 || (m[2]!.length > 1 && m[2]!.startsWith("0"))) return `${text} has an invalid prefix length`;
    if (ipv6ToBig(m[1]!) % (1n << BigInt(128 - length)) !== 0n) return `${text} is not aligned (host bits set)`;
    return undefined;
  }
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return `${text} is not an IPv4 or IPv6 CIDR`;
  const parts = m.slice(1, 5);
  if (parts.some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith("0")))) return `${text} has an invalid octet`;
  const length = Number(m[5]);
  if (length > 32 || (m[5]!.length > 1 && m[5]!.startsWith("0"))) return `${text} has an invalid prefix length`;
  if (hostBits(ipv4ToInt(parts), length) !== 0) return `${text} is not aligned (host bits set)`;
  return undefined;
}

function ipv4ToInt(octets: readonly string[]): number {
  return octets.reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** An IPv6 address (valid: net.isIPv6 said so, no embedded IPv4) as a 128-bit integer; independent of src/net. */
function ipv6ToBig(address: string): bigint {
  const [head = "", tail] = address.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function hostBits(address: number, length: number): number {
  return length === 32 ? 0 : address % 2 ** (32 - length);
}

function parseCidr(text: string): { base: bigint; length: number; bits: number } {
  const [address = "", length] = text.split("/");
  if (address.includes(":")) return { base: ipv6ToBig(address), length: Number(length ?? 128), bits: 128 };
  return { base: BigInt(ipv4ToInt(address.split("."))), length: Number(length ?? 32), bits: 32 };
}

/** Is `inner` inside `outer` (and strictly smaller when `strict`)? Never across families. */
export function cidrInside(inner: string, outer: string, strict: boolean): boolean {
  const i = parseCidr(inner);
  const o = parseCidr(outer);
  if (i.bits !== o.bits) return false;
  if (i.length < o.length || (strict && i.length === o.length)) return false;
  const size = 1n << BigInt(o.bits - o.length);
  return i.base / size === o.base / size;
}

function portProblem(p: Record<string, unknown>, where: string): string[] {
  const out: string[] = [];
  const { protocol, port, endPort } = p;
  if (!["TCP", "UDP", "SCTP"].includes(String(protocol))) out.push(`${where}: protocol ${String(protocol)} is not TCP, UDP or SCTP`);
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) out.push(`${where}: port ${String(port)} is not 1..65535`);
  if (endPort !== undefined) {
    if (!Number.isInteger(endPort) || (endPort as number) > 65535) out.push(`${where}: endPort ${String(endPort)} is not ≤ 65535`);
    if (typeof port !== "number" || (endPort as number) < port) out.push(`${where}: endPort ${String(endPort)} is below port ${String(port)}`);
  }
  return out;
}

function labelsProblems(labels: unknown, where: string): string[] {
  if (labels === undefined) return [];
  if (typeof labels !== "object" || labels === null) return [`${where}: not a map`];
  return Object.entries(labels).flatMap(([k, v]) => [
    ...(validLabelKey(k) ? [] : [`${where}: invalid label key ${k}`]),
    ...(typeof v === "string" && LABEL_VALUE.test(v) ? [] : [`${where}: invalid label value ${JSON.stringify(v)} for ${k}`]),
  ]);
}

function selectorProblems(selector: unknown, where: string): string[] {
  if (selector === undefined) return [`${where}: missing`];
  return labelsProblems((selector as { matchLabels?: unknown }).matchLabels, `${where}.matchLabels`);
}

export function checkConventions(obj: K8sObject): string[] {
  const out: string[] = [];
  const { name, namespace, labels } = obj.metadata ?? {};
  if (!DNS1123_SUBDOMAIN.test(String(name))) out.push(`metadata.name ${String(name)} is not a DNS-1123 subdomain`);
  if (namespace !== undefined && !DNS1123_LABEL.test(namespace)) out.push(`metadata.namespace ${namespace} is not a DNS-1123 label`);
  out.push(...labelsProblems(labels, "metadata.labels"));
  if (labels?.["app.kubernetes.io/managed-by"] !== "sitewire") out.push("metadata.labels lacks app.kubernetes.io/managed-by: sitewire");
  const spec = obj.spec as Record<string, unknown> | undefined;
  switch (obj.kind) {
    case "NetworkPolicy":
      out.push(...networkPolicyProblems(spec ?? {}));
      break;
    case "Egress":
      for (const cidr of (spec?.ipAddresses as unknown[] | undefined) ?? []) {
        const p = cidrProblem(cidr, true);
        if (p) out.push(`spec.ipAddresses: ${p}`);
      }
      break;
    case "CiliumEgressGatewayPolicy":
      out.push(...ciliumProblems(spec ?? {}));
      break;
    case "ConfigMap":
      if (name === "ip-masq-agent") out.push(...masqConfigMapProblems(obj));
      break;
  }
  return out;
}

function networkPolicyProblems(spec: Record<string, unknown>): string[] {
  const out = selectorProblems(spec.podSelector, "spec.podSelector");
  const types = spec.policyTypes as string[] | undefined;
  if (!Array.isArray(types) || types.length === 0) out.push("spec.policyTypes must be explicit");
  for (const direction of ["ingress", "egress"] as const) {
    const rules = spec[direction] as Record<string, unknown>[] | undefined;
    const type = direction === "ingress" ? "Ingress" : "Egress";
    if (rules !== undefined && !types?.includes(type)) out.push(`spec.${direction} present but policyTypes lacks ${type}`);
    (rules ?? []).forEach((rule, i) => {
      const where = `spec.${direction}[${i}]`;
      const peers = (rule[direction === "ingress" ? "from" : "to"] as Record<string, unknown>[] | undefined) ?? [];
      peers.forEach((peer, j) => {
        const at = `${where}.peer[${j}]`;
        const keys = Object.keys(peer);
        if (keys.length === 0) out.push(`${at}: empty peer`);
        if (peer.ipBlock !== undefined && keys.length > 1) out.push(`${at}: ipBlock cannot be combined with selectors`);
        if (peer.podSelector !== undefined) out.push(...selectorProblems(peer.podSelector, `${at}.podSelector`));
        if (peer.namespaceSelector !== undefined) out.push(...selectorProblems(peer.namespaceSelector, `${at}.namespaceSelector`));
        const block = peer.ipBlock as { cidr?: unknown; except?: unknown[] } | undefined;
        if (block) {
          const p = cidrProblem(block.cidr);
          if (p) out.push(`${at}.ipBlock.cidr: ${p}`);
          for (const x of block.except ?? []) {
            const q = cidrProblem(x);
            if (q) out.push(`${at}.ipBlock.except: ${q}`);
            else if (!p && !cidrInside(String(x), String(block.cidr), true)) out.push(`${at}.ipBlock.except: ${String(x)} is not strictly inside ${String(block.cidr)}`);
          }
        }
      });
      ((rule.ports as Record<string, unknown>[] | undefined) ?? []).forEach((port, j) => out.push(...portProblem(port, `${where}.ports[${j}]`)));
    });
  }
  return out;
}

function ciliumProblems(spec: Record<string, unknown>): string[] {
  const out: string[] = [];
  const destinations = (spec.destinationCIDRs as string[] | undefined) ?? [];
  for (const d of destinations) {
    const p = cidrProblem(d, true);
    if (p) out.push(`spec.destinationCIDRs: ${p}`);
  }
  for (const x of (spec.excludedCIDRs as string[] | undefined) ?? []) {
    const p = cidrProblem(x, true);
    if (p) out.push(`spec.excludedCIDRs: ${p}`);
    else if (!destinations.some((d) => !cidrProblem(d) && cidrInside(x, d, false))) out.push(`spec.excludedCIDRs: ${x} is outside every destination (no effect)`);
  }
  const gw = (spec.egressGateway ?? {}) as Record<string, unknown>;
  if (gw.egressIP !== undefined && gw.interface !== undefined) out.push("spec.egressGateway: egressIP and interface together make Cilium ignore the policy");
  if (gw.egressIP !== undefined && cidrProblem(`${String(gw.egressIP)}/32`, true)) out.push(`spec.egressGateway.egressIP ${String(gw.egressIP)} is not an IPv4 address`);
  out.push(...selectorProblems(gw.nodeSelector, "spec.egressGateway.nodeSelector"));
  ((spec.selectors as Record<string, unknown>[] | undefined) ?? []).forEach((s, i) => {
    for (const key of ["podSelector", "namespaceSelector"]) if (s[key] !== undefined) out.push(...selectorProblems(s[key], `spec.selectors[${i}].${key}`));
  });
  return out;
}

function masqConfigMapProblems(obj: K8sObject): string[] {
  const out: string[] = [];
  if (obj.metadata.namespace !== "kube-system") out.push("ip-masq-agent ConfigMap must be in kube-system");
  const data = (obj.data ?? {}) as Record<string, unknown>;
  const keys = Object.keys(data);
  if (keys.length !== 1 || typeof data.config !== "string") return [...out, "ip-masq-agent ConfigMap must hold exactly the key config (a string)"];
  return [...out, ...checkMasqAgentConfig(data.config).map((p) => `data.config: ${p}`)];
}

/** Go's time.ParseDuration syntax (what the agent reads resyncInterval with): no `d` unit. */
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const MASQ_KEYS = ["nonMasqueradeCIDRs", "cidrLimit", "masqLinkLocal", "masqLinkLocalIPv6", "resyncInterval"];

/**
 * The agent's reading of its config (kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go,
 * MasqConfig + validate): known keys only (Go's JSON decoding ignores the rest silently, which hides typos),
 * booleans as booleans, aligned CIDRs, at most cidrLimit (default 64), a Go duration. Parsed as YAML 1.1,
 * like the Go YAML library it uses.
 */
export function checkMasqAgentConfig(text: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text, { version: "1.1" });
  } catch (e) {
    return [`not YAML: ${(e as Error).message}`];
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return ["not a mapping"];
  const c = doc as Record<string, unknown>;
  const out = Object.keys(c)
    .filter((k) => !MASQ_KEYS.includes(k))
    .map((k) => `unknown key ${k}`);
  for (const key of ["masqLinkLocal", "masqLinkLocalIPv6"])
    if (c[key] !== undefined && typeof c[key] !== "boolean") out.push(`${key} must be a boolean, got ${JSON.stringify(c[key])}`);
  const limit = c.cidrLimit ?? 64;
  if (!Number.isInteger(limit) || (limit as number) < 1) out.push(`cidrLimit must be a positive integer, got ${JSON.stringify(limit)}`);
  if (c.nonMasqueradeCIDRs !== undefined) {
    if (!Array.isArray(c.nonMasqueradeCIDRs)) out.push("nonMasqueradeCIDRs must be a list");
    else {
      for (const cidr of c.nonMasqueradeCIDRs) {
        const p = cidrProblem(cidr);
        if (p) out.push(`nonMasqueradeCIDRs: ${p}`);
      }
      if (c.nonMasqueradeCIDRs.length > (limit as number)) out.push(`nonMasqueradeCIDRs has ${c.nonMasqueradeCIDRs.length} entries, more than cidrLimit ${String(limit)}`);
    }
  }
  if (c.resyncInterval !== undefined && (typeof c.resyncInterval !== "string" || !GO_DURATION.test(c.resyncInterval)))
    out.push(`resyncInterval ${JSON.stringify(c.resyncInterval)} is not a Go duration`);
  return out;
}

/** Everything but the tsc layer (run that once over all objects with checkTypes). */
export async function validateManifest(obj: K8sObject): Promise<string[]> {
  return [...(await checkSchema(obj)), ...checkConventions(obj)];
}
