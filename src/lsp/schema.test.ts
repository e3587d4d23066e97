/**
 * Where the language server sees names, derived from the schema (./schema.ts): the whole table, so a reworded
 * description that would silently stop go-to-definition, references or completion somewhere fails here.
 */
import { describe, expect, it } from "vitest";
import { defaultKeyOf, keyHover, referenceKinds, referenceKindsOfKey, siteSchema, type SchemaNode } from "./schema.js";

/** Every value path of the schema: names as "x", list items as 0 (and 1, for two-item lists like between). */
function valuePaths(node: SchemaNode, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  for (const [k, v] of Object.entries(node.properties ?? {})) valuePaths(v, [...path, k], out);
  if (typeof node.additionalProperties === "object") valuePaths(node.additionalProperties, [...path, "x"], out);
  if (node.items) {
    valuePaths(node.items, [...path, 0], out);
    if (node["maxItems"] === 2) valuePaths(node.items, [...path, 1], out);
  }
  for (const b of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) if (b.items) valuePaths(b.items, [...path, 0], out);
  return out;
}

describe("names in the schema", () => {
  it("finds every reference, with the kinds its description names", () => {
    const found = valuePaths(siteSchema())
      .map((p) => [p.join("."), referenceKinds(p).join("|")] as const)
      .filter(([, k]) => k !== "");
    expect(Object.fromEntries(found)).toEqual({
      "hosts.x.routes.0.to.0": "network|host",
      "hosts.x.routes.0.via": "host|link",
      "tunnels.x.between.0": "host",
      "tunnels.x.between.1": "peer",
      "tunnels.x.routes.toPeer.0": "network|host",
      "tunnels.x.routes.toHost.0": "network|host",
      "tunnels.x.bgp.announce.host.0": "network|host",
      "tunnels.x.bgp.announce.peer.0": "network|host",
      "tunnels.x.bgp.accept.host.0": "network|host",
      "tunnels.x.bgp.accept.peer.0": "network|host",
      "links.x.between.0": "host",
      "links.x.between.1": "host",
      "flows.x.from.0": "network|host",
      "flows.x.to.0": "network|host",
      "flows.x.via": "host",
      "failover.x.gateways.0": "host",
      "failover.x.gateways.1": "host",
      "cluster.masquerade.nonMasqueradeCIDRs.0": "network|host",
      "cluster.isolation.allowFrom.0": "network|host",
      "cluster.egress.0.allow.0.to": "network|host",
      "cluster.egress.0.allow.0.except.0": "network|host",
      "cluster.mesh.osmEdge.egress.0.ipAddresses.0": "network|host",
      "cluster.cilium.egressGateways.0.to.0": "network|host",
      "cluster.cilium.egressGateways.0.except.0": "network|host",
    });
  });

  it("finds the maps keyed by names: an end's overrides", () => {
    const keyed = valuePaths(siteSchema()).filter((p) => p[p.length - 1] === "x" && referenceKindsOfKey(p).length > 0);
    expect(keyed.map((p) => `${p.join(".")}: ${referenceKindsOfKey(p).join("|")}`)).toEqual(["tunnels.x.overrides.x: host|peer"]);
  });

  it("maps intent paths to the defaults table, an end's override to the tunnel's default", () => {
    expect(defaultKeyOf(["tunnels", "vpn1", "ike", "version"])).toBe("tunnels.<t>.ike.version");
    expect(defaultKeyOf(["tunnels", "vpn1", "overrides", "r1", "dpd", "delay"])).toBe("tunnels.<t>.dpd.delay");
    expect(defaultKeyOf(["cluster", "egress", 0, "allow", 1, "ports"])).toBe("cluster.egress[].allow[].ports");
    expect(defaultKeyOf(["hosts", "gw", "address"])).toBeUndefined();
    expect(keyHover(["tunnels", "vpn1", "overrides", "r1", "dpd", "delay"])).toContain("Default: 10s (a dead peer is noticed");
    expect(keyHover(["tunnels", "vpn1", "nonsense"])).toBeUndefined();
  });
});
