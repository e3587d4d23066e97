import { describe, expect, it } from "vitest";
import { has, namesUnder, panosSetStructure, readPanosSet, valueOf, valuesOf } from "./panos-set.js";
import { ReadError } from "./reader.js";

const SAMPLE = [
  "set network ike crypto-profiles ike-crypto-profiles p1 encryption [ aes-256-cbc aes-128-cbc ]",
  "set network ike crypto-profiles ike-crypto-profiles p1 dh-group group14",
  "",
  'set network ike gateway gw1 authentication pre-shared-key key "a key with spaces"',
  "set network ike gateway gw1 local-address ip 203.0.113.5",
  "set network ike gateway gw1 local-id id @vpn.example.net",
  'set network tunnel ipsec t1 comment "to hq: 50% #1"',
  "set network virtual-router default protocol bgp policy export rules r1 action allow update as-path prepend 2",
  "set network virtual-router default protocol bgp policy export rules r2 action deny",
  "set network virtual-router default protocol bgp peer-group g type ebgp",
  "set rulebase security rules r-in source [ 10.0.0.0/8 192.168.0.0/16 ]",
].join("\n");

function refusal(text: string): string {
  try {
    readPanosSet(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ReadError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`);
}

describe("readPanosSet", () => {
  it("reads one statement per leaf and per list member, values unquoted, with line numbers", () => {
    const s = readPanosSet(SAMPLE);
    expect(s.map((x) => x.path.join(" "))).toEqual([
      "network ike crypto-profiles ike-crypto-profiles p1 encryption aes-256-cbc",
      "network ike crypto-profiles ike-crypto-profiles p1 encryption aes-128-cbc",
      "network ike crypto-profiles ike-crypto-profiles p1 dh-group group14",
      "network ike gateway gw1 authentication pre-shared-key key a key with spaces",
      "network ike gateway gw1 local-address ip 203.0.113.5",
      "network ike gateway gw1 local-id id @vpn.example.net",
      "network tunnel ipsec t1 comment to hq: 50% #1",
      "network virtual-router default protocol bgp policy export rules r1 action allow update as-path prepend 2",
      "network virtual-router default protocol bgp policy export rules r2 action deny",
      "network virtual-router default protocol bgp peer-group g type ebgp",
      "rulebase security rules r-in source 10.0.0.0/8",
      "rulebase security rules r-in source 192.168.0.0/16",
    ]);
    expect(s[3]!.line).toBe(4);
    expect(s[2]!.shape.join(" ")).toBe("network ike crypto-profiles ike-crypto-profiles <name> dh-group <enum>");
    expect(valuesOf(s, "network", "ike", "crypto-profiles", "ike-crypto-profiles", "p1", "encryption")).toEqual(["aes-256-cbc", "aes-128-cbc"]);
    expect(valueOf(s, "network", "ike", "gateway", "gw1", "authentication", "pre-shared-key", "key")).toBe("a key with spaces");
    expect(valueOf(s, "network", "ike", "gateway", "gw1", "peer-address", "ip")).toBeUndefined();
    expect(namesUnder(s, "network", "virtual-router", "default", "protocol", "bgp", "policy", "export", "rules")).toEqual(["r1", "r2"]);
    expect(has(s, "network", "virtual-router", "default", "protocol", "bgp", "peer-group", "g", "type", "ebgp")).toBe(true);
  });

  it("reads the IPv6 statements sitewire writes, each address kind in its own family (issue 16)", () => {
    const text = [
      "set network interface tunnel units tunnel.7 ipv6 enabled yes",
      "set network interface tunnel units tunnel.7 ipv6 address fd00:7::1/126",
      "set network tunnel ipsec t1 auto-key proxy-id v4 local 0.0.0.0/0",
      "set network tunnel ipsec t1 auto-key proxy-id v4 protocol any",
      "set network tunnel ipsec t1 auto-key proxy-id-v6 v6 remote ::/0",
      "set network tunnel ipsec t1 tunnel-monitor proxy-id v4",
      "set network virtual-router default routing-table ipv6 static-route r6 destination 2001:db8:1::/48",
      "set network virtual-router default routing-table ipv6 static-route r6 nexthop ipv6-address fd00:7::2",
      "set network virtual-router default routing-table ipv6 static-route r6 path-monitor monitor-destinations m source fd00:7::1/126",
      "set network virtual-router default protocol bgp redist-rules 2001:db8:1::/48 address-family-identifier ipv6",
      "set network virtual-router default protocol bgp peer-group g peer p peer-address ip fd00:7::2",
      "set network virtual-router default protocol bgp peer-group g peer p local-address ip fd00:7::1/126",
      "set network virtual-router default protocol bgp peer-group g peer p enable-mp-bgp yes",
      "set network virtual-router default protocol bgp peer-group g peer p address-family-identifier ipv6",
      "set network virtual-router default protocol bgp peer-group g peer p subsequent-address-family-identifier unicast yes",
      "set network virtual-router default protocol bgp policy import rules a match address-prefix 2001:db8:1::/48 exact yes",
      "set rulebase security rules r source [ 10.0.0.0/8 2001:db8:1::/48 ]",
    ].join("\n");
    const s = readPanosSet(text);
    expect(namesUnder(s, "network", "interface", "tunnel", "units", "tunnel.7", "ipv6", "address")).toEqual(["fd00:7::1/126"]);
    expect(valueOf(s, "network", "tunnel", "ipsec", "t1", "auto-key", "proxy-id-v6", "v6", "remote")).toBe("::/0");
    expect(valueOf(s, "network", "virtual-router", "default", "routing-table", "ipv6", "static-route", "r6", "nexthop", "ipv6-address")).toBe("fd00:7::2");
    expect(valuesOf(s, "rulebase", "security", "rules", "r", "source")).toEqual(["10.0.0.0/8", "2001:db8:1::/48"]);
    const cases: [string, RegExp][] = [
      // An IPv6 value where only IPv4 goes, and the other way round.
      ["set network virtual-router default routing-table ip static-route r destination 2001:db8::/32", /is not a prefix after/],
      ["set network virtual-router default routing-table ipv6 static-route r destination 10.0.0.0/8", /is not a prefix6/],
      ["set network virtual-router default routing-table ipv6 static-route r nexthop ip-address fd00::1", /outside the grammar/],
      ["set network tunnel ipsec t1 auto-key proxy-id v4 local ::/0", /is not a prefix after/],
      ["set network tunnel ipsec t1 auto-key proxy-id-v6 v6 local 0.0.0.0/0", /is not a prefix6/],
      ["set network interface tunnel units tunnel.7 ipv6 address 10.0.0.1/30", /outside the grammar/],
      // Host bits, non-canonical text, lengths beyond 128.
      ["set rulebase security rules r source 2001:db8::1/32", /is not a prefix46/],
      ["set rulebase security rules r source 2001:DB8::/32", /is not a prefix46/],
      ["set network virtual-router default routing-table ipv6 static-route r nexthop ipv6-address fd00:0::2", /is not a ipv6/],
      ["set network interface tunnel units tunnel.7 ipv6 address fd00::1/129", /outside the grammar/],
      ["set network virtual-router default protocol bgp peer-group g peer p address-family-identifier ipv5", /is not a ipv4\|ipv6/],
    ];
    for (const [line, why] of cases) expect(refusal(line), line).toMatch(why);
  });

  it("refuses what configure mode would read differently, or what sitewire never writes", () => {
    const cases: [string, RegExp][] = [
      ["delete network ike gateway gw1", /not a set command/],
      ["edit network", /not a set command/],
      ["# a comment", /has no comments/],
      ["set deviceconfig system hostname x", /"deviceconfig" is outside the grammar/],
      ["set network ike gateway gw1 protocol version ikev3", /is not a ikev1\|ikev2\|ikev2-preferred/],
      ["set network ike gateway gw1 protocol ikev1 dpd interval 101", /is not a 2\.\.100/],
      ["set network ike gateway gw1 peer-address ip 10.0.0.300", /is not a ipv4/],
      ["set network ike gateway gw1 protocol version", /a missing/],
      ["set network ike gateway gw1", /an incomplete statement/],
      ["set network ike gateway gw1 protocol version ikev2 ikev1", /one statement per line/],
      ['set network ike gateway gw1 authentication pre-shared-key key "open', /unterminated/],
      ['set network ike gateway gw1 authentication pre-shared-key key a"b', /quote inside the bare word/],
      ['set network tunnel ipsec t1 comment "a"b', /no space after a quoted string/],
      ['set network tunnel ipsec t1 comment "a\\"', /backslash/],
      ['set network tunnel ipsec t1 comment "why?"', /opens the CLI help/],
      ["set network tunnel ipsec t1 comment bare", /is not a text/],
      ["set rulebase security rules r source [ 10.0.0.0/8", /unclosed/],
      ["set rulebase security rules r source [ ]", /empty/],
      ["set rulebase security rules r source 10.0.0.1/8", /is not a prefix/],
      ["set rulebase security rules r action allow #x", /has no comments/],
      ["set  network", /a space where a word should start/],
      ["set network ", /trailing space/],
      ["set network ike gateway gw1 local-id id x\tset", /outside printable ASCII/],
      ["set network interface tunnel units tunnel.0 mtu 1400", /outside the grammar/],
    ];
    for (const [text, why] of cases) expect(refusal(text), text).toMatch(why);
  });

  it("sees an injected line: a description that breaks out of its quotes adds a statement or fails", () => {
    const base = 'set network tunnel ipsec t1 comment "ok"';
    const injected = 'set network tunnel ipsec t1 comment "ok"\nset network ike gateway gw1 authentication pre-shared-key key "x"';
    expect(panosSetStructure(base).full).toEqual(["network tunnel ipsec t1 comment <text>"]);
    expect(panosSetStructure(injected).full).toHaveLength(2);
    expect(panosSetStructure('set network tunnel ipsec t1 comment "ok" set').problems).toHaveLength(1);
    // Only the text of a comment is free: a changed comment leaves the structure as it was.
    expect(panosSetStructure('set network tunnel ipsec t1 comment "other text"').full).toEqual(panosSetStructure(base).full);
  });
});
