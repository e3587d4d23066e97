/**
 * ip-masq-agent (seed 001): the ConfigMap `ip-masq-agent` in kube-system, key `config`, and the agent's own
 * reading of it (which destinations keep the pod address), shared with the chain preview.
 *
 * Agent rules followed here, from kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go
 * (MasqConfig, NewMasqConfig, syncConfig, validate, syncMasqRules):
 * - the file overrides only the keys it has, so an omitted `nonMasqueradeCIDRs` keeps the RFC 1918 defaults;
 * - CIDRs must be aligned and at most `cidrLimit` (default 64, link-local not counted): the resolver and rule
 *   SW110 guarantee both, so the model reaching this module is valid;
 * - 169.254.0.0/16 is not masqueraded unless `masqLinkLocal: true`;
 * - `resyncInterval` is read with Go's time.ParseDuration, which has no `d` unit.
 */
import type { ClusterModel } from "../../model/types.js";
import { objectMeta, toYaml, type Manifest } from "./k8s.js";

export type Masquerade = NonNullable<ClusterModel["masquerade"]>;

export const AGENT_DEFAULTS = {
  nonMasqueradeCIDRs: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
  /** Added to the defaults by --nomasq-all-reserved-ranges (NewMasqConfig), in the agent's order. */
  reservedRanges: [
    ["100.64.0.0/10", "RFC 6598"],
    ["192.0.0.0/24", "RFC 6890"],
    ["192.0.2.0/24", "RFC 5737"],
    ["192.88.99.0/24", "RFC 7526"],
    ["198.18.0.0/15", "RFC 6815"],
    ["198.51.100.0/24", "RFC 5737"],
    ["203.0.113.0/24", "RFC 5737"],
    ["240.0.0.0/4", "RFC 5735"],
  ],
  linkLocal: "169.254.0.0/16",
} as const;

/**
 * The agent release whose behaviour sitewire mirrors: v2.12's chain and flags, with --to-ports as
 * kubernetes-sigs/ip-masq-agent#162 added it (one port range for TCP, UDP and SCTP).
 */
export const AGENT_VERSION = "ip-masq-agent v2.12 (kubernetes-sigs/ip-masq-agent)";

/** The agent's command line the DaemonSet is assumed to run with. */
export function agentFlags(m: Masquerade): string[] {
  const a = m.agent;
  return [
    `--masq-chain=${a.masqChain}`,
    `--nomasq-all-reserved-ranges=${a.nomasqAllReservedRanges}`,
    `--random-fully=${a.randomFully}`,
    ...(a.toPorts ? [`--to-ports=${portRange(a.toPorts)}`] : []),
    "--enable-ipv6=false",
  ];
}

export function portRange(p: { first: number; last: number }): string {
  return p.first === p.last ? `${p.first}` : `${p.first}-${p.last}`;
}

/** One destination the agent lets pods reach with their own address, and why. */
export interface NonMasqueraded {
  readonly cidr: string;
  readonly why: string;
}

/** The `config` document, keys in the agent's MasqConfig field order. */
export function agentConfig(m: Masquerade): Record<string, unknown> {
  const cidrs = m.nonMasqueradeCIDRs;
  return {
    ...(cidrs === "agent-defaults" ? {} : { nonMasqueradeCIDRs: cidrs.map((p) => p.cidr) }),
    ...(m.cidrLimit !== undefined ? { cidrLimit: m.cidrLimit } : {}),
    masqLinkLocal: m.masqLinkLocal,
    ...(m.masqLinkLocalIPv6 !== undefined ? { masqLinkLocalIPv6: m.masqLinkLocalIPv6 } : {}),
    resyncInterval: goDuration(m.resyncInterval),
  };
}

/** The IPv4 destinations the agent will RETURN for, in the order of its chain. */
export function nonMasqueraded(m: Masquerade): NonMasqueraded[] {
  const linkLocal = m.masqLinkLocal ? [] : [{ cidr: AGENT_DEFAULTS.linkLocal, why: "link-local, masqLinkLocal: false" }];
  const reserved = m.agent.nomasqAllReservedRanges ? AGENT_DEFAULTS.reservedRanges.map(([cidr, rfc]) => ({ cidr, why: `agent default with --nomasq-all-reserved-ranges, ${rfc}` })) : [];
  const listed =
    m.nonMasqueradeCIDRs === "agent-defaults"
      ? [...AGENT_DEFAULTS.nonMasqueradeCIDRs.map((cidr) => ({ cidr, why: "agent default, RFC 1918" })), ...reserved]
      : m.nonMasqueradeCIDRs.map((p) => ({ cidr: p.cidr, why: p.name ?? "listed" }));
  return [...linkLocal, ...listed];
}

export function masqAgentConfigMap(site: string, m: Masquerade): Manifest {
  const keep = nonMasqueraded(m);
  return {
    object: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: objectMeta(site, "ip-masq-agent", "kube-system"),
      data: { config: toYaml(agentConfig(m)) },
    },
    comment: [
      "ip-masq-agent configuration (mounted by the agent as /etc/config/ip-masq-agent).",
      "Pods keep their own source address towards:",
      ...keep.map((k) => `  ${k.cidr} (${k.why})`),
      ...(keep.length === 0 ? ["  (none: masqLinkLocal is true and nonMasqueradeCIDRs is empty)"] : []),
      "Traffic to every other destination outside the node is masqueraded behind the node address.",
      ...(m.nonMasqueradeCIDRs === "agent-defaults"
        ? [`nonMasqueradeCIDRs is omitted on purpose: the agent then keeps its RFC 1918 defaults${m.agent.nomasqAllReservedRanges ? " and the RFC-reserved ranges (--nomasq-all-reserved-ranges)" : ""}.`]
        : m.nonMasqueradeCIDRs.length === 0
          ? ["nonMasqueradeCIDRs is an empty list on purpose: it replaces the agent's defaults, so everything but link-local is masqueraded."]
          : []),
      `Assumes ${AGENT_VERSION} running with ${agentFlags(m).join(" ")} (sitewire does not deploy the DaemonSet).`,
      ...(m.masqLinkLocalIPv6 !== undefined ? ["masqLinkLocalIPv6 only takes effect when the agent runs with --enable-ipv6."] : []),
      "Needs the ip-masq-agent DaemonSet (GKE runs it); do not combine with the kubelet's --non-masquerade-cidr.",
      "The chain the agent builds from this is in review/ip-masq-agent.rules.",
    ],
  };
}

/** Go's time.ParseDuration knows ns…h but not days: 2d → 48h. */
export function goDuration(d: Masquerade["resyncInterval"]): string {
  return d.text.endsWith("d") ? `${d.seconds / 3600}h` : d.text;
}
