/**
 * The cluster artifacts of every example site (sites/*.yaml) and fixture site (test/fixtures/sites/*.yaml)
 * that has a `cluster:` part (the others emit nothing here, and their own tests cover them).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { compileSource } from "../../src/compile/pipeline.js";
import type { Artifact } from "../../src/targets/target.js";
import type { K8sObject } from "./validate.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export const CLUSTER_SITE_FILES = ["sites", "test/fixtures/sites"]
  .flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".yaml")).map((f) => `${dir}/${f}`))
  .filter((file) => /^cluster:/m.test(readFileSync(join(ROOT, file), "utf8")))
  .sort();

export interface ClusterOutput {
  readonly file: string;
  readonly site: string;
  readonly artifacts: readonly Artifact[];
  readonly manifests: readonly { path: string; object: K8sObject }[];
}

export function clusterOutput(file: string): ClusterOutput {
  const result = compileSource(file, readFileSync(join(ROOT, file), "utf8"));
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${file} does not compile: ${errors.map((d) => d.message).join("; ")}`);
  const artifacts = result.artifacts.filter((a) => a.path.startsWith("cluster/"));
  const manifests = artifacts.filter((a) => a.kind === "k8s-manifest").map((a) => ({ path: a.path, object: parse(a.content) as K8sObject }));
  return { file, site: result.site!, artifacts, manifests };
}
