/**
 * The integer arithmetic of ./ip.ts against ip-num's own range objects as the oracle, on random prefixes
 * and addresses (boundaries included: /0, /31, /32, 0.0.0.0, 255.255.255.255).
 */
import fc from "fast-check";
import ipnum from "ip-num";
import { describe, expect, it } from "vitest";
import { canonical, comparePrefixes, containsAddress, containsPrefix, hostPrefix, isIpv4, isIpv6, isLinkLocal6, maskOf, overlaps, parseCidr, parseIfAddress, pointToPointPair } from "./ip.js";

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

// The validators run on node:net (no ip-num at run time); ip-num's own validators are the oracle, on text
// drawn from the characters addresses are made of (so most draws are near misses: a group too many, a
// leading zero, a third colon) and on valid addresses of both families.
describe("isIpv4 and isIpv6 agree with ip-num's validators", () => {
  const { Validator } = ipnum;
  const nearMiss = fc.stringMatching(/^[0-9a-fA-F:.]{0,42}$/);
  const oracle4 = (t: string) => /^\d+\.\d+\.\d+\.\d+$/.test(t) && Validator.isValidIPv4String(t)[0];
  const oracle6 = (t: string) => /^[0-9A-Fa-f:]+$/.test(t) && t.includes(":") && Validator.isValidIPv6String(t)[0];
  it("on near misses and valid addresses", () => {
    const valid6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).chain((g) =>
      fc.integer({ min: 0, max: 7 }).map((cut) => (cut % 2 ? canonical(g.map((x) => x.toString(16)).join(":")) : g.map((x) => x.toString(16)).join(":"))),
    );
    fc.assert(
      fc.property(fc.oneof(nearMiss, address, valid6), (t) => {
        expect(isIpv4(t), t).toBe(oracle4(t));
        expect(isIpv6(t), t).toBe(oracle6(t));
      }),
      { numRuns: 20_000 },
    );
  });
  it("on the edge cases", () => {
    for (const t of ["010.0.0.1", "01.1.1.1", "1.1.1.01", "256.1.1.1", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1::2::3", "01234::", ":1::", ":::", "1:2:3:4:5:6::7:8", "::ffff:1.2.3.4", "fe80::1%eth0"]) {
      expect(isIpv4(t), t).toBe(oracle4(t));
      expect(isIpv6(t), t).toBe(oracle6(t));
    }
  });
});

// IPv6: ip-num's IPv6 range objects are the oracle for the arithmetic, Node's WHATWG URL parser (which
// serialises IPv6 hosts in RFC 5952's compressed form) for the canonical text.
const { IPv6CidrRange } = ipnum;
const group = fc.oneof(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xfe80), fc.integer({ min: 0, max: 0xffff }));
const address6 = fc.array(group, { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(":"));
const length6 = fc.oneof(fc.constantFrom(0, 1, 10, 48, 64, 126, 127, 128), fc.integer({ min: 0, max: 128 }));
const cidr6 = fc.tuple(address6, length6).map(([a, l]) => `${a}/${l}`);
const urlForm = (a: string) => new URL(`http://[${a}]/`).hostname.slice(1, -1);
const big = (a: string) => BigInt(`0x${IPv6CidrRange.fromCidr(`${a}/128`).getFirst().toString().split(":").map((g) => g.padStart(4, "0")).join("")}`);

describe("ipv6", () => {
  it("canonical text is RFC 5952's (what the URL parser prints) and parses back to the same value", () => {
    fc.assert(
      fc.property(address6, (a) => {
        const c = canonical(a);
        expect(c).toBe(urlForm(a));
        expect(canonical(c)).toBe(c);
        expect(isIpv6(c)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(canonical("2001:DB8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(canonical("::")).toBe("::");
    expect(canonical("0:0:0:0:0:0:0:1")).toBe("::1");
  });

  it("parseCidr: network, alignment and family agree with ip-num", () => {
    fc.assert(
      fc.property(cidr6, (text) => {
        const { prefix: p, aligned } = parseCidr(text);
        expect(p.family).toBe(6);
        expect(big(p.network)).toBe(big(IPv6CidrRange.fromCidr(text).getFirst().toString()));
        expect(aligned).toBe(big(p.network) === big(text.split("/")[0]!));
      }),
      { numRuns: 1000 },
    );
  });

  it("overlaps and containment agree with ip-num, and never cross families", () => {
    fc.assert(
      fc.property(cidr6, cidr6, (a, b) => {
        const [ra, rb] = [IPv6CidrRange.fromCidr(a), IPv6CidrRange.fromCidr(b)];
        expect(overlaps(parseCidr(a).prefix, parseCidr(b).prefix)).toBe(ra.isOverlapping(rb));
        expect(containsPrefix(parseCidr(a).prefix, parseCidr(b).prefix)).toBe(ra.contains(rb));
      }),
      { numRuns: 1000 },
    );
    expect(overlaps(parseCidr("0.0.0.0/0").prefix, parseCidr("::/0").prefix)).toBe(false);
    expect(containsAddress(parseCidr("::/0").prefix, "10.0.0.1")).toBe(false);
    expect(comparePrefixes(parseCidr("255.0.0.0/8").prefix, parseCidr("::/0").prefix)).toBeLessThan(0);
  });

  it("point-to-point pairs: /127 both addresses, /126 the two usable ones; link-local networks", () => {
    expect(pointToPointPair(parseCidr("2001:db8::/127").prefix)).toEqual(["2001:db8::", "2001:db8::1"]);
    expect(pointToPointPair(parseCidr("2001:db8::4/126").prefix)).toEqual(["2001:db8::5", "2001:db8::6"]);
    expect(isLinkLocal6(parseCidr("fe80::/64").prefix)).toBe(true);
    expect(isLinkLocal6(parseCidr("fec0::/64").prefix)).toBe(false);
    expect(parseIfAddress("2001:DB8::0010/64")).toMatchObject({ address: "2001:db8::10", cidr: "2001:db8::10/64", family: 6, network: { cidr: "2001:db8::/64" } });
    expect(hostPrefix("2001:db8::1").cidr).toBe("2001:db8::1/128");
    expect(maskOf(64, 6)).toBe("ffff:ffff:ffff:ffff::");
    expect(isIpv6("fe80::1%eth0")).toBe(false);
    expect(isIpv6("::ffff:10.0.0.1")).toBe(false);
  });
});
