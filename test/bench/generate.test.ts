/**
 * The benchmark's synthetic sites must stay valid as the schema and the rules grow (a benchmark of error
 * paths would measure the wrong thing), cover what they claim to cover, and be a pure function of the seed.
 */
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { generateHubSite, generateSite, generateSites } from "./generate.js";
import { createRng } from "./prng.js";

const SEED = 7;
const sites = generateSites(SEED, 60);

describe("benchmark sites", () => {
  it.each(sites.map((s) => [s.file, s] as const))("%s compiles without a diagnostic", (_, site) => {
    const result = compileSource(site.file, site.text);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.artifacts.length).toBeGreaterThan(10);
  });

  it("mix gateways, nodes, peers, tunnels, links, flows, failover pairs and cluster policy", () => {
    const count = (pattern: RegExp) => sites.filter((s) => pattern.test(s.text)).length;
    for (const pattern of [/^links:/m, /^flows:/m, /^failover:/m, /^cluster:/m, /^  gw-2:/m, /^  dc-router-2:/m, /^  vpn4:/m, /ospf:/, /bgp:/, /version: 1/, /version: 2/]) {
      expect(count(pattern), String(pattern)).toBeGreaterThan(0);
      expect(count(pattern), String(pattern)).toBeLessThan(sites.length);
    }
    for (const site of sites) {
      const hosts = site.text.match(/^ {2}(gw|node)-\d+:$/gm) ?? [];
      expect(hosts.length).toBeGreaterThanOrEqual(2);
      expect(hosts.length).toBeLessThanOrEqual(4);
    }
  });

  it("are a function of the seed: site N is the same file at every repository size", () => {
    expect(generateSites(SEED, 60)).toEqual(sites);
    expect(generateSite(SEED, 42)).toEqual(sites[42]);
    expect(generateSites(SEED + 1, 60).map((s) => s.text)).not.toEqual(sites.map((s) => s.text));
    expect(new Set(sites.map((s) => s.name)).size).toBe(sites.length);
  });
});

describe("hub sites (many tunnels per site)", () => {
  it.each([1, 2, 7])("a hub with %i tunnel(s) compiles without a diagnostic", (tunnels) => {
    const site = generateHubSite(tunnels);
    const result = compileSource(site.file, site.text);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  it("the 500-tunnel hub is a valid site: every tunnel, branch router and flow compiled", () => {
    const site = generateHubSite(500);
    const started = performance.now();
    const result = compileSource(site.file, site.text);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    // One configuration per branch router, besides the gateways' and nodes' files.
    const routers = new Set(result.artifacts.map((a) => /^devices\/(branch-\d+)\//.exec(a.path)?.[1]).filter((p) => p !== undefined));
    expect(routers.size).toBe(500);
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it("grows tunnels, peers, branch networks and flows together, spread so no gateway exceeds its 252 tables", () => {
    for (const tunnels of [1, 250, 500, 1001]) {
      const text = generateHubSite(tunnels).text;
      expect(text.match(/^ {2}b\d+:$/gm)?.length).toBe(tunnels);
      expect(text.match(/^ {2}branch-\d+:/gm)?.length).toBe(2 * tunnels); // a network and a peer each
      expect(text.match(/^ {2}to-branch-\d+:$/gm)?.length).toBe(tunnels);
      const perGateway = new Map<string, number>();
      for (const [, gw] of text.matchAll(/between: \[(gw-\d+), /g)) perGateway.set(gw!, (perGateway.get(gw!) ?? 0) + 1);
      expect(Math.max(...perGateway.values())).toBeLessThanOrEqual(252);
      expect(Math.max(...[...text.matchAll(/table: (\d+)/g)].map((m) => Number(m[1])))).toBeLessThanOrEqual(252);
    }
    expect(generateHubSite(100)).toEqual(generateHubSite(100));
    expect(() => generateHubSite(0)).toThrow(RangeError);
  });
});

describe("createRng", () => {
  it("repeats its stream for the same seed and stream, and differs for others", () => {
    const draw = (seed: number, stream: number) => {
      const rng = createRng(seed, stream);
      return Array.from({ length: 8 }, () => rng.uint32());
    };
    expect(draw(1, 0)).toEqual(draw(1, 0));
    expect(draw(1, 0)).not.toEqual(draw(2, 0));
    expect(draw(1, 0)).not.toEqual(draw(1, 1));
  });

  it("keeps int() within its bounds and reaches both ends", () => {
    const rng = createRng(3);
    const seen = new Set(Array.from({ length: 2000 }, () => rng.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });
});
