import { describe, expect, it } from "vitest";
import { junosSetStructure, namesUnder, readJunosSet, valueOf, valuesOf } from "./junos-set.js";
import { ReadError } from "./reader.js";

const SAMPLE = [
  "# a comment line",
  "",
  "set security ike proposal p1 authentication-method pre-shared-keys",
  "set security ike proposal p1 dh-group group14",
  'set security ike policy pol pre-shared-key ascii-text "a key with spaces"',
  "set security ike policy pol proposals [ p1 p2 ]",
  "set security ike gateway gw1 address 192.0.2.1 external-interface ge-0/0/0.0 local-address 198.51.100.2",
  "set security ike gateway gw1 dead-peer-detection",
  'set interfaces st0 unit 3 description "to \\"hq\\""',
  "set interfaces st0 unit 3 family inet address 169.254.0.1/30",
  "set policy-options prefix-list empty",
  "set routing-options static route 10.0.0.0/8 qualified-next-hop st0.3 metric 3",
].join("\n");

describe("readJunosSet", () => {
  it("reads one statement per leaf, flat runs and [ ] lists included, values unquoted", () => {
    const s = readJunosSet(SAMPLE);
    expect(s.map((x) => x.path.join(" "))).toEqual([
      "security ike proposal p1 authentication-method pre-shared-keys",
      "security ike proposal p1 dh-group group14",
      "security ike policy pol pre-shared-key ascii-text a key with spaces",
      "security ike policy pol proposals p1",
      "security ike policy pol proposals p2",
      "security ike gateway gw1 address 192.0.2.1",
      "security ike gateway gw1 external-interface ge-0/0/0.0",
      "security ike gateway gw1 local-address 198.51.100.2",
      "security ike gateway gw1 dead-peer-detection",
      'interfaces st0 unit 3 description to "hq"',
      "interfaces st0 unit 3 family inet address 169.254.0.1/30",
      "policy-options prefix-list empty",
      "routing-options static route 10.0.0.0/8 qualified-next-hop st0.3 metric 3",
    ]);
    expect(s[5]!.line).toBe(7);
    expect(valueOf(s, "security", "ike", "gateway", "gw1", "local-address")).toBe("198.51.100.2");
    expect(valuesOf(s, "security", "ike", "policy", "pol", "proposals")).toEqual(["p1", "p2"]);
    expect(namesUnder(s, "security", "ike", "proposal")).toEqual(["p1"]);
  });

  it.each([
    ["another verb", "delete security ike"],
    ["an injected command after a description", 'set interfaces st0 unit 1 description "x" set system root-authentication plain-text-password'],
    ["a statement outside the grammar", "set system root-authentication encrypted-password x"],
    ["unbalanced quotes", 'set interfaces st0 unit 1 description "open'],
    ["a quote inside a bare word", 'set security ike policy p pre-shared-key ascii-text ab"c'],
    ["a value of the wrong kind", "set security ike gateway gw1 address 300.1.1.1"],
    ["a number out of range", "set security ike gateway gw1 dead-peer-detection interval 61"],
    ["an unknown algorithm", "set security ike proposal p dh-group group99"],
    ["an incomplete statement", "set security ike proposal p1"],
    ["a missing value", "set security ike proposal p1 dh-group"],
    ["curly-brace syntax", "set security ike proposal p1 { dh-group group14; }"],
    ["a tab", "set security\tike"],
    ["a carriage return", "set security ike proposal p1 dh-group group14\r"],
    ["an indented line", " set security ike proposal p1 dh-group group14"],
    ["a quoted name", 'set security ike proposal "p1" dh-group group14'],
    ["an unclosed list", "set security ike policy pol proposals [ p1 p2"],
  ])("refuses %s", (_, line) => {
    expect(() => readJunosSet(line)).toThrow(ReadError);
  });

  it("takes IPv6 where Junos does: st0 family inet6, rib inet6.0 static routes, IPv6 gateways, identities, neighbours and prefix lists (issue 16)", () => {
    const text = [
      "set interfaces st0 unit 1 family inet6 address fd00:1::1/126",
      "set interfaces st0 unit 1 family inet6 mtu 1400",
      "set routing-options rib inet6.0 static route 2001:db8::/48 next-hop st0.1",
      "set security ike gateway g address 2001:db8:ffff::1 local-address 2001:db8:ffff::2",
      "set security ike gateway g local-identity inet6 2001:db8:ffff::2",
      "set protocols bgp group g6 family inet6 unicast",
      "set protocols bgp group g6 neighbor fd00:1::2 local-address fd00:1::1",
      "set policy-options prefix-list p6 2001:db8::/48",
      "set security address-book global address a6 2001:db8::/48",
      "",
    ].join("\n");
    expect(readJunosSet(text).map((x) => x.shape.join(" "))).toContain("routing-options rib <enum> static route <prefix6> next-hop <word>");
    // An IPv6 prefix where an IPv4 one belongs, a /129 and a bad address stay refused.
    for (const bad of [
      "set interfaces st0 unit 1 family inet address fd00:1::1/126",
      "set routing-options static route 2001:db8::/48 next-hop st0.1",
      "set interfaces st0 unit 1 family inet6 address fd00:1::1/129",
      "set security ike gateway g address 2001:db8:::1",
      "set routing-options rib inet.0 static route 10.0.0.0/8 next-hop st0.1",
    ])
      expect(() => readJunosSet(bad + "\n"), bad).toThrow(ReadError);
  });

  it("names the line of the problem", () => {
    expect(() => readJunosSet("# ok\nset security ike proposal p1 dh-group group14\nset bogus")).toThrow(/line 3/);
  });
});

describe("junosSetStructure", () => {
  it("leaves descriptions out of the full structure and values out of the shape", () => {
    const a = junosSetStructure('set interfaces st0 unit 1 description "one"\nset security ike proposal p dh-group group14');
    const b = junosSetStructure('set interfaces st0 unit 1 description "two; }"\nset security ike proposal p dh-group group14');
    expect(a.problems).toEqual([]);
    expect(a.full).toEqual(b.full);
    expect(a.shape).toEqual(["interfaces st0 unit <int> description <text>", "security ike proposal <name> dh-group group14"]);
  });

  it("reports what it refuses as a problem", () => {
    expect(junosSetStructure("set system services ssh").problems).toHaveLength(1);
  });
});
