import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PortRange } from "../../model/types.js";
import { portMatches } from "./ports.js";

const tcp = (from: number, to = from): PortRange => ({ protocol: "tcp", from, to });

describe("portMatches", () => {
  it("no ports: one rule for every protocol", () => {
    expect(portMatches([])).toEqual([""]);
  });

  it("one port or one range: the protocol's own match, as iptables-save prints it", () => {
    expect(portMatches([tcp(8080)])).toEqual(["-p tcp -m tcp --dport 8080"]);
    expect(portMatches([tcp(30000, 32767)])).toEqual(["-p tcp -m tcp --dport 30000:32767"]);
  });

  it("several ports of one protocol share a multiport match, sorted; each protocol gets its own rule", () => {
    expect(portMatches([tcp(443), { protocol: "udp", from: 53, to: 53 }, tcp(80), tcp(8000, 8999), { protocol: "sctp", from: 3868, to: 3868 }])).toEqual([
      "-p sctp -m sctp --dport 3868",
      "-p tcp -m multiport --dports 80,443,8000:8999",
      "-p udp -m udp --dport 53",
    ]);
  });

  it("more than 15 slots (a range takes two) are split over several rules", () => {
    const ports = Array.from({ length: 16 }, (_, i) => tcp(1000 + i));
    expect(portMatches(ports)).toEqual([`-p tcp -m multiport --dports ${ports.slice(0, 15).map((p) => p.from).join(",")}`, "-p tcp -m tcp --dport 1015"]);
    const ranges = Array.from({ length: 8 }, (_, i) => tcp(100 * (i + 1), 100 * (i + 1) + 9));
    expect(portMatches(ranges)).toHaveLength(2);
  });

  it("refuses a port outside 1..65535 instead of writing it", () => {
    expect(() => portMatches([tcp(0)])).toThrow(/internal/);
    expect(() => portMatches([tcp(10, 5)])).toThrow(/internal/);
  });

  it("any port list: every port is matched exactly once, under its protocol, within the multiport limit", () => {
    const port = fc
      .record({ protocol: fc.constantFrom("tcp" as const, "udp" as const, "sctp" as const), from: fc.integer({ min: 1, max: 65535 }), span: fc.integer({ min: 0, max: 50 }) })
      .map(({ protocol, from, span }) => ({ protocol, from, to: Math.min(65535, from + span) }));
    fc.assert(
      fc.property(fc.array(port, { minLength: 1, maxLength: 40 }), (ports) => {
        const seen: string[] = [];
        for (const match of portMatches(ports)) {
          const m = /^-p (tcp|udp|sctp) -m (?:\1 --dport|multiport --dports) ([\d:,]+)$/.exec(match);
          expect(m, match).not.toBeNull();
          const specs = m![2]!.split(",");
          expect(specs.reduce((n, s) => n + (s.includes(":") ? 2 : 1), 0)).toBeLessThanOrEqual(15);
          seen.push(...specs.map((s) => `${m![1]}/${s}`));
        }
        const want = [...new Set(ports.map((p) => `${p.protocol}/${p.from === p.to ? p.from : `${p.from}:${p.to}`}`))];
        expect(seen.sort()).toEqual(want.sort());
      }),
    );
  });
});
