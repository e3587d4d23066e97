/**
 * The list of walks the deliverability check (SW170) and the site README share: every flow as `--flow` asks it,
 * the pods a flow carries where the site configures ip-masq-agent, and every tunnel route through its own ends.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import { loadSource } from "../intent/load.js";
import { explainSource } from "./index.js";
import { walkSite } from "./walks.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

function walks(file: string, text = read(file)) {
  const r = compileSource(file, text, { deliverability: false });
  expect(r.model, file).toBeDefined();
  const { source } = loadSource(file, text);
  return walkSite({ model: r.model!, artifacts: r.artifacts, source: source! });
}

describe("walkSite", () => {
  it("walks each flow exactly as explain --flow does, then the pods its egress allowlists send to it", () => {
    const file = "sites/partner-vpn.yaml";
    const w = walks(file);
    const flow = explainSource(file, read(file), { flow: "partner-api" }).explanation!;
    expect(w.filter((x) => x.question === "--flow partner-api").map((x) => x.path)).toEqual(flow.paths);
    const pods = w.filter((x) => x.subject.kind === "flow" && x.subject.pods !== undefined);
    expect(pods.map((x) => [x.question, x.path.from])).toEqual([
      ["--from payments/app=curl --to partner-api:tcp/8080", "pod payments/app=curl on node-lan"],
      ["--from payments/app=curl --to partner-api:tcp/8080", "pod payments/app=curl on node-remote"],
    ]);
    expect(pods.every((x) => x.path.verdict.delivered)).toBe(true);
  });

  it("does not walk pods where the site does not configure ip-masq-agent: the CNI picks their source address", () => {
    const file = "sites/partner-vpn.yaml";
    const text = read(file).replace("  masquerade:\n    nonMasqueradeCIDRs: [cluster-internal]\n    masqLinkLocal: false\n    resyncInterval: 60s\n", "");
    expect(text).not.toContain("nonMasqueradeCIDRs");
    const w = walks(file, text);
    expect(w.filter((x) => x.subject.kind === "flow" && x.subject.pods !== undefined)).toEqual([]);
    expect(compileSource(file, text).diagnostics.filter((d) => d.code === "SW170")).toEqual([]);
  });

  it("walks every tunnel route both ways through that tunnel's own host and peer (a VPC behind two gateways)", () => {
    const w = walks("sites/bjs-hybrid.yaml").filter((x) => x.subject.kind === "tunnel-route");
    const through = w.map((x) => {
      const s = x.subject as Extract<typeof x.subject, { kind: "tunnel-route" }>;
      const ats = x.path.hops.filter((h) => h.direction === "forward").map((h) => h.at);
      return `${s.tunnel} ${s.side} ${x.question}: ${ats.join(" → ")}`;
    });
    expect(through).toEqual([
      "vpn1 toPeer --from vpc --to onprem: vpc → strongswan-1 → vpn1 → dc-router-1",
      "vpn1 toHost --from onprem --to vpc: dc-router-1 → vpn1 → strongswan-1 → vpc",
      "vpn2 toPeer --from vpc --to onprem: vpc → strongswan-2 → vpn2 → dc-router-2",
      "vpn2 toHost --from onprem --to vpc: dc-router-2 → vpn2 → strongswan-2 → vpc",
    ]);
    expect(w.every((x) => x.path.verdict.delivered)).toBe(true);
  });
});
