/**
 * refPaths pairs each resolved prefix with the reference that named it: IPv6 literals (with and without a
 * length, canonical or not) and a dual-stack host's name, which resolves to one prefix per family
 * (NameTable.prefixes), so that the references after it keep their own positions.
 */
import { describe, expect, it } from "vitest";
import { hostPrefix, parseCidr } from "../../net/ip.js";
import { refPaths } from "./intent-paths.js";

const named = (cidr: string, name: string) => ({ ...parseCidr(cidr).prefix, name });
const literal = (cidr: string) => parseCidr(cidr).prefix;

describe("refPaths", () => {
  it("pairs IPv4 and IPv6 literals, a dual-stack host's two prefixes and the names after them", () => {
    const refs = ["10.0.0.0/8", "2001:DB8::/32", "fd00::1", "node-1", "dc-lan6", "node-1"];
    const resolved = [
      literal("10.0.0.0/8"),
      literal("2001:db8::/32"),
      hostPrefix("fd00::1"),
      { ...hostPrefix("10.70.0.10"), name: "node-1" },
      { ...hostPrefix("2001:db8:70::10"), name: "node-1" },
      named("2001:db8:71::/48", "dc-lan6"),
      { ...hostPrefix("10.70.0.10"), name: "node-1" },
      { ...hostPrefix("2001:db8:70::10"), name: "node-1" },
    ];
    expect(refPaths(refs, resolved, ["x"]).map((r) => `${r.path[1]} ${r.ref} ${r.prefix.cidr}`)).toEqual([
      "0 10.0.0.0/8 10.0.0.0/8",
      "1 2001:DB8::/32 2001:db8::/32",
      "2 fd00::1 fd00::1/128",
      "3 node-1 10.70.0.10/32",
      "3 node-1 2001:db8:70::10/128",
      "4 dc-lan6 2001:db8:71::/48",
      "5 node-1 10.70.0.10/32",
      "5 node-1 2001:db8:70::10/128",
    ]);
  });

  it("keeps one prefix per reference when a network is named twice, and skips what the resolver dropped", () => {
    const refs = ["fd10::/48", "cluster6", "cluster6", "nowhere", "fe80::/10"];
    const resolved = [literal("fd10::/48"), named("fd10::/48", "cluster6"), named("fd10::/48", "cluster6"), literal("fe80::/10")];
    expect(refPaths(refs, resolved, []).map((r) => `${r.path[0]} ${r.prefix.cidr}`)).toEqual(["0 fd10::/48", "1 fd10::/48", "2 fd10::/48", "4 fe80::/10"]);
  });
});
