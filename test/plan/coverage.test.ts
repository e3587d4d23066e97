/**
 * The change plan sees every model field or says why not (test/plan/model-coverage.ts). Each field of every
 * tunnel, peer and host of the example and fixture sites (plus a site that sets what they leave out) is
 * changed on its own in a copy of the compiled model; the plan between the model and the copy must report
 * something for a "compared" field and nothing for an ignored one. A field the table does not know, met in
 * a model, fails too (tsc catches the rest).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SiteModel } from "../../src/model/types.js";
import { resolveSite } from "../../src/model/resolve.js";
import { modelChanges } from "../../src/plan/index.js";
import { sourceOf } from "../helpers/source.js";
import { HOST, PEER, TUNNEL, type Fields, type Spec, type Verdict } from "./model-coverage.js";

const ROOT = new URL("../../", import.meta.url);
const FOLDERS = ["sites", "test/fixtures/sites", "test/gitops/fixtures"];

/** What the example and fixture sites leave out: failover by command, a cloud peer's region, allowWeak, an interface's description, a dual-stack BGP tunnel. */
const EXTRA = {
  file: "sites/coverage-extra.yaml",
  text: `
site: coverage-extra
networks: { far: 10.9.0.0/16, near: 10.0.0.0/16 }
hosts:
  gw1:
    os: debian
    address: 10.0.1.10/24
    interfaces: { tun0: { address: 172.16.0.10/24, description: SSL VPN client } }
    cloud: { provider: aws, region: eu-west-1, instanceId: i-0123456789abcdef0, eni: eni-0123456789abcdef0, routeTables: [rtb-0123456789abcdef0] }
  gw2: { os: debian, address: 10.0.1.11/24, cloud: { provider: aws, region: eu-west-1, instanceId: i-0123456789abcdef1, routeTables: [rtb-0123456789abcdef1] } }
  gw3: { os: debian, address: 10.0.1.12/24, routing: { bgp: { as: 65010 } } }
peers:
  r1: { platform: cisco-ios, address: 203.0.113.1 }
  r2: { platform: strongswan, address: 203.0.113.5, routing: { bgp: { as: 65020 } } }
  az: { platform: azure-vpn-gateway, address: 203.0.113.3, cloud: { region: westeurope, gatewayId: vgw-main } }
tunnels:
  t1: { between: [gw1, r1], allowWeak: the far side is old, ike: { proposals: [aes256-sha256-modp3072] }, esp: { proposals: [aes256-sha256] }, psk: { env: T1_PSK }, inside: 169.254.1.0/30, key: 1, routes: { toPeer: [far], toHost: [near] } }
  t2: { between: [gw2, r1], ike: { proposals: [aes256-sha256-modp3072] }, esp: { proposals: [aes256-sha256] }, psk: { env: T2_PSK }, inside: 169.254.2.0/30, key: 2, routes: { toPeer: [far], toHost: [near] } }
  t3: { between: [gw3, r2], ike: { version: 2, proposals: [aes256gcm16-prfsha384-ecp384] }, esp: { proposals: [aes256gcm16-ecp384] }, psk: { env: T3_PSK }, inside: 169.254.3.0/30, inside6: fd00:3::/126, key: 3, routes: { toPeer: [far], toHost: [near] }, bgp: {} }
failover:
  pair: { gateways: [gw1, gw2], action: command, command: /usr/local/sbin/move-routes }
`,
};

function models(): { file: string; model: SiteModel }[] {
  const files = FOLDERS.flatMap((folder) =>
    readdirSync(new URL(folder, ROOT))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => ({ file: `${folder}/${f}`, text: readFileSync(new URL(`${folder}/${f}`, ROOT), "utf8") })),
  );
  return [...files, EXTRA].flatMap(({ file, text }) => {
    // Resolved without the targets: the plan compares models, never artifacts.
    const { source, intent } = sourceOf(text, file);
    return [{ file, model: resolveSite(source, intent, "0".repeat(64)).model }];
  });
}

type Key = string | number;
interface Leaf {
  /** The table's name of the field: `hosts[].vtis[].mtu`. */
  readonly field: string;
  readonly verdict: Verdict;
  /** Where its value is in the site model. */
  readonly at: readonly Key[];
  readonly value: unknown;
}

/** The leaves of one model along the table, and the fields the table does not know. */
function leaves(model: SiteModel): { leaves: Leaf[]; unknown: string[] } {
  const out: Leaf[] = [];
  const unknown: string[] = [];
  const visit = (spec: Spec<unknown>, value: unknown, field: string, at: Key[]): void => {
    if (value === undefined) return;
    if (spec === "compared" || "ignored" in spec) {
      out.push({ field, verdict: spec, at, value });
      return;
    }
    if ("each" in spec) {
      (value as unknown[]).forEach((item, i) => visitFields(spec.each as Fields<unknown>, item, `${field}[]`, [...at, i]));
      return;
    }
    visitFields(spec.fields as Fields<unknown>, value, field, at);
  };
  const visitFields = (fields: Fields<unknown>, value: unknown, field: string, at: Key[]): void => {
    const table = fields as Readonly<Record<string, Spec<unknown>>>;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const spec = table[key];
      if (!spec) unknown.push(`${field}.${key}`);
      else visit(spec, v, `${field}.${key}`, [...at, key]);
    }
  };
  model.tunnels.forEach((t, i) => visitFields(TUNNEL as Fields<unknown>, t, "tunnels[]", ["tunnels", i]));
  model.peers.forEach((p, i) => visitFields(PEER as Fields<unknown>, p, "peers[]", ["peers", i]));
  model.hosts.forEach((h, i) => visitFields(HOST as Fields<unknown>, h, "hosts[]", ["hosts", i]));
  return { leaves: out, unknown };
}

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/** Another value of the same kind, or undefined when there is none to make (an empty list). */
function changed(value: unknown): unknown {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  if (typeof value === "string") return IPV4.test(value) ? (value === "198.51.100.77" ? "198.51.100.78" : "198.51.100.77") : `${value}-changed`;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return [...value, changed(value[0])];
  }
  const o = value as Record<string, unknown>;
  if ("cidr" in o && "mask" in o) {
    const cidr = o.cidr === "198.51.100.0/24" ? "198.51.101.0/24" : "198.51.100.0/24";
    return { cidr, network: cidr.split("/")[0], length: 24, mask: "255.255.255.0", name: "changed" };
  }
  if ("address" in o && "network" in o) return { address: "198.51.100.9", length: 24, cidr: "198.51.100.9/24", network: changed(o.network) };
  if ("seconds" in o && "text" in o) return { text: `${Number(o.seconds) + 7}s`, seconds: Number(o.seconds) + 7 };
  if ("encryption" in o && "text" in o) return { ...o, text: `${String(o.text)}-changed` };
  if ("placeholder" in o) return { ...o, ref: `${String(o.ref)}_CHANGED`, placeholder: `${String(o.placeholder)}-changed` };
  if ("protocol" in o && "from" in o) return { ...o, from: Number(o.from) + 1, to: Number(o.to) + 1 };
  throw new Error(`no way to change ${JSON.stringify(value)}: give it a fields entry in the table`);
}

function withValue(model: SiteModel, at: readonly Key[], value: unknown): SiteModel {
  const copy = structuredClone(model) as unknown as Record<Key, unknown>;
  let node: Record<Key, unknown> = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<Key, unknown>;
  node[at.at(-1)!] = value;
  return copy as unknown as SiteModel;
}

interface Survey {
  readonly sites: number;
  /** Per table field: its verdict, how often it was changed, and what the plan said each time it said something. */
  readonly found: ReadonlyMap<string, { readonly verdict: Verdict; seen: number; readonly reported: string[] }>;
  readonly unknown: ReadonlySet<string>;
}

/** Every field of every site changed on its own, once for all the tests below. */
function survey(): Survey {
  const all = models();
  const found = new Map<string, { verdict: Verdict; seen: number; reported: string[] }>();
  const unknown = new Set<string>();
  for (const { file, model } of all) {
    const walked = leaves(model);
    walked.unknown.forEach((f) => unknown.add(`${f} (${file})`));
    for (const leaf of walked.leaves) {
      const entry = found.get(leaf.field) ?? { verdict: leaf.verdict, seen: 0, reported: [] };
      found.set(leaf.field, entry);
      const other = changed(leaf.value);
      if (other === undefined) continue;
      entry.seen++;
      const changes = modelChanges(model, withValue(model, leaf.at, other));
      if (changes.length) entry.reported.push(`${file}: ${changes[0]!.text}`);
    }
  }
  return { sites: all.length, found, unknown };
}

describe("the change plan's coverage of the model", () => {
  let surveyed: Survey | undefined;
  const result = () => (surveyed ??= survey());

  it("reads the models of every example and fixture site", () => {
    expect(result().sites).toBeGreaterThan(10);
  });

  it("knows every field the models have", () => {
    expect([...result().unknown].sort()).toEqual([]);
  });

  it("reports a change of every field it compares (each met in some site)", () => {
    const { found } = result();
    const silent = [...found].filter(([, e]) => e.verdict === "compared" && e.reported.length === 0).map(([f, e]) => `${f} (changed in ${e.seen} places)`);
    expect(silent).toEqual([]);
    const claimed = (fields: Fields<unknown>, prefix: string): string[] =>
      Object.entries(fields as Record<string, Spec<unknown>>).flatMap(([k, s]) =>
        s === "compared" ? [`${prefix}.${k}`] : "ignored" in s ? [] : "each" in s ? claimed(s.each as Fields<unknown>, `${prefix}.${k}[]`) : claimed(s.fields as Fields<unknown>, `${prefix}.${k}`),
      );
    const unmet = [
      ...claimed(TUNNEL as Fields<unknown>, "tunnels[]"),
      ...claimed(PEER as Fields<unknown>, "peers[]"),
      ...claimed(HOST as Fields<unknown>, "hosts[]"),
    ].filter((f) => !found.get(f)?.seen);
    expect(unmet).toEqual([]);
  });

  it("reports nothing for a field it ignores (else the field is compared, and the table says why not wrongly)", () => {
    const loud = [...result().found].filter(([, e]) => e.verdict !== "compared" && e.reported.length > 0).map(([f, e]) => `${f}: ${e.reported[0]}`);
    expect(loud).toEqual([]);
  });
});
