/** Recovery removes one bad list item, not the list: the rest of the list is still judged, at the right places. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyseSource } from "../compile/analyse.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";

const PARTNER = readFileSync(new URL("../../sites/partner-vpn.yaml", import.meta.url), "utf8");

function found(text: string): string[] {
  return sortDiagnostics([...analyseSource("sites/partner-vpn.yaml", text).diagnostics]).map((d) => {
    const line = text.split("\n")[(d.range?.start.line ?? 1) - 1] ?? "";
    const token = (/^[^\s,\]]*/.exec(line.slice((d.range?.start.column ?? 1) - 1)) ?? [""])[0];
    return `${d.code} ${token}`;
  });
}

describe("recovery inside one list", () => {
  it("reports three malformed CIDRs, a duplicate, a CIDR with host bits set and two unknown names of one nonMasqueradeCIDRs list", () => {
    const text = PARTNER.replace(
      "nonMasqueradeCIDRs: [cluster-internal]",
      "nonMasqueradeCIDRs: [10.0.0.0/33, nosuchnet, 10.1.0.300/8, 10.4.0.1/16, 10.2.0.0/16, 10.2.0.0/16, x-y-z, 10.3.0.0/99, cluster-internal]",
    );
    expect(found(text)).toEqual([
      "SW014 10.0.0.0/33",
      "SW102 nosuchnet",
      "SW014 10.1.0.300/8",
      "SW101 10.4.0.1/16",
      "SW016 10.2.0.0/16",
      "SW102 x-y-z",
      "SW014 10.3.0.0/99",
    ]);
  });

  it("keeps the entry when one item of a required list is bad: the flow's other mistakes are still reported", () => {
    const text = PARTNER.replace("from: [node-lan, node-remote]", "from: [node-lan, 10.0.0.0/33, 10.24.0.1/22, node-remote]").replace("to: [partner-vpn]", "to: [partner-vpn, no-such-net]");
    expect(found(text)).toEqual(["SW014 10.0.0.0/33", "SW101 10.24.0.1/22", "SW102 no-such-net"]);
  });

  it("through an alias: the anchored list loses its bad item, the list reached through the alias is dropped", () => {
    const text = PARTNER.replace("nonMasqueradeCIDRs: [cluster-internal]", "nonMasqueradeCIDRs: &cidrs [cluster-internal, 10.0.0.0/33, no-such-net]").replace(
      "allowFrom: [front-lan, node-remote, office-clients]",
      "allowFrom: *cidrs",
    );
    const codes = found(text);
    expect(codes).toContain("SW014 10.0.0.0/33");
    expect(codes).toContain("SW102 no-such-net");
  });
});
