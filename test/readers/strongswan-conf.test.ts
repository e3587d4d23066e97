/** ipsec.conf and ipsec.secrets must be read as starter and stroke read them, or parse-back and the injection checks prove nothing. */
import { describe, expect, it } from "vitest";
import { ipsecConfStructure, ipsecConnNames, ipsecConns, ipsecSecrets, ipsecSecretsStructure, readIpsecConf } from "./strongswan-conf.js";

const CONF = `# comment
config setup
    charondebug="ike 1"

conn %default
    keyexchange=ikev2
    dpddelay=30s

conn base
    left=10.0.0.1 # trailing comment
    leftid=@gw.example.net

# a comment at column 0 does not end the section above
conn vpn1
    also=base
    right=192.0.2.1
    ike=aes256-sha256-modp3072,aes128-sha256-modp2048!
    esp=aes256gcm16-ecp384!
    mark=7/0xffffffff
    leftsubnet=10.0.0.0/8 10.1.0.0/16
`;

describe("ipsec.conf", () => {
  it("reads sections, settings with line numbers, and applies %default and also=", () => {
    const conf = readIpsecConf(CONF);
    expect(conf.sections.map((s) => `${s.type} ${s.name} ${s.line}-${s.end}`)).toEqual(["config setup 2-4", "conn %default 5-8", "conn base 9-13", "conn vpn1 14-21"]);
    expect(conf.sections[0]!.settings).toEqual([{ key: "charondebug", value: "ike 1", line: 3 }]);
    const c = ipsecConns(CONF).get("vpn1")!;
    expect(c).toMatchObject({ keyexchange: "ikev2", dpddelay: "30s", left: "10.0.0.1", leftid: "@gw.example.net", right: "192.0.2.1", mark: "7/0xffffffff" });
    // Words of a value are joined by one space, as the grammar's `value: value STRING` does.
    expect(c.leftsubnet).toBe("10.0.0.0/8 10.1.0.0/16");
    expect(ipsecConnNames(CONF)).toEqual(["base", "vpn1"]);
  });

  it("takes # as a comment anywhere outside quotes, except at the start of an @# identity", () => {
    const conf = readIpsecConf('conn a\n    leftid=@#0a0b\n    rightid="x # y"\n    right=1.2.3.4#no space needed\n');
    expect(conf.sections[0]!.settings.map((s) => s.value)).toEqual(["@#0a0b", "x # y", "1.2.3.4"]);
  });

  it("takes include wherever the lexer does, even inside a value", () => {
    const conf = readIpsecConf("conn a\n    leftid=include /etc/passwd\n");
    expect(conf.statements.map((s) => s.kind)).toEqual(["section", "include", "setting"]);
    expect(conf.sections[0]!.settings[0]).toMatchObject({ key: "leftid", value: "" });
  });

  it.each([
    ["a line at column 0 that opens no section", "conn a\nleft=1.2.3.4\n", /must open a section/],
    ["a setting without '='", "conn a\n    left 10.0.0.1\n", /not a key=value/],
    ["a setting before any section", "    left=1.2.3.4\n", /before any section/],
    ["a second '='", "conn a\n    left=a=b\n", /second '='/],
    ["a key given twice", "conn a\n    left=1.2.3.4\n    left=5.6.7.8\n", /appears twice/],
    ["a conn given twice", "conn a\nconn a\n", /appears twice/],
    ["a quoted string left open", 'conn a\n    leftid="x\n    right=1.2.3.4"\n', /does not end on its line/],
    ["a section header with two names", "conn a b\n", /one name/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => ipsecConns(text)).toThrow(error);
    expect(ipsecConfStructure(text).problems.join()).toMatch(error);
  });

  it("refuses also= naming no conn, or a loop of them, when it resolves conns", () => {
    expect(() => ipsecConns("conn a\n    also=b\n")).toThrow(/names no conn/);
    expect(() => ipsecConns("conn a\n    also=b\nconn b\n    also=a\n")).toThrow(/loop/);
  });

  it("an injected line is a new statement in the structure", () => {
    const base = ipsecConfStructure("conn a\n    leftid=x\n");
    const injected = ipsecConfStructure("conn a\n    leftid=x\n    leftupdown=/tmp/evil\n");
    expect(base.problems).toEqual([]);
    expect(injected.shape).toEqual([...base.shape, "key leftupdown"]);
  });
});

describe("ipsec.secrets", () => {
  it("reads selectors, type and secret; # inside the quotes is part of the secret", () => {
    expect(ipsecSecrets('# c\n@gw.example.net 192.0.2.1 : PSK "s3cret # not a comment"\n\n1.1.1.1 : PSK 0x1234 # comment\n')).toEqual([
      { selectors: ["@gw.example.net", "192.0.2.1"], type: "PSK", secret: "s3cret # not a comment", line: 2 },
      { selectors: ["1.1.1.1"], type: "PSK", secret: "0x1234", line: 4 },
    ]);
  });

  it.each([
    ["a secret missing", "1.2.3.4 : PSK\n", /not 'SELECTORS : TYPE SECRET'/],
    ["no separator", '1.2.3.4 PSK "a"\n', /missing ':'/],
    ["two secrets on a line", '1.2.3.4 : PSK "a" "b"\n', /not 'SELECTORS : TYPE SECRET'/],
    ["an unknown type", '1.2.3.4 : PKS "a"\n', /unknown secret type/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => ipsecSecrets(text)).toThrow(error);
    expect(ipsecSecretsStructure(text).problems.join()).toMatch(error);
  });

  it("an injected secret line is a new statement in the structure", () => {
    expect(ipsecSecretsStructure('a b : PSK "x"\n: PSK "injected"\n').shape).toEqual(["secret PSK 2", "secret PSK 0"]);
  });
});
