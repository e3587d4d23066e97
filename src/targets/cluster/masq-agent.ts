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
 *
 * IPv6 (same file, syncMasqRulesIPv6, and the README's config keys: nonMasqueradeCIDRs, cidrLimit, masqLinkLocal,
 * "masqLinkLocalIPv6 bool: Whether to masquerade traffic to fe80::/10. False by default.", resyncInterval):
 * - one `nonMasqueradeCIDRs` list holds both families; IPv4 entries go to the iptables chain, IPv6 entries to
 *   an ip6tables chain of the same name, built the same way (fe80::/10 RETURN unless masqLinkLocalIPv6, one
 *   RETURN per IPv6 CIDR in config order, MASQUERADE last);
 * - the ip6tables chain exists only with --enable-ipv6, and validate() rejects the WHOLE config ("ipv6 is not
 *   enabled, but ipv6 cidr … provided") when an IPv6 CIDR is listed without it: so sitewire assumes
 *   --enable-ipv6=true exactly when nonMasqueradeCIDRs lists an IPv6 network (masqLinkLocalIPv6 alone does not
 *   tell: it is written as given, and means something only with the flag);
 * - cidrLimit counts the entries of both families together (len(NonMasqueradeCIDRs));
 * - the agent's built-in defaults are IPv4 only: with the key omitted, only fe80::/10 keeps IPv6 pod addresses.
 */
import type { ClusterModel, Family } from "../../model/types.js";
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
  /** linkLocalCIDRIPv6 (RFC 4291), RETURNed in the ip6tables chain unless masqLinkLocalIPv6. */
  linkLocal6: "fe80::/10",
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
    `--enable-ipv6=${enablesIpv6(m)}`,
  ];
}

/**
 * Does the agent have to run with --enable-ipv6? Yes when the config lists an IPv6 CIDR: without the flag the
 * agent refuses the whole config (validate). masqLinkLocalIPv6 alone says nothing about the flag (it only takes
 * effect with it), so it does not make sitewire assume it.
 */
export function enablesIpv6(m: Masquerade): boolean {
  return m.nonMasqueradeCIDRs !== "agent-defaults" && m.nonMasqueradeCIDRs.some((p) => p.family === 6);
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

/**
 * The destinations of one family the agent will RETURN for, in the order of its chain (iptables for 4,
 * ip6tables for 6: syncMasqRules and syncMasqRulesIPv6 each take the listed CIDRs of their own family).
 */
export function nonMasqueraded(m: Masquerade, family: Family = 4): NonMasqueraded[] {
  if (family === 6) {
    const linkLocal6 = m.masqLinkLocalIPv6 ? [] : [{ cidr: AGENT_DEFAULTS.linkLocal6, why: `link-local, masqLinkLocalIPv6: ${m.masqLinkLocalIPv6 === undefined ? "unset (false)" : "false"}` }];
    const listed6 = m.nonMasqueradeCIDRs === "agent-defaults" ? [] : m.nonMasqueradeCIDRs.filter((p) => p.family === 6).map((p) => ({ cidr: p.cidr, why: p.name ?? "listed" }));
    return [...linkLocal6, ...listed6];
  }
  const linkLocal = m.masqLinkLocal ? [] : [{ cidr: AGENT_DEFAULTS.linkLocal, why: "link-local, masqLinkLocal: false" }];
  const reserved = m.agent.nomasqAllReservedRanges ? AGENT_DEFAULTS.reservedRanges.map(([cidr, rfc]) => ({ cidr, why: `agent default with --nomasq-all-reserved-ranges, ${rfc}` })) : [];
  const listed =
    m.nonMasqueradeCIDRs === "agent-defaults"
      ? [...AGENT_DEFAULTS.nonMasqueradeCIDRs.map((cidr) => ({ cidr, why: "agent default, RFC 1918" })), ...reserved]
      : m.nonMasqueradeCIDRs.filter((p) => p.family === 4).map((p) => ({ cidr: p.cidr, why: p.name ?? "listed" }));
  return [...linkLocal, ...listed];
}

export function masqAgentConfigMap(site: string, m: Masquerade): Manifest {
  const keep = nonMasqueraded(m);
  const v6 = enablesIpv6(m);
  const keep6 = v6 ? nonMasqueraded(m, 6) : [];
  return {
    object: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: objectMeta(site, "ip-masq-agent", "kube-system"),
      data: { config: toYaml(agentConfig(m)) },
    },
    comment: [
      "ip-masq-agent configuration (mounted by the agent as /etc/config/ip-masq-agent).",
      `Pods keep their own source address towards${v6 ? " (IPv4, iptables)" : ""}:`,
      ...keep.map((k) => `  ${k.cidr} (${k.why})`),
      ...(keep.length === 0 ? [`  (none: masqLinkLocal is true and nonMasqueradeCIDRs ${v6 ? "lists no IPv4 network" : "is empty"})`] : []),
      ...(v6
        ? [
            "and (IPv6, ip6tables):",
            ...keep6.map((k) => `  ${k.cidr} (${k.why})`),
            ...(keep6.length === 0 ? ["  (none: masqLinkLocalIPv6 is true and nonMasqueradeCIDRs lists no IPv6 network)"] : []),
          ]
        : []),
      `Traffic to every other destination outside the node is masqueraded behind the node address${v6 ? " of its family" : ""}.`,
      ...(m.nonMasqueradeCIDRs === "agent-defaults"
        ? [`nonMasqueradeCIDRs is omitted on purpose: the agent then keeps its RFC 1918 defaults${m.agent.nomasqAllReservedRanges ? " and the RFC-reserved ranges (--nomasq-all-reserved-ranges)" : ""}.`]
        : m.nonMasqueradeCIDRs.length === 0
          ? ["nonMasqueradeCIDRs is an empty list on purpose: it replaces the agent's defaults, so everything but link-local is masqueraded."]
          : []),
      `Assumes ${AGENT_VERSION} running with ${agentFlags(m).join(" ")} (sitewire does not deploy the DaemonSet).`,
      ...(v6 ? ["IPv6 needs the agent's --enable-ipv6=true: without it the agent rejects this whole config (it lists an IPv6 CIDR)."] : []),
      ...(!v6 && m.masqLinkLocalIPv6 !== undefined ? ["masqLinkLocalIPv6 only takes effect when the agent runs with --enable-ipv6."] : []),
      "Needs the ip-masq-agent DaemonSet (GKE runs it); do not combine with the kubelet's --non-masquerade-cidr.",
      `The chain the agent builds from this is in review/ip-masq-agent.rules${v6 ? " (IPv4) and review/ip-masq-agent6.rules (IPv6)" : ""}.`,
    ],
  };
}

/** Go's time.ParseDuration knows ns…h but not days: 2d → 48h. */
export function goDuration(d: Masquerade["resyncInterval"]): string {
  return d.text.endsWith("d") ? `${d.seconds / 3600}h` : d.text;
}
