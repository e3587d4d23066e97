/** The expansion limits: exact arithmetic at the boundary, tolerance of any data, and recovery after a refusal. */
import { describe, expect, it } from "vitest";
import { analyseSource } from "../compile/analyse.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import { exceededLimits, fmt, LIMITS } from "./limits.js";

const cidrs = (n: number, first = 10) => Array.from({ length: n }, (_, i) => `${first}.${(i >> 8) & 255}.${i & 255}.0/24`);
const flow = (from: number, to: number, ports: number, via = "gw") => ({ from: cidrs(from), to: cidrs(to, 172), via, out: "tun0", ...(ports ? { ports: Array.from({ length: ports }, (_, i) => `tcp/${1000 + i}`) } : {}) });

describe("exceededLimits", () => {
  it("allows a flow of exactly flow-rules and refuses one more, with the arithmetic", () => {
    expect(exceededLimits({ flows: { f: flow(100, 100, 5) } })).toEqual([]);
    expect(LIMITS.flowRules.value).toBe(50_000);
    const over = exceededLimits({ flows: { f: flow(100, 100, 6) } });
    expect(over.map((e) => [e.limit.name, e.path, e.count, e.arithmetic])).toEqual([["flow-rules", ["flows", "f"], 60_000, "100 sources × 100 destinations × 6 ports"]]);
  });

  it("counts a flow without ports once per source and destination", () => {
    expect(exceededLimits({ flows: { f: flow(250, 201, 0) } }).map((e) => [e.count, e.arithmetic])).toEqual([[50_250, "250 sources × 201 destinations × 1 (all ports)"]]);
  });

  it("reports the entry that crosses a host's budget, and an entry over its own limit only once", () => {
    const flows = { a: flow(200, 200, 1), b: flow(200, 200, 1), c: flow(200, 200, 1), d: flow(1000, 1000, 1), e: flow(10, 10, 1, "other") };
    expect(exceededLimits({ flows }).map((e) => `${e.limit.name} ${e.path.join("/")} ${fmt(e.count)}`)).toEqual(["host-rules flows/c 120,000", "flow-rules flows/d 1,000,000"]);
  });

  it("counts a tunnel's network pairs, twice towards its host", () => {
    const tunnel = (n: number) => ({ between: ["gw", "r1"], routes: { toHost: cidrs(n), toPeer: cidrs(100, 172) } });
    expect(exceededLimits({ tunnels: { t: tunnel(100) } })).toEqual([]);
    expect(exceededLimits({ tunnels: { t: tunnel(101) } }).map((e) => [e.limit.name, e.count])).toEqual([["tunnel-selectors", 10_100]]);
    const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`t${i}`, tunnel(100)]));
    expect(exceededLimits({ tunnels: many }).map((e) => [e.limit.name, e.path.join("/"), e.count])).toEqual([["host-rules", "tunnels/t5", 120_000]]);
  });

  it("counts policy peers, and isolation once per namespace towards the site", () => {
    expect(exceededLimits({ cluster: { egress: [{ namespace: "a", allow: Array.from({ length: 999 }, () => ({ to: "x", except: ["y"] })) }] } }).map((e) => [e.limit.name, e.count])).toEqual([["policy-peers", 1998]]);
    expect(exceededLimits({ cluster: { isolation: { namespaces: Array.from({ length: 300 }, (_, i) => `n${i}`), allowFrom: cidrs(1000) } } }).map((e) => [e.limit.name, e.count])).toEqual([["site-total", 300_000]]);
  });

  it("takes any data without throwing: what is not a list counts as empty", () => {
    for (const data of [null, 3, "x", [], { flows: "x" }, { flows: { f: null, g: { from: "a", to: 3 } } }, { tunnels: { t: { routes: [] } } }, { cluster: { egress: [null, 3, { allow: "x" }] } }])
      expect(exceededLimits(data)).toEqual([]);
  });
});

describe("a refused entry in a site", () => {
  it("is SW140 at the entry, and the meaning checks still judge the rest of the site", () => {
    const big = flow(300, 300, 1);
    const text = [
      "site: big",
      "networks:",
      "  lan: 10.99.0.1/16",
      "hosts:",
      "  gw: { os: debian, address: 192.168.0.1/24, interfaces: { tun0: { address: 192.168.1.1/24 } } }",
      "flows:",
      "  f:",
      `    from: [${big.from.join(", ")}]`,
      `    to: [${big.to.join(", ")}]`,
      "    via: gw",
      "    out: tun0",
    ].join("\n");
    const found = sortDiagnostics([...analyseSource("sites/big.yaml", text).diagnostics]).map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.code} ${d.message}`);
    expect(found).toEqual([
      "3:8 SW101 '10.99.0.1/16' is not a network address: host bits are set",
      "7:3 SW140 flow 'f' expands to 90,000 FORWARD rules (300 sources × 300 destinations × 1 (all ports)); the flow-rules limit is 50,000",
    ]);
  });
});
