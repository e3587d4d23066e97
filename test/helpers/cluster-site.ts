/**
 * For the cluster target's tests (src/targets/cluster/*.test.ts): a resolved site from a `cluster:` block (and
 * optional networks), so tests start from intent text like users write it. Fails loudly if the resolver
 * reports anything.
 */
import { resolveSite } from "../../src/model/resolve.js";
import type { ClusterModel, SiteModel } from "../../src/model/types.js";
import { sourceOf } from "./source.js";

export function siteWithCluster(cluster: string, networks = ""): SiteModel & { cluster: ClusterModel } {
  const indent = (text: string) => {
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const margin = Math.min(...lines.map((l) => l.length - l.trimStart().length));
    return lines.map((l) => `  ${l.slice(margin)}`).join("\n");
  };
  const text = ["site: test", ...(networks ? ["networks:", indent(networks)] : []), "cluster:", indent(cluster), ""].join("\n");
  const { source, intent } = sourceOf(text);
  const { model, diagnostics } = resolveSite(source, intent, "0".repeat(64));
  if (diagnostics.length > 0) throw new Error(`test site does not resolve: ${diagnostics.map((d) => d.message).join("; ")}`);
  if (!model.cluster) throw new Error("test site has no cluster");
  return model as SiteModel & { cluster: ClusterModel };
}
