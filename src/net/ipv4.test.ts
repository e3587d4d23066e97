/**
 * The integer arithmetic of ./ipv4.ts against ip-num's own range objects as the oracle, on random prefixes
 * and addresses (boundaries included: /0, /31, /32, 0.0.0.0, 255.255.255.255).
 */
import fc from "fast-check";
import ipnum from "ip-num";
import { describe, expect, it } from "vitest";
import { comparePrefixes, containsAddress, containsPrefix, isIpv4, maskOf, overlaps, parseCidr, pointToPointPair } from "./ipv4.js";

const { IPv4, IPv4CidrRange } = ipnum;

const octet = fc.oneof(fc.constantFrom(0, 1, 127, 128, 254, 255), fc.integer({ min: 0, max: 255 }));
const address = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
const length = fc.oneof(fc.constantFrom(0, 1, 8, 16, 24, 30, 31, 32), fc.integer({ min: 0, max: 32 }));
const cidr = fc.tuple(address, length).map(([a, l]) => `${a}/${l}`);

const oracle = (text: string) => IPv4CidrRange.fromCidr(text);
const prefix = (text: string) => parseCidr(text).prefix;

describe("ipv4 arithmetic agrees with ip-num", () => {
  it("parseCidr: network address, mask and alignment", () => {
    fc.assert(
      fc.property(cidr, (text) => {
        const { prefix: p, aligned } = parseCidr(text);
        const first = oracle(text).getFirst().toString();
        expect(p.network).toBe(first);
        expect(aligned).toBe(first === text.split("/")[0]);
        expect(p.mask).toBe(IPv4CidrRange.fromCidr(`0.0.0.0/${p.length}`).getPrefix().toMask().toString());
      }),
      { numRuns: 2000 },
    );
  });

  it("overlaps and containsPrefix", () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(overlaps(prefix(a), prefix(b))).toBe(oracle(a).isOverlapping(oracle(b)));
        expect(containsPrefix(prefix(a), prefix(b))).toBe(oracle(a).contains(oracle(b)));
      }),
      { numRuns: 3000 },
    );
  });

  it("containsAddress", () => {
    fc.assert(
      fc.property(cidr, address, (c, a) => {
        expect(containsAddress(prefix(c), a)).toBe(oracle(c).contains(IPv4.fromString(a)));
      }),
      { numRuns: 3000 },
    );
  });

  it("comparePrefixes orders by network address, then length", () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        const [pa, pb] = [prefix(a), prefix(b)];
        const byValue = Math.sign(Number(IPv4.fromString(pa.network).value - IPv4.fromString(pb.network).value)) || Math.sign(pa.length - pb.length);
        expect(Math.sign(comparePrefixes(pa, pb))).toBe(byValue);
      }),
      { numRuns: 2000 },
    );
  });

  it("boundaries: the whole space, a single address, the last address", () => {
    expect(containsAddress(prefix("0.0.0.0/0"), "255.255.255.255")).toBe(true);
    expect(containsPrefix(prefix("10.0.0.1/32"), prefix("10.0.0.1/32"))).toBe(true);
    expect(overlaps(prefix("255.255.255.255/32"), prefix("255.255.255.254/31"))).toBe(true);
    expect(overlaps(prefix("10.0.0.0/31"), prefix("10.0.0.2/31"))).toBe(false);
    expect(maskOf(0)).toBe("0.0.0.0");
    expect(maskOf(30)).toBe("255.255.255.252");
    expect(pointToPointPair(prefix("169.254.10.0/30"))).toEqual(["169.254.10.1", "169.254.10.2"]);
    expect(pointToPointPair(prefix("169.254.10.0/31"))).toEqual(["169.254.10.0", "169.254.10.1"]);
  });

  it("isIpv4 accepts dotted quads only", () => {
    for (const ok of ["0.0.0.0", "10.1.2.3", "255.255.255.255"]) expect(isIpv4(ok)).toBe(true);
    for (const bad of ["256.0.0.1", "10.0.0", "10.0.0.1/32", "::1", " 10.0.0.1", "1e1.0.0.1", ""]) expect(isIpv4(bad)).toBe(false);
  });
});
