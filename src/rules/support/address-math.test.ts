/**
 * The family-aware address arithmetic of ./address-math.ts against ip-num's range objects as the oracle, on
 * random prefixes of both families (boundaries included: /0, /30, /31, /32, /64, /126, /127, /128).
 */
import fc from "fast-check";
import ipnum from "ip-num";
import { describe, expect, it } from "vitest";
import { parseCidr } from "../../net/ip.js";
import { addressText, addressValue, isUsableIn, lastAddress, reservedIn, usableRange } from "./address-math.js";

const { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } = ipnum;

const octet = fc.oneof(fc.constantFrom(0, 1, 127, 128, 254, 255), fc.integer({ min: 0, max: 255 }));
const address4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
const length4 = fc.oneof(fc.constantFrom(0, 8, 24, 30, 31, 32), fc.integer({ min: 0, max: 32 }));
const group = fc.oneof(fc.constantFrom(0, 0, 1, 0xffff, 0xfe80), fc.integer({ min: 0, max: 0xffff }));
const address6 = fc.array(group, { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(":"));
const length6 = fc.oneof(fc.constantFrom(0, 10, 48, 64, 126, 127, 128), fc.integer({ min: 0, max: 128 }));

/** A random prefix of either family with its ip-num range, and a random address of the same family. */
const sample = fc.oneof(
  fc.tuple(address4, length4, address4).map(([a, l, other]) => ({ family: 4 as const, cidr: `${a}/${l}`, other, range: IPv4CidrRange.fromCidr(`${a}/${l}`), value: (x: string) => IPv4.fromString(x).value })),
  fc.tuple(address6, length6, address6).map(([a, l, other]) => ({ family: 6 as const, cidr: `${a}/${l}`, other, range: IPv6CidrRange.fromCidr(`${a}/${l}`), value: (x: string) => IPv6.fromString(x).value })),
);

describe("address arithmetic of both families agrees with ip-num", () => {
  it("addressValue and addressText: ip-num's value, and back to the canonical text", () => {
    fc.assert(
      fc.property(sample, (s) => {
        const p = parseCidr(s.cidr).prefix;
        expect(addressValue(p.network)).toBe(s.range.getFirst().value);
        expect(addressText(addressValue(p.network), s.family)).toBe(p.network);
        expect(addressValue(s.other)).toBe(s.value(s.other));
      }),
      { numRuns: 3000 },
    );
  });

  it("lastAddress is the range's last address", () => {
    fc.assert(
      fc.property(sample, (s) => {
        expect(addressValue(lastAddress(parseCidr(s.cidr).prefix))).toBe(s.range.getLast().value);
      }),
      { numRuns: 3000 },
    );
  });

  it("usableRange: IPv4 without network and broadcast (/31, /32 whole); IPv6 without the subnet-router anycast (/127, /128 whole)", () => {
    fc.assert(
      fc.property(sample, (s) => {
        const p = parseCidr(s.cidr).prefix;
        const { first, last } = usableRange(p);
        const whole = p.length >= (s.family === 4 ? 31 : 127);
        const wantFirst = whole ? s.range.getFirst() : s.range.getFirst().nextIPNumber();
        const wantLast = whole || s.family === 6 ? s.range.getLast() : s.range.getLast().previousIPNumber();
        expect(addressValue(first)).toBe(wantFirst.value);
        expect(addressValue(last)).toBe(wantLast.value);
      }),
      { numRuns: 3000 },
    );
  });

  it("isUsableIn: inside the range and within usableRange; reservedIn names what is taken out", () => {
    fc.assert(
      fc.property(sample, fc.boolean(), (s, inside) => {
        const p = parseCidr(s.cidr).prefix;
        // Half the runs pick an address inside the prefix: the network, the last, or the random address moved into it.
        const mask = s.range.getLast().value - s.range.getFirst().value;
        const candidate = inside ? addressText(s.range.getFirst().value + (s.value(s.other) & mask), s.family) : s.other;
        const v = addressValue(candidate);
        const { first, last } = usableRange(p);
        const within = v >= s.range.getFirst().value && v <= s.range.getLast().value;
        expect(isUsableIn(p, candidate)).toBe(within && v >= addressValue(first) && v <= addressValue(last));
        const why = reservedIn(p, candidate);
        if (!within || isUsableIn(p, candidate)) expect(why).toBeUndefined();
        else expect(why).toBe(v === s.range.getFirst().value ? (s.family === 4 ? "network" : "subnet-router anycast") : "broadcast");
      }),
      { numRuns: 3000 },
    );
  });

  it("boundaries of both families", () => {
    const p = (c: string) => parseCidr(c).prefix;
    expect(usableRange(p("169.254.10.0/30"))).toEqual({ first: "169.254.10.1", last: "169.254.10.2" });
    expect(usableRange(p("169.254.10.0/31"))).toEqual({ first: "169.254.10.0", last: "169.254.10.1" });
    expect(usableRange(p("fd00:70::/126"))).toEqual({ first: "fd00:70::1", last: "fd00:70::3" });
    expect(usableRange(p("fd00:70::/127"))).toEqual({ first: "fd00:70::", last: "fd00:70::1" });
    expect(usableRange(p("2001:db8::/64"))).toEqual({ first: "2001:db8::1", last: "2001:db8::ffff:ffff:ffff:ffff" });
    expect(reservedIn(p("2001:db8::/64"), "2001:db8::")).toBe("subnet-router anycast");
    expect(reservedIn(p("2001:db8::/64"), "2001:db8::ffff:ffff:ffff:ffff")).toBeUndefined();
    expect(reservedIn(p("fd00:70::/127"), "fd00:70::")).toBeUndefined();
    expect(reservedIn(p("10.0.0.0/24"), "10.0.0.255")).toBe("broadcast");
    expect(isUsableIn(p("10.0.0.0/24"), "2001:db8::1")).toBe(false);
    expect(isUsableIn(p("::/0"), "::1")).toBe(true);
    expect(lastAddress(p("::/0"))).toBe("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  });
});
