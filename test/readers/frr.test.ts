/** frr.conf must be read as vtysh reads it. */
import { describe, expect, it } from "vitest";
import { frrStructure, readFrr } from "./frr.js";

describe("frr.conf", () => {
  it("reads commands by indentation; ! and # lines are comments", () => {
    const tree = readFrr("! c\n# c\nrouter bgp 65010\n neighbor 169.254.61.1 remote-as 65020\n !\n address-family ipv4 unicast\n  network 10.70.0.0/24\n exit-address-family\nexit\n");
    expect(tree.map((n) => n.line)).toEqual(["router bgp 65010", "exit"]);
    expect(tree[0]!.children.map((n) => n.line)).toEqual(["neighbor 169.254.61.1 remote-as 65020", "address-family ipv4 unicast", "exit-address-family"]);
    expect(tree[0]!.children[1]!.children.map((n) => n.line)).toEqual(["network 10.70.0.0/24"]);
  });

  it.each([
    ["banner", "banner motd line hello\n", /banner/],
    ["a character outside printable ASCII", "hostname gw\u0085x\n", /printable ASCII/],
    ["an indented line under no command", " neighbor 1.2.3.4 remote-as 1\n", /under no command/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => readFrr(text)).toThrow(error);
    expect(frrStructure(text).problems.join()).toMatch(error);
  });

  it("shape: keywords only; a statement smuggled onto a description line shows", () => {
    const base = frrStructure("router bgp 65010\n neighbor 169.254.61.1 description tunnel a\n");
    expect(base.shape).toEqual(["0 router bgp", "1 neighbor description"]);
    const injected = frrStructure("router bgp 65010\n neighbor 169.254.61.1 description tunnel a\n neighbor 192.0.2.1 remote-as 64999\n");
    expect(injected.shape).toEqual([...base.shape, "1 neighbor remote-as"]);
  });
});
