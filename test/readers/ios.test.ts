/** Cisco IOS text must be read as the CLI takes it when pasted, or parse-back and the injection checks prove nothing. */
import { describe, expect, it } from "vitest";
import { iosStructure, readIos } from "./ios.js";

describe("IOS", () => {
  it("builds the command tree by indentation, with words and line numbers, and ignores ! comments", () => {
    const tree = readIos("! c\ncrypto ikev2 keyring k\n peer p\n  address 1.2.3.4\n  pre-shared-key x\n!\nend\n");
    expect(tree.map((n) => n.line)).toEqual(["crypto ikev2 keyring k", "end"]);
    expect(tree[0]!.children[0]!.children.map((n) => [n.line, n.lineNo])).toEqual([
      ["address 1.2.3.4", 4],
      ["pre-shared-key x", 5],
    ]);
    expect(tree[0]!.words).toEqual(["crypto", "ikev2", "keyring", "k"]);
  });

  it.each([
    ["banner (it reads the following lines as text)", "banner motd ^C\nhello\n^C\n", /banner/],
    ["a tab (it completes a command when pasted)", "interface Tunnel1\n\tdescription x\n", /printable ASCII/],
    ["a character outside ASCII", "interface Tunnel1\n description caf\u00e9\n", /printable ASCII/],
    ["a carriage return", "hostname r1\r\n", /printable ASCII/],
    ["an indented line under no command", " ip address 1.2.3.4 255.255.255.0\n", /under no command/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => readIos(text)).toThrow(error);
    expect(iosStructure(text).problems.join()).toMatch(error);
  });

  it("keeps description text out of the structure, and sees a command injected under it", () => {
    const a = iosStructure("interface Tunnel1\n description one\n ip mtu 1400\n");
    const b = iosStructure("interface Tunnel1\n description two words\n ip mtu 1400\n");
    expect(a.full).toEqual(b.full);
    const injected = iosStructure("interface Tunnel1\n description one\n shutdown\n ip mtu 1400\n");
    expect(injected.shape).toEqual(["0 interface", "1 description", "1 shutdown", "1 ip"]);
  });
});
