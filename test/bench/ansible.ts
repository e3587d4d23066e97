/**
 * The "what teams use today" reference: the files sitewire compiles for a few sites, rendered by
 * ansible-playbook with ansible.builtin.template on localhost (test/bench/ansible/playbook.yml and its
 * Jinja2 templates). The inventory is written from the resolved site model, as a team would keep the same
 * facts in host_vars: one inventory host per Linux host, IOS device, cluster and site, each listing the
 * files it renders with the same paths and modes as sitewire's.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { compileSource } from "../../src/compile/pipeline.js";
import type { Artifact } from "../../src/targets/target.js";
import type { SiteModel, TunnelModel } from "../../src/model/types.js";
import type { GeneratedSite } from "./generate.js";
import { measure, type Sample } from "./measure.js";

export interface AnsibleRun {
  readonly sample: Sample;
  /** Files the playbook wrote, and files sitewire compiles for the same sites. */
  readonly files: number;
  readonly sitewireFiles: number;
  readonly sites: number;
  readonly hosts: number;
}

interface RenderedFile {
  readonly path: string;
  readonly template: string;
  readonly mode: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly policy?: string;
}

/** Render `sites` with ansible-playbook into <work>/out; `playbookDir` is test/bench/ansible. */
export async function runAnsible(sites: readonly GeneratedSite[], work: string, playbookDir: string): Promise<AnsibleRun> {
  const outDir = join(work, "out");
  await mkdir(outDir, { recursive: true });
  const hosts: Record<string, object> = {};
  let sitewireFiles = 0;
  for (const site of sites) {
    const result = compileSource(site.file, site.text);
    if (!result.model || result.artifacts.length === 0) throw new Error(`benchmark site ${site.file} does not compile`);
    sitewireFiles += result.artifacts.length;
    Object.assign(hosts, inventoryHosts(result.model, result.artifacts, join(outDir, result.model.name)));
  }
  const inventory = join(work, "inventory.json");
  await writeFile(inventory, JSON.stringify({ all: { vars: { ansible_connection: "local", failover_config_path: "/etc/sitewire/failover.conf" }, hosts } }));

  const sample = await measure("ansible-playbook", ["-i", inventory, join(playbookDir, "playbook.yml")], {
    cwd: playbookDir,
    env: {
      ANSIBLE_CONFIG: join(playbookDir, "ansible.cfg"),
      ANSIBLE_LOCAL_TEMP: join(work, "tmp"),
      ANSIBLE_REMOTE_TEMP: join(work, "tmp"),
      ANSIBLE_NOCOLOR: "1",
    },
  });
  if (sample.exitCode !== 0) throw new Error(`ansible-playbook failed (exit ${sample.exitCode}):\n${sample.stdout.slice(-4000)}\n${sample.stderr.slice(-2000)}`);
  return { sample, files: await countFiles(outDir), sitewireFiles, sites: sites.length, hosts: Object.keys(hosts).length };
}

function inventoryHosts(model: SiteModel, artifacts: readonly Artifact[], outRoot: string): Record<string, object> {
  const common = { site: model.name, source_file: model.source.file, out_root: outRoot };
  const owner = (a: Artifact): string => {
    const [top, name] = a.path.split("/");
    if (top === "hosts" && name) return `${model.name}.${name}`;
    if (top === "devices" && name) return `${model.name}.device.${name}`;
    if (top === "cluster") return `${model.name}.cluster`;
    return `${model.name}.site`;
  };
  const filesOf = new Map<string, RenderedFile[]>();
  for (const a of artifacts) filesOf.set(owner(a), [...(filesOf.get(owner(a)) ?? []), renderedFile(a)]);
  const tunnelsOf = (names: readonly string[]): TunnelModel[] => model.tunnels.filter((t) => names.includes(t.name));

  const hosts: Record<string, object> = {};
  for (const host of model.hosts) {
    const key = `${model.name}.${host.name}`;
    if (filesOf.has(key)) hosts[key] = { ...common, node: host.name, host, host_tunnels: tunnelsOf(host.tunnels), artifacts: filesOf.get(key) };
  }
  for (const peer of model.peers) {
    const key = `${model.name}.device.${peer.name}`;
    if (filesOf.has(key)) hosts[key] = { ...common, node: peer.name, peer, peer_tunnels: tunnelsOf(peer.tunnels), artifacts: filesOf.get(key) };
  }
  const clusterFiles = filesOf.get(`${model.name}.cluster`);
  if (clusterFiles) {
    const resources = clusterFiles.filter((f) => f.kind === "k8s-manifest").map((f) => f.path.slice("cluster/".length));
    hosts[`${model.name}.cluster`] = { ...common, cluster: model.cluster, cluster_resources: resources, artifacts: clusterFiles };
  }
  const siteFiles = filesOf.get(`${model.name}.site`);
  if (siteFiles) {
    const listing = artifacts.map((a) => ({ path: a.path, kind: a.kind, mode: modeText(a.mode) }));
    hosts[`${model.name}.site`] = { ...common, model, site_artifacts: listing, artifacts: siteFiles };
  }
  return hosts;
}

/** The Jinja2 template of each artifact kind that has one template (the others are chosen by file name). */
const TEMPLATE_OF_KIND: Readonly<Record<string, string>> = {
  "strongswan-ipsec-conf": "ipsec.conf.j2",
  "strongswan-secrets": "ipsec.secrets.j2",
  "strongswan-conf": "strongswan.conf.j2",
  "swanctl-conf": "swanctl.conf.j2",
  sysctl: "sysctl.conf.j2",
  "iptables-restore": "iptables.j2",
  "failover-config": "failover.conf.j2",
  "cisco-ios": "ios.cfg.j2",
  kustomization: "kustomization.yaml.j2",
  "iptables-preview": "ip-masq-agent.rules.j2",
  readme: "README.md.j2",
  manifest: "manifest.json.j2",
};

/** The Jinja2 template that renders an artifact; kinds without an equivalent here get a generic dump. */
function renderedFile(a: Artifact): RenderedFile {
  const base = { path: a.path, mode: modeText(a.mode), kind: a.kind };
  const name = a.path.slice(a.path.lastIndexOf("/") + 1);
  const failover = name.includes("failover");
  if (a.kind === "shell") return { ...base, template: failover ? "failover.sh.j2" : "tunnels.sh.j2" };
  if (a.kind === "systemd-unit") return { ...base, template: failover ? "failover.service.j2" : "tunnels.service.j2" };
  if (a.kind === "k8s-manifest") {
    const policy = /^networkpolicy-(.+)\.yaml$/.exec(name)?.[1];
    if (policy) return { ...base, template: "networkpolicy.yaml.j2", namespace: a.path.split("/")[1]!, policy };
    if (name === "configmap-ip-masq-agent.yaml") return { ...base, template: "configmap-ip-masq-agent.yaml.j2" };
  }
  return { ...base, template: TEMPLATE_OF_KIND[a.kind] ?? "generic.j2" };
}

function modeText(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}
