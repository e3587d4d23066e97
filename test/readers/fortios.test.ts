import { describe, expect, it } from "vitest";
import { entry, fortiosStructure, isUnset, readFortios, sub, value, values } from "./fortios.js";
import { ReadError } from "./reader.js";

const GOOD = `# sitewire: a comment at column 0
config vpn ipsec phase1-interface
    edit "sitewire-61"
        set interface "wan1"
        set proposal aes256gcm-prfsha384 aes256-sha256
        set psksecret "@@sitewire-secret:env:A_PSK@@"
        set comments "sitewire tunnel a to gw"
    next
end
#
config router bgp
    set as 65020
    config neighbor
        edit "169.254.61.2"
            set remote-as 65010
        next
    end
end
config router prefix-list
    edit "sitewire-61-in"
        config rule
            edit 1
                set prefix 10.70.0.0 255.255.255.0
                unset ge
            next
        end
    next
end
`;

function refusal(text: string): string {
  try {
    readFortios(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ReadError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`);
}

describe("readFortios", () => {
  it("returns the config/edit tree with unquoted values", () => {
    const tree = readFortios(GOOD);
    expect(tree.map((c) => c.path)).toEqual(["vpn ipsec phase1-interface", "router bgp", "router prefix-list"]);
    const p1 = entry(tree, "vpn ipsec phase1-interface", "sitewire-61");
    expect(values(p1, "proposal")).toEqual(["aes256gcm-prfsha384", "aes256-sha256"]);
    expect(value(p1, "psksecret")).toBe("@@sitewire-secret:env:A_PSK@@");
    expect(value(p1, "interface")).toBe("wan1");
    const bgp = tree[1]!;
    expect(value(bgp, "as")).toBe("65020");
    expect(value(sub(bgp, "neighbor")?.edits[0], "remote-as")).toBe("65010");
    const rule = sub(entry(tree, "router prefix-list", "sitewire-61-in"), "rule")?.edits[0];
    expect(values(rule, "prefix")).toEqual(["10.70.0.0", "255.255.255.0"]);
    expect(isUnset(rule, "ge")).toBe(true);
    expect(value(rule, "ge")).toBeUndefined();
  });

  it.each([
    ["an injected line break in a string", GOOD.replace('"sitewire tunnel a to gw"', '"x\nexecute reboot"'), /unterminated|outside the grammar/],
    ["a command outside the grammar", GOOD.replace("    next\nend\n#", "    next\nend\nexecute factoryreset\n#"), /outside the grammar \(execute\)/],
    ["an edit without next", GOOD.replace('        set comments "sitewire tunnel a to gw"\n    next\n', '        set comments "sitewire tunnel a to gw"\n'), /missing next/],
    ["a config without end", GOOD.replace(/end\n$/, ""), /never closed with end/],
    ["an unbalanced quote", GOOD.replace('set interface "wan1"', 'set interface "wan1'), /unterminated/],
    ["an escaped quote", GOOD.replace('"sitewire tunnel a to gw"', '"a \\" b"'), /backslash/],
    ["a line continuation", GOOD.replace('set interface "wan1"', "set interface wan1 \\"), /backslash/],
    ["a question mark", GOOD.replace('"sitewire tunnel a to gw"', '"why?"'), /question mark/],
    ["a single quote", GOOD.replace('"sitewire tunnel a to gw"', "'a'"), /single quote/],
    ["a tab", GOOD.replace("        set interface", "\tset interface"), /printable ASCII/],
    ["a carriage return", GOOD.replace("set as 65020", "set as 65020\r"), /printable ASCII/],
    ["set outside a block", `set as 1\n`, /outside a block/],
    ["edit outside a config", `edit "x"\nnext\n`, /outside a config/],
    ["next without an edit", `config router bgp\nnext\nend\n`, /next without/],
    ["end without a config", `end\n`, /without an open config/],
    ["a key set twice", GOOD.replace('        set interface "wan1"\n', '        set interface "wan1"\n        set interface "wan2"\n'), /twice/],
    ["the same edit twice", GOOD.replace("    next\nend\n#", '    next\n    edit "sitewire-61"\n    next\nend\n#'), /twice/],
    ["a line indented into another block", GOOD.replace("        set remote-as 65010", "    set remote-as 65010"), /indentation/],
    ["a comment inside a block", GOOD.replace("        set interface", "#x\n        set interface"), /comment inside/],
    ["set without a value", GOOD.replace("set as 65020", "set as"), /without a value/],
    ["a word with a shell character", GOOD.replace("set as 65020", "set as 65020;reboot"), /word outside/],
  ])("refuses %s", (_, text, why) => {
    expect(refusal(text)).toMatch(why);
  });

  it("reads the IPv6 statements sitewire writes: config ipv6 inside an edit, subnet6 selectors, address6, static6, prefix-list6, network6 (issue 16)", () => {
    const text = [
      "config system interface",
      '    edit "sitewire-1"',
      "        set ip 169.254.1.1 255.255.255.255",
      "        config ipv6",
      "            set ip6-address fd00:1::1/126",
      "            set ip6-allowaccess ping",
      "        end",
      "    next",
      "end",
      "config vpn ipsec phase2-interface",
      '    edit "sitewire-1-6"',
      "        set src-addr-type subnet6",
      "        set src-subnet6 ::/0",
      "    next",
      "end",
      "config firewall address6",
      '    edit "sitewire-2001:db8::/48"',
      "        set ip6 2001:db8::/48",
      "    next",
      "end",
      "config router static6",
      "    edit 1000001000",
      "        set dst 2001:db8::/48",
      "        set gateway fd00:1::2",
      "    next",
      "end",
      "",
    ].join("\n");
    const tree = readFortios(text);
    const iface = entry(tree, "system interface", "sitewire-1");
    expect(value(sub(iface, "ipv6"), "ip6-address")).toBe("fd00:1::1/126");
    expect(value(entry(tree, "vpn ipsec phase2-interface", "sitewire-1-6"), "src-subnet6")).toBe("::/0");
    expect(value(entry(tree, "firewall address6", "sitewire-2001:db8::/48"), "ip6")).toBe("2001:db8::/48");
    expect(value(entry(tree, "router static6", "1000001000"), "gateway")).toBe("fd00:1::2");
    // A config ipv6 block at the edit's own indentation is refused (the line moved out of its block).
    expect(() => readFortios(text.replace("        config ipv6\n", "    config ipv6\n"))).toThrow(ReadError);
  });

  it("structure: names and comment text leave the shape alone, an added statement does not", () => {
    const base = fortiosStructure(GOOD);
    expect(base.problems).toEqual([]);
    const renamed = fortiosStructure(GOOD.replaceAll("sitewire-61", "sitewire-62").replace("tunnel a to gw", "tunnel b"));
    expect(renamed.shape).toEqual(base.shape);
    expect(renamed.full).not.toEqual(base.full);
    const added = fortiosStructure(GOOD.replace('        set interface "wan1"\n', '        set interface "wan1"\n        set dpd disable\n'));
    expect(added.shape).not.toEqual(base.shape);
    expect(fortiosStructure(GOOD.replace("set as 65020", "set as 65020\nexecute reboot")).problems).toHaveLength(1);
  });
});
