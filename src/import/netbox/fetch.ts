/**
 * Reading NetBox (≥ 3.7, the release that added the VPN models) for one site or tag: the REST API with a
 * token, or saved API responses in a folder. Only the endpoints below are read, each as NetBox's paginated
 * list `{ "count", "next", "previous", "results": [...] }` (netbox/netbox/api/pagination.py,
 * OptionalLimitOffsetPagination); `next` is followed until null, and only to the same origin as --url, so
 * the token never goes anywhere else.
 *
 * Errors are one line each (NetboxError): a missing token, 401/403 (the token), 404 on /api/vpn/ (NetBox
 * older than 3.7), any other HTTP status, a timeout (AbortSignal.timeout per request), a refused connection,
 * a body that is not a NetBox list. No response text is echoed: it may hold a pre-shared key.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { OutStream } from "../../cli/io.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { isRecord, readJsonInput, type JsonInput } from "../source.js";

export class NetboxError extends Error {
  override readonly name = "NetboxError";
}

/** The endpoints read, and the file each is saved as for --from-dir. */
export const ENDPOINTS = {
  devices: "/api/dcim/devices/",
  interfaces: "/api/dcim/interfaces/",
  ipAddresses: "/api/ipam/ip-addresses/",
  tunnels: "/api/vpn/tunnels/",
  terminations: "/api/vpn/tunnel-terminations/",
  ikeProposals: "/api/vpn/ike-proposals/",
  ikePolicies: "/api/vpn/ike-policies/",
  ipsecProposals: "/api/vpn/ipsec-proposals/",
  ipsecPolicies: "/api/vpn/ipsec-policies/",
  ipsecProfiles: "/api/vpn/ipsec-profiles/",
} as const;
export type Endpoint = keyof typeof ENDPOINTS;

/** `/api/dcim/devices/` → `dcim-devices.json`. */
export function savedName(endpoint: Endpoint): string {
  return `${ENDPOINTS[endpoint].replace(/^\/api\//, "").replace(/\/$/, "").replace(/\//g, "-")}.json`;
}

/** One object of a response, with the page it came from (for positioned diagnostics). */
export interface Item {
  readonly value: Record<string, unknown>;
  readonly input: JsonInput;
  readonly path: readonly (string | number)[];
}

export interface Fetched {
  readonly items: Readonly<Record<Endpoint | "farDevices", readonly Item[]>>;
  readonly diagnostics: readonly Diagnostic[];
}

export interface Source {
  readonly url?: string;
  readonly token?: string;
  readonly tokenEnv?: string;
  readonly fromDir?: string;
  readonly fromDirShown?: string;
  readonly site?: string;
  readonly tag?: string;
  readonly timeoutMs: number;
  readonly progress?: OutStream;
}

const MAX_PAGES = 1000;

/** Every endpoint's objects for the selection. Devices are filtered by site or tag; interfaces and addresses by device. */
export async function fetchNetbox(source: Source): Promise<Fetched> {
  const diagnostics: Diagnostic[] = [];
  const progress = new Progress(source.progress);
  try {
    const read = source.fromDir !== undefined ? dirReader(source, diagnostics) : apiReader(source, diagnostics, progress);
    const selection: Record<string, string> = source.site !== undefined ? { site: source.site } : { tag: source.tag! };
    const devices = (await read("devices", selection)).filter((d) => selected(d.value, source));
    const ids = devices.map((d) => String(d.value["id"]));
    const byDevice = ids.length > 0 ? { device_id: ids } : undefined;
    const items = { devices } as Record<Endpoint | "farDevices", Item[]>;
    for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
      if (endpoint === "devices") continue;
      const filter = endpoint === "interfaces" || endpoint === "ipAddresses" ? byDevice : {};
      items[endpoint] = filter ? await read(endpoint, filter) : [];
    }
    // The far ends of the selection's tunnels: their devices (platform, address) and interfaces' addresses.
    const tunnelIds = new Set(items.terminations.filter((t) => ids.includes(String(terminationDevice(t.value)))).map((t) => tunnelOf(t.value)));
    const farIds = [...new Set(items.terminations.filter((t) => tunnelIds.has(tunnelOf(t.value))).map((t) => String(terminationDevice(t.value))))].filter((d) => d !== "undefined" && !ids.includes(d));
    const far = farIds.length > 0 ? (await read("devices", { id: farIds })).filter((d) => farIds.includes(String(d.value["id"]))) : [];
    items.farDevices = far;
    if (far.length > 0) items.ipAddresses = [...items.ipAddresses, ...(await read("ipAddresses", { device_id: farIds })).filter((a) => !items.ipAddresses.some((b) => b.value["id"] === a.value["id"]))];
    return { items, diagnostics };
  } finally {
    progress.done();
  }
}

function tunnelOf(t: Record<string, unknown>): unknown {
  return isRecord(t["tunnel"]) ? t["tunnel"]["id"] : t["tunnel"];
}

function terminationDevice(t: Record<string, unknown>): unknown {
  const termination = t["termination"];
  return isRecord(termination) && isRecord(termination["device"]) ? termination["device"]["id"] : undefined;
}

/** Saved responses may hold more than the selection (a whole export): keep the selected devices. */
function selected(device: Record<string, unknown>, source: Source): boolean {
  if (source.site !== undefined) return isRecord(device["site"]) && device["site"]["slug"] === source.site;
  return Array.isArray(device["tags"]) && device["tags"].some((t) => isRecord(t) && t["slug"] === source.tag);
}

type Reader = (endpoint: Endpoint, filter: Record<string, string | readonly string[]>) => Promise<Item[]>;

function pageItems(input: JsonInput, where: string, diagnostics: Diagnostic[]): { items: Item[]; next?: string } {
  const v = input.value;
  if (Array.isArray(v)) return { items: v.flatMap((x, i) => (isRecord(x) ? [{ value: x, input, path: [i] }] : [])) };
  if (!isRecord(v) || !Array.isArray(v["results"])) throw new NetboxError(`${where} is not a NetBox list (no "results")`);
  const items = (v["results"] as unknown[]).flatMap((x, i) => (isRecord(x) ? [{ value: x, input, path: ["results", i] }] : []));
  void diagnostics;
  return { items, ...(typeof v["next"] === "string" && v["next"] !== "" ? { next: v["next"] } : {}) };
}

function dirReader(source: Source, diagnostics: Diagnostic[]): Reader {
  return async (endpoint) => {
    const name = savedName(endpoint);
    const shown = `${source.fromDirShown ?? source.fromDir}/${name}`.replace(/\/\/+/g, "/");
    let text: string;
    try {
      text = await readFile(join(source.fromDir!, name), "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new NetboxError(`${shown} is missing: save the response of ${ENDPOINTS[endpoint]} there`);
      throw new NetboxError(`cannot read ${shown}: ${code ?? (err as Error).message}`);
    }
    const { input, diagnostics: problems } = readJsonInput(shown, text);
    if (!input) {
      diagnostics.push(...problems);
      throw new NetboxError(`${shown} is not valid JSON`);
    }
    return pageItems(input, shown, diagnostics).items;
  };
}

function apiReader(source: Source, diagnostics: Diagnostic[], progress: Progress): Reader {
  const base = new URL(source.url!);
  if (!source.token) throw new NetboxError(`${source.tokenEnv ?? "NETBOX_TOKEN"} is not set: put a NetBox API token in it (or give --token-env NAME)`);
  // NetBox 4.3+ v2 tokens (nbt_…) go with Bearer; v1 tokens with Token (NetBox REST API docs, "Authentication").
  const authorization = source.token.startsWith("nbt_") ? `Bearer ${source.token}` : `Token ${source.token}`;
  return async (endpoint, filter) => {
    const first = new URL(ENDPOINTS[endpoint], base);
    first.searchParams.set("limit", "1000");
    for (const [k, v] of Object.entries(filter)) for (const x of typeof v === "string" ? [v] : v) first.searchParams.append(k, x);
    const items: Item[] = [];
    let next: string | undefined = first.toString();
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES) throw new NetboxError(`${ENDPOINTS[endpoint]}: more than ${MAX_PAGES} pages`);
      const url: URL = new URL(next);
      if (url.origin !== base.origin) throw new NetboxError(`${ENDPOINTS[endpoint]}: NetBox's next page is on another host (${url.origin}); check NetBox's BASE_PATH / proxy settings`);
      const shown = `${url.pathname}${url.search}`;
      progress.request(shown);
      const text = await get(url, authorization, source.timeoutMs, endpoint);
      const { input, diagnostics: problems } = readJsonInput(url.toString(), text);
      if (!input) {
        diagnostics.push(...problems);
        throw new NetboxError(`${shown}: the response is not JSON`);
      }
      const result = pageItems(input, shown, diagnostics);
      items.push(...result.items);
      next = result.next;
    }
    return items;
  };
}

async function get(url: URL, authorization: string, timeoutMs: number, endpoint: Endpoint): Promise<string> {
  const where = url.pathname;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: authorization, Accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
    if (e.name === "TimeoutError" || e.name === "AbortError") throw new NetboxError(`NetBox did not answer ${where} within ${timeoutMs / 1000} s (--timeout)`);
    const why = e.cause?.code ?? e.cause?.errors?.find((x) => x.code)?.code ?? e.cause?.message ?? e.message;
    throw new NetboxError(`cannot reach NetBox at ${url.origin}: ${why}`);
  }
  if (response.status === 401 || response.status === 403)
    throw new NetboxError(`NetBox refused the token (HTTP ${response.status} on ${where}): check that it is valid and may read ${endpoint === "devices" ? "devices" : "this endpoint"}`);
  if (response.status === 404 && where.startsWith("/api/vpn/")) throw new NetboxError(`NetBox has no ${where} (HTTP 404): the VPN models need NetBox 3.7 or later`);
  if (!response.ok) throw new NetboxError(`NetBox answered HTTP ${response.status} on ${where}`);
  try {
    return await response.text();
  } catch (err) {
    const e = err as Error;
    if (e.name === "TimeoutError" || e.name === "AbortError") throw new NetboxError(`NetBox did not finish ${where} within ${timeoutMs / 1000} s (--timeout)`);
    throw new NetboxError(`reading ${where} from NetBox failed: ${e.message}`);
  }
}

/**
 * Progress on a terminal: nothing for the first second, then one line rewritten in place with the request
 * count and the endpoint being read, and cleared at the end. The caller passes a stream only for a TTY and
 * text output.
 */
class Progress {
  private readonly started = Date.now();
  private requests = 0;
  private shown = false;
  private timer: NodeJS.Timeout | undefined;
  private last = "";

  constructor(private readonly stream: OutStream | undefined) {
    if (stream) this.timer = setInterval(() => this.draw(), 250);
    this.timer?.unref();
  }

  request(what: string): void {
    this.requests++;
    this.last = what;
    this.draw();
  }

  private draw(): void {
    if (!this.stream || Date.now() - this.started < 1000) return;
    this.shown = true;
    const text = `NetBox: ${this.requests} request${this.requests === 1 ? "" : "s"}, ${((Date.now() - this.started) / 1000).toFixed(1)} s, ${this.last}`;
    this.stream.write(`\r\x1b[K${text.slice(0, 100)}`);
  }

  done(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.shown) this.stream?.write("\r\x1b[K");
  }
}
