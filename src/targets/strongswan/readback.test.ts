import { describe, expect, it } from "vitest";
import { parseIpsecConf, parseIpsecSecrets, parseSwanctl, sectionAt } from "./readback.js";

describe("parseIpsecConf", () => {
  it("reads sections and indented key=value lines, ignoring comments", () => {
    const conf = parseIpsecConf("# head\nconfig setup\n    uniqueids=yes\n\nconn a\n    # note\n    left=1.1.1.1\n    ike=aes256-sha256-modp3072!\n");
    expect(conf.setup).toEqual({ uniqueids: "yes" });
    expect(conf.conns.get("a")).toEqual({ left: "1.1.1.1", ike: "aes256-sha256-modp3072!" });
  });
  it.each([
    ["a key outside a section", "    left=1.1.1.1\n"],
    ["a conn defined twice", "conn a\nconn a\n"],
    ["a key set twice", "conn a\n    left=1\n    left=2\n"],
    ["an unknown section", "ca x\n"],
  ])("refuses %s", (_what, text) => expect(() => parseIpsecConf(text)).toThrow());
});

describe("parseIpsecSecrets", () => {
  it("reads selectors, type and the quoted secret", () => {
    expect(parseIpsecSecrets('# c\n1.1.1.1 @b.example : PSK "a b#c"\n')).toEqual([{ selectors: ["1.1.1.1", "@b.example"], type: "PSK", secret: "a b#c" }]);
  });
  it("refuses a line without ' : '", () => expect(() => parseIpsecSecrets('1.1.1.1: PSK "x"\n')).toThrow(/selectors : TYPE/));
});

describe("parseSwanctl", () => {
  it("reads nested sections, plain and quoted values, with the lexer's escapes", () => {
    const root = parseSwanctl('a {\n  # c\n  b = 1 # trailing\n  s { x = "q\\"u\\\\o\\nte" }\n}\n');
    expect(sectionAt(root, "a")).toEqual({ b: "1", s: { x: 'q"u\\o\nte' } });
  });
  it.each([
    ["a missing '}'", "a {\n  b = 1\n"],
    ["an extra '}'", "a { }\n}\n"],
    ["an unterminated string", 'a { b = "x\n}\n'],
    ["a name defined twice", "a { b = 1\n b = 2 }\n"],
  ])("refuses %s", (_what, text) => expect(() => parseSwanctl(text)).toThrow());
  it("names the missing section", () => expect(() => sectionAt(parseSwanctl("a { }\n"), "a", "b")).toThrow(/no section a\.b/));
});
