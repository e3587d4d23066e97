/**
 * Resolve: a shape-valid intent → the site model. Names become prefixes and addresses, defaults are filled,
 * both ends of every tunnel and link are derived, and per-host views are computed. Problems that prevent
 * resolution (unknown names, wrong kinds, unreachable next hops) are reported here; everything that can be
 * judged on the finished model is a meaning rule in src/rules. The model is returned even when parts could
 * not be resolved, so the rules can still report every other problem in the same run.
 */
import { defaultValue } from "../intent/defaults.js";
import type { ClusterIntent, FailoverIntent, PeerIntent, SiteIntent } from "../intent/schema.js";
import type { SourceFile } from "../intent/source.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { NameTable } from "./names.js";
import { Reporter } from "./report.js";
import { addExplicitRoutes, addLinkEnds, addTunnel, baseHost, finishHost, hostsOf, newBuilder, resolveFlow, type HostBuilder } from "./hosts.js";
import { resolveLink, resolveTunnel, tunnelsOf } from "./tunnels.js";
import { isCloudPlatform, type CloudPlatform, type PeerCloud } from "./types.js";
import { platformNamed } from "../targets/platforms.js";
import type { ClusterModel, FailoverModel, MasqAgentFlags, FlowModel, HostFailover, HostModel, LinkModel, PeerModel, PeerPlatform, SiteModel, TunnelModel } from "./types.js";
import { parseDuration, parsePort } from "./values.js";

export function resolveSite(source: SourceFile, intent: SiteIntent, sha256: string): { model: SiteModel; diagnostics: Diagnostic[] } {
  const reporter = new Reporter(source);
  const names = new NameTable(intent, reporter);
  const sorted = <T>(m: Record<string, T> | undefined) => Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));

  const builders = new Map<string, HostBuilder>();
  for (const [name, h] of hostsOf(intent)) builders.set(name, newBuilder(baseHost(name, h, intent.strongswan?.format), h));
  const bases = new Map([...builders].map(([n, b]) => [n, b.base]));

  const peers = new Map<string, PeerModel & { tunnels: string[] }>();
  for (const [name, p] of sorted(intent.peers))
    peers.set(name, {
      name,
      ...(p.description !== undefined ? { description: p.description } : {}),
      platform: p.platform as PeerPlatform, // the schema admits only registered names (src/targets/platforms.ts)
      address: p.address,
      ...(p.publicAddress ? { publicAddress: p.publicAddress } : {}),
      identity: p.identity ?? (p.platform === "strongswan" ? (p.publicAddress ?? p.address) : p.address),
      ...outsideInterface(p),
      ...(p.routing?.ospf ? { ospf: { ...p.routing.ospf } } : {}),
      ...(p.routing?.bgp ? { bgp: { ...p.routing.bgp } } : {}),
      ...(p.cloud && isCloudPlatform(p.platform) ? { cloud: peerCloud(p.platform, p.cloud) } : {}),
      tunnels: [],
    });

  const tunnels: TunnelModel[] = [];
  for (const [name, t] of tunnelsOf(intent)) {
    const model = resolveTunnel(name, t, names, bases, peers, reporter);
    if (!model) continue;
    tunnels.push(model);
    addTunnel(builders.get(model.host.node)!, model);
    peers.get(model.peer.node)!.tunnels.push(name);
  }

  const links: LinkModel[] = [];
  for (const [name, l] of sorted(intent.links)) {
    const model = resolveLink(name, l, names, bases, reporter);
    if (!model) continue;
    links.push(model);
    addLinkEnds(model, builders);
  }

  for (const [name, b] of builders) addExplicitRoutes(name, b, names, builders, reporter);
  const flows: FlowModel[] = [];
  for (const [name, f] of sorted(intent.flows)) {
    const model = resolveFlow(name, f, names, builders, reporter);
    if (model) flows.push(model);
  }

  let hosts = new Map<string, HostModel>([...builders].map(([n, b]) => [n, finishHost(b)]));
  const failover: FailoverModel[] = [];
  for (const [name, pair] of sorted(intent.failover)) {
    const resolved = resolveFailover(name, pair, names, hosts, tunnels, reporter);
    if (!resolved) continue;
    failover.push(resolved.model);
    hosts = new Map([...hosts].map(([n, h]) => [n, resolved.views.has(n) ? { ...h, failover: resolved.views.get(n)! } : h]));
  }

  const model: SiteModel = {
    name: intent.site,
    ...(intent.description !== undefined ? { description: intent.description } : {}),
    source: { file: source.path, sha256 },
    networks: sorted(intent.networks).map(([name]) => ({ name, prefix: names.networks.get(name)! })),
    hosts: [...hosts.values()],
    peers: [...peers.values()].map((p) => ({ ...p, tunnels: [...p.tunnels].sort() })),
    tunnels,
    links,
    flows,
    failover,
    ...(intent.cluster ? { cluster: resolveCluster(intent.cluster, names) } : {}),
  };
  return { model, diagnostics: reporter.diagnostics };
}

/**
 * `peers.<p>.interface`, else the default the platform declares (the registry's data: src/targets/platforms.ts
 * holds declarations only, no target code). None where the platform requires one (SW208 reports it) or has none.
 */
function outsideInterface(p: PeerIntent): { interface?: string } {
  if (p.interface !== undefined) return { interface: p.interface };
  const declared = platformNamed(p.platform)?.capabilities.outsideInterface;
  return declared && declared !== "not-used" && declared.default !== "required" ? { interface: declared.default } : {};
}

/** Provider per cloud platform, and the one gateway kind Azure and Google Cloud have (the default there). */
const CLOUD_PROVIDER: Record<CloudPlatform, PeerCloud["provider"]> = { "aws-vpn": "aws", "azure-vpn-gateway": "azure", "gcp-ha-vpn": "gcp" };
const DEFAULT_GATEWAY: Readonly<Partial<Record<CloudPlatform, PeerCloud["gateway"]>>> = defaultValue("peers.<p>.cloud.gateway");

function peerCloud(platform: CloudPlatform, c: NonNullable<PeerIntent["cloud"]>): PeerCloud {
  const provider = CLOUD_PROVIDER[platform];
  const gateway = c.gateway ?? DEFAULT_GATEWAY[platform];
  return {
    provider,
    ...(gateway ? { gateway } : {}),
    ...(c.region ? { region: c.region } : {}),
    ...(c.gatewayId ? { gatewayId: c.gatewayId } : {}),
  };
}

function resolveFailover(
  name: string,
  pair: FailoverIntent,
  names: NameTable,
  hosts: ReadonlyMap<string, HostModel>,
  tunnels: readonly TunnelModel[],
  reporter: Reporter,
): { model: FailoverModel; views: Map<string, HostFailover> } | undefined {
  const path = ["failover", name];
  const action = pair.action ?? defaultValue("failover.<pair>.action");
  const ok = pair.gateways.map((g, i) => names.expect(g, ["host"], [...path, "gateways", i], "a failover gateway")).every(Boolean);
  if (!ok) return undefined;
  if (action === "command" && !pair.command) {
    reporter.report("SW121", path, `failover pair '${name}' uses action: command but has no command`, { at: "key", hint: "set command: /usr/local/sbin/<your hook>" });
    return undefined;
  }
  const [a, b] = pair.gateways.map((g) => hosts.get(g)!) as [HostModel, HostModel];
  const facts = new Map<string, { tunnel: TunnelModel }>();
  let complete = true;
  pair.gateways.forEach((g, i) => {
    const host = hosts.get(g)!;
    const own = tunnels.filter((t) => t.host.node === g && t.kind === "ipsec-vti");
    if (own.length !== 1) {
      reporter.report("SW118", [...path, "gateways", i], `failover gateway '${g}' must end exactly one route-based tunnel (it ends ${own.length})`);
      complete = false;
      return;
    }
    if (action === "aws" && (!host.cloud || host.cloud.routeTables.length === 0)) {
      reporter.report("SW118", [...path, "gateways", i], `failover gateway '${g}' needs cloud facts: instanceId and the routeTables it serves`, {
        hint: `add hosts.${g}.cloud: { provider: aws, instanceId: i-…, eni: eni-…, routeTables: [rtb-…] }`,
      });
      complete = false;
      return;
    }
    facts.set(g, { tunnel: own[0]! });
  });
  if (!complete) return undefined;

  const views = new Map<string, HostFailover>();
  for (const [self, partner] of [[a, b], [b, a]] as const) {
    const tunnel = facts.get(self.name)!.tunnel;
    const target = (h: HostModel) => ({ ...(h.cloud?.eni ? { eni: h.cloud.eni } : {}), ...(h.cloud?.instanceId ? { instanceId: h.cloud.instanceId } : {}) });
    views.set(self.name, {
      pair: name,
      partner: partner.name,
      partnerAddress: partner.address.address,
      ...(partner.cloud ? { partnerInstanceId: partner.cloud.instanceId } : {}),
      tunnelProbe: tunnel.host.insidePeerAddress ?? tunnel.host.remoteAddress,
      tunnel: tunnel.name,
      tunnelDevice: tunnel.device ?? "",
      ownRouteTables: self.cloud?.routeTables ?? [],
      partnerRouteTables: partner.cloud?.routeTables ?? [],
      destinations: tunnel.toPeer,
      target: target(self),
      partnerTarget: target(partner),
      action,
      ...(pair.command ? { command: pair.command } : {}),
      ...(self.cloud?.region ? { region: self.cloud.region } : {}),
      interval: parseDuration(pair.interval ?? defaultValue("failover.<pair>.interval")),
      failures: pair.failures ?? defaultValue("failover.<pair>.failures"),
      recoveries: pair.recoveries ?? defaultValue("failover.<pair>.recoveries"),
      restartPartner: pair.restartPartner ?? defaultValue("failover.<pair>.restartPartner"),
    });
  }
  return {
    model: { name, ...(pair.description !== undefined ? { description: pair.description } : {}), gateways: [a.name, b.name], action },
    views,
  };
}

/** The agent's flags with its own defaults (--masq-chain=IP-MASQ-AGENT, --random-fully=true, the rest off). */
function masqAgentFlags(a: NonNullable<ClusterIntent["masquerade"]>["agent"]): MasqAgentFlags {
  const ports = a?.toPorts?.split("-").map(Number);
  return {
    masqChain: a?.masqChain ?? defaultValue("cluster.masquerade.agent.masqChain"),
    nomasqAllReservedRanges: a?.nomasqAllReservedRanges ?? defaultValue("cluster.masquerade.agent.nomasqAllReservedRanges"),
    randomFully: a?.randomFully ?? defaultValue("cluster.masquerade.agent.randomFully"),
    ...(ports ? { toPorts: { first: ports[0]!, last: ports[1] ?? ports[0]! } } : {}),
  };
}

function resolveCluster(c: ClusterIntent, names: NameTable): ClusterModel {
  const path = ["cluster"];
  const m = c.masquerade;
  return {
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(m
      ? {
          masquerade: {
            nonMasqueradeCIDRs:
              m.nonMasqueradeCIDRs === "agent-defaults" ? "agent-defaults" : names.prefixes(m.nonMasqueradeCIDRs, [...path, "masquerade", "nonMasqueradeCIDRs"]),
            masqLinkLocal: m.masqLinkLocal ?? defaultValue("cluster.masquerade.masqLinkLocal"),
            ...(m.masqLinkLocalIPv6 !== undefined ? { masqLinkLocalIPv6: m.masqLinkLocalIPv6 } : {}),
            resyncInterval: parseDuration(m.resyncInterval ?? defaultValue("cluster.masquerade.resyncInterval")),
            ...(m.cidrLimit !== undefined ? { cidrLimit: m.cidrLimit } : {}),
            agent: masqAgentFlags(m.agent),
          },
        }
      : {}),
    ...(c.isolation
      ? {
          isolation: {
            namespaces: [...c.isolation.namespaces],
            allowFrom: names.prefixes(c.isolation.allowFrom, [...path, "isolation", "allowFrom"]),
            ...(c.isolation.externalTrafficPolicy ? { externalTrafficPolicy: c.isolation.externalTrafficPolicy } : {}),
            ...(c.isolation.allowAll !== undefined ? { allowAll: c.isolation.allowAll } : {}),
          },
        }
      : {}),
    dns: { namespace: c.dns?.namespace ?? defaultValue("cluster.dns.namespace"), pods: { ...(c.dns?.pods ?? defaultValue("cluster.dns.pods")) } },
    egress: (c.egress ?? []).map((e, i) => ({
      namespace: e.namespace,
      ...(e.pods ? { pods: { ...e.pods } } : {}),
      ...(e.allowAll !== undefined ? { allowAll: e.allowAll } : {}),
      allow: e.allow.flatMap((a, j) => {
        const p = [...path, "egress", i, "allow", j];
        const to = names.prefix(a.to, [...p, "to"]);
        return to ? [{ to, except: names.prefixes(a.except, [...p, "except"]), ports: (a.ports ?? []).map(parsePort), ...(a.allowAll !== undefined ? { allowAll: a.allowAll } : {}) }] : [];
      }),
    })),
    osmEdge: (c.mesh?.osmEdge?.egress ?? []).map((e, i) => ({
      name: e.name,
      namespace: e.namespace,
      serviceAccounts: [...e.serviceAccounts],
      hosts: [...(e.hosts ?? [])],
      ipAddresses: names.prefixes(e.ipAddresses, [...path, "mesh", "osmEdge", "egress", i, "ipAddresses"]),
      ports: e.ports.map((p) => {
        const [protocol, number] = p.split("/") as ["http" | "https" | "tcp" | "tcp-server-first", string];
        return { number: Number(number), protocol };
      }),
    })),
    ciliumEgressGateways: (c.cilium?.egressGateways ?? []).map((g, i) => {
      const p = [...path, "cilium", "egressGateways", i];
      return {
        name: g.name,
        namespaces: [...(g.namespaces ?? [])],
        ...(g.pods ? { pods: { ...g.pods } } : {}),
        to: names.prefixes(g.to, [...p, "to"]),
        except: names.prefixes(g.except, [...p, "except"]),
        nodeSelector: { ...g.nodeSelector },
        ...(g.egressIP ? { egressIP: g.egressIP } : {}),
        ...(g.interface ? { interface: g.interface } : {}),
        ...(g.allowAll !== undefined ? { allowAll: g.allowAll } : {}),
      };
    }),
  };
}
