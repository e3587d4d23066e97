/**
 * One defaults table (src/intent/defaults.ts), three readers that must agree with it: the resolver fills in
 * exactly the table's values, the schema's descriptions end with the table's sentence (and state no default of
 * their own), and the README's defaults table is the table rendered. `UPDATE_GOLDENS=1` rewrites the README
 * section, like the schema file test rewrites schema/site.schema.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULTS, defaultSentence, defaultsMarkdown, type DefaultKey } from "../src/intent/defaults.js";
import { siteSchemaJson } from "../src/intent/schema.js";
import { resolveSite } from "../src/model/resolve.js";
import type { SiteModel } from "../src/model/types.js";
import { sourceOf } from "./helpers/source.js";

const README = new URL("../README.md", import.meta.url);
const START = "<!-- defaults:start -->\n";
const END = "<!-- defaults:end -->";

/** A site that leaves every defaulted key out (a second tunnel's 10s monitor interval shows the timeout's cap). */
const BARE = `
site: bare
hosts:
  gw1: { os: debian, address: 10.0.1.10/24, routing: { bgp: { as: 65001 } }, cloud: { provider: aws, instanceId: i-0123456789abcdef0, routeTables: [rtb-0123456789abcdef0] } }
  gw2: { os: debian, address: 10.0.1.11/24, cloud: { provider: aws, instanceId: i-0123456789abcdef1, routeTables: [rtb-0123456789abcdef1] } }
  node: { os: debian, address: 10.0.2.10/24 }
peers:
  r1: { platform: cisco-ios, address: 203.0.113.1, routing: { bgp: { as: 65002 } } }
  r2: { platform: cisco-ios, address: 203.0.113.2 }
  az: { platform: azure-vpn-gateway, address: 203.0.113.3, cloud: {} }
  gcp: { platform: gcp-ha-vpn, address: 203.0.113.4, cloud: {} }
networks: { far: 10.9.0.0/16, near: 10.0.0.0/16 }
tunnels:
  t1:
    between: [gw1, r1]
    ike: { proposals: [aes256-sha256-modp3072] }
    esp: { proposals: [aes256-sha256] }
    psk: { env: T1_PSK }
    inside: 169.254.1.0/30
    key: 1
    routes: { toPeer: [far], toHost: [near] }
    bgp: {}
  t2:
    between: [gw2, r2]
    ike: { proposals: [aes256-sha256-modp3072] }
    esp: { proposals: [aes256-sha256] }
    psk: { env: T2_PSK }
    inside: 169.254.2.0/30
    key: 2
    monitor: { interval: 10s }
links:
  l1: { kind: ipip, between: [gw1, node], inside: 192.168.0.0/30 }
flows:
  f1: { from: [node], to: [far], via: gw1, out: vti1 }
failover:
  pair: { gateways: [gw1, gw2] }
cluster:
  masquerade: { nonMasqueradeCIDRs: [near] }
`;

function bareModel(): SiteModel {
  const { source, intent } = sourceOf(BARE);
  const { model, diagnostics } = resolveSite(source, intent, "0".repeat(64));
  expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return model;
}

/** Where each fixed default shows in the resolved model of BARE. */
const IN_MODEL: Readonly<Partial<Record<DefaultKey, (m: SiteModel) => unknown>>> = {
  "strongswan.format": (m) => host(m, "gw1").strongswanFormat,
  "hosts.<h>.interface": (m) => host(m, "gw1").interface,
  "hosts.<h>.firewall.forwardDefault": (m) => host(m, "gw1").forwardDefault,
  "peers.<p>.cloud.gateway": (m) => ({ "azure-vpn-gateway": peer(m, "az").cloud?.gateway, "gcp-ha-vpn": peer(m, "gcp").cloud?.gateway }),
  "tunnels.<t>.kind": (m) => tunnel(m, "t1").kind,
  "tunnels.<t>.ike.version": (m) => both(m, (e) => e.ike.version),
  "tunnels.<t>.ike.lifetime": (m) => both(m, (e) => e.ike.lifetime.text),
  "tunnels.<t>.ike.aggressive": (m) => both(m, (e) => e.ike.aggressive),
  "tunnels.<t>.esp.lifetime": (m) => both(m, (e) => e.esp.lifetime.text),
  "tunnels.<t>.dpd.delay": (m) => both(m, (e) => e.dpd.delay.text),
  "tunnels.<t>.dpd.timeout": (m) => both(m, (e) => e.dpd.timeout.text),
  "tunnels.<t>.dpd.action": (m) => both(m, (e) => e.dpd.action),
  "tunnels.<t>.mtu": (m) => both(m, (e) => e.mtu),
  "tunnels.<t>.startAction": (m) => tunnel(m, "t1").startAction,
  "tunnels.<t>.insideOrder": (m) => tunnel(m, "t1").insideOrder,
  "tunnels.<t>.monitor.interval": (m) => tunnel(m, "t1").monitor.interval.text,
  // t2 probes every 10s: its timeout is the cap.
  "tunnels.<t>.monitor.timeout": (m) => tunnel(m, "t2").monitor.timeout.text,
  "tunnels.<t>.monitor.failures": (m) => tunnel(m, "t1").monitor.failures,
  "tunnels.<t>.bgp.holdTime": (m) => tunnel(m, "t1").bgp?.holdTime.text,
  "tunnels.<t>.bgp.bfd": (m) => tunnel(m, "t1").bgp?.bfd,
  "tunnels.<t>.bgp.preference": (m) => tunnel(m, "t1").bgp?.preference,
  "links.<l>.mtu": (m) => m.links[0]?.mtu,
  "links.<l>.ttl": (m) => m.links[0]?.ttl,
  "flows.<f>.nat": (m) => m.flows[0]?.nat,
  "failover.<pair>.action": (m) => m.failover[0]?.action,
  "failover.<pair>.interval": (m) => host(m, "gw1").failover?.interval.text,
  "failover.<pair>.failures": (m) => host(m, "gw1").failover?.failures,
  "failover.<pair>.recoveries": (m) => host(m, "gw1").failover?.recoveries,
  "failover.<pair>.restartPartner": (m) => host(m, "gw1").failover?.restartPartner,
  "cluster.masquerade.masqLinkLocal": (m) => m.cluster?.masquerade?.masqLinkLocal,
  "cluster.masquerade.resyncInterval": (m) => m.cluster?.masquerade?.resyncInterval.text,
  "cluster.masquerade.agent.masqChain": (m) => m.cluster?.masquerade?.agent.masqChain,
  "cluster.masquerade.agent.nomasqAllReservedRanges": (m) => m.cluster?.masquerade?.agent.nomasqAllReservedRanges,
  "cluster.masquerade.agent.randomFully": (m) => m.cluster?.masquerade?.agent.randomFully,
  "cluster.dns.namespace": (m) => m.cluster?.dns.namespace,
  "cluster.dns.pods": (m) => m.cluster?.dns.pods,
};

const host = (m: SiteModel, name: string) => m.hosts.find((h) => h.name === name)!;
const peer = (m: SiteModel, name: string) => m.peers.find((p) => p.name === name)!;
const tunnel = (m: SiteModel, name: string) => m.tunnels.find((t) => t.name === name)!;
/** One value when both ends of t1 have it (else both, so that the comparison fails). */
function both(m: SiteModel, get: (e: SiteModel["tunnels"][number]["host"]) => unknown): unknown {
  const t = tunnel(m, "t1");
  const [a, b] = [get(t.host), get(t.peer)];
  return a === b ? a : [a, b];
}

const keys = Object.keys(DEFAULTS) as DefaultKey[];
const fixed = keys.filter((k) => "value" in DEFAULTS[k]);

describe("the defaults table", () => {
  it("has a reason for every default, and either a value or how it is derived", () => {
    for (const key of keys) {
      const entry: { value?: unknown; derived?: string; why: string } = DEFAULTS[key];
      expect(entry.why.length, key).toBeGreaterThan(10);
      expect(entry.why, key).not.toMatch(/\.$/);
      expect((entry.value !== undefined) !== (entry.derived !== undefined), key).toBe(true);
    }
  });

  it("is what the resolver fills in: every fixed default is checked on a site that omits it", () => {
    expect(Object.keys(IN_MODEL).sort()).toEqual([...fixed].sort());
    const model = bareModel();
    for (const key of fixed) expect(IN_MODEL[key]!(model), key).toEqual((DEFAULTS[key] as { value: unknown }).value);
  });

  it("ends the schema description of every key it names, and no description states a default of its own", () => {
    const schema = JSON.parse(siteSchemaJson()) as SchemaNode;
    for (const key of keys) {
      const node = schemaAt(schema, key);
      expect(node, key).toBeDefined();
      expect(node!.description, key).toMatch(new RegExp(`${escape(defaultSentence(key))}$`));
    }
    const own: string[] = [];
    walk(schema, (description, path) => {
      const text = description.replace(/ Default: .*$/s, "");
      if (/\(default\b|\bdefault:|default \d|\(the default\)/i.test(text)) own.push(`${path}: ${text}`);
    });
    expect(own).toEqual([]);
  });

  it("is the README's defaults table", () => {
    const readme = readFileSync(README, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const expected = readme.slice(0, start + START.length) + defaultsMarkdown() + readme.slice(end);
    if (process.env.UPDATE_GOLDENS === "1" && expected !== readme) writeFileSync(README, expected);
    const now = readFileSync(README, "utf8");
    expect(now.slice(now.indexOf(START) + START.length, now.indexOf(END))).toBe(defaultsMarkdown());
  });
});

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/** `tunnels.<t>.dpd.delay` → the schema node: `<name>` is a map entry, `[]` a list item. */
function schemaAt(root: SchemaNode, key: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of key.split(".")) {
    if (!node) return undefined;
    if (/^<\w+>$/.test(segment)) {
      node = typeof node.additionalProperties === "object" ? node.additionalProperties : undefined;
      continue;
    }
    const [name, ...lists] = segment.split("[]");
    // A union (tunnels.<t>.device: a name or an object): the branch that has the key.
    const holder: SchemaNode | undefined = node.properties ? node : node.anyOf?.find((b) => b.properties?.[name!]);
    node = holder?.properties?.[name!];
    for (let i = 0; i < lists.length && node; i++) node = node.items;
  }
  return node;
}

function walk(node: unknown, visit: (description: string, path: string) => void, path = ""): void {
  if (!node || typeof node !== "object") return;
  const n = node as Record<string, unknown>;
  if (typeof n.description === "string") visit(n.description, path || "/");
  for (const [k, v] of Object.entries(n)) if (typeof v === "object") walk(v, visit, `${path}/${k}`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
