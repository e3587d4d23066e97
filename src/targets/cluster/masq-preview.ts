/**
 * For review only: the nat chain ip-masq-agent builds from the ConfigMap, as an `iptables-restore --noflush`
 * file. It is not deployed (the agent writes these rules itself, on every node, every resyncInterval), so
 * it is not listed in the kustomization; it shows a reviewer which destinations will be masqueraded, and a
 * test loads it into a network namespace and proves that with real traffic.
 *
 * Rule text, order and comments mirror kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go:
 * ensurePostroutingJump (`-m addrtype ! --dst-type LOCAL -j <chain>`), syncMasqRules (chain line, link-local
 * RETURN unless masqLinkLocal, one RETURN per CIDR in config order, then writeMasqRule). The agent's flags
 * come from the intent (cluster.masquerade.agent, defaults of v2.12: --masq-chain=IP-MASQ-AGENT,
 * --random-fully=true (#126), no --to-ports, --nomasq-all-reserved-ranges=false, --enable-ipv6=false) and
 * the header states them. With --to-ports (#162: "Masquerade to specified ports only … applicable to tcp,
 * udp, sctp protocols"; one range here), TCP, UDP and SCTP each get a MASQUERADE rule with `-p <proto>
 * --to-ports`, which iptables only accepts with a protocol, and other protocols the plain rule after them:
 * that layout is sitewire's reading of the flag's documented effect, not a copy of the agent's text, and the
 * real-traffic test proves the effect (source ports inside the range).
 *
 * IPv6: with --enable-ipv6 the agent builds the same chain with ip6tables (syncMasqRulesIPv6,
 * ensurePostroutingJumpIPv6: the same jump, comments and MASQUERADE rule; fe80::/10 RETURN unless
 * masqLinkLocalIPv6; the IPv6 CIDRs of nonMasqueradeCIDRs), previewed in a second file for ip6tables-restore.
 */
import { hashComment, iptablesQuote } from "../../render/quote.js";
import { normalise } from "../../render/templates.js";
import type { Family } from "../../model/types.js";
import { AGENT_VERSION, agentFlags, nonMasqueraded, portRange, type Masquerade } from "./masq-agent.js";

export const MASQ_CHAIN = "IP-MASQ-AGENT";
export const PREVIEW_PATH = "cluster/review/ip-masq-agent.rules";
/** The ip6tables chain (emitted only when the agent runs with --enable-ipv6: enablesIpv6). */
export const PREVIEW6_PATH = "cluster/review/ip-masq-agent6.rules";

/** The protocols --to-ports applies to (#162, toPortsProtocols). */
const TO_PORTS_PROTOCOLS = ["tcp", "udp", "sctp"] as const;

export function masqChainPreview(site: string, m: Masquerade, family: Family = 4): string {
  const keep = nonMasqueraded(m, family);
  const restore = family === 6 ? "ip6tables-restore" : "iptables-restore";
  const linkLocalKey = family === 6 ? "masqLinkLocalIPv6" : "masqLinkLocal";
  const chain = m.agent.masqChain;
  const comment = (text: string) => `# ${hashComment(text)}`.trimEnd();
  const comments = {
    jump: `ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom ${chain} chain`,
    keep: "ip-masq-agent: local traffic is not subject to MASQUERADE",
    masquerade: "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)",
  };
  const random = m.agent.randomFully ? " --random-fully" : "";
  const masquerade = `-j MASQUERADE${random}`;
  const toPorts = m.agent.toPorts;
  const lines = [
    comment(`Preview of the ${family === 6 ? "IPv6 (ip6tables) " : ""}nat rules ip-masq-agent builds on every node of site ${site}; review only, not deployed.`),
    comment(`Assumes ${AGENT_VERSION} running with:`),
    comment(`  ${agentFlags(m).join(" ")}`),
    comment(`Load into a scratch network namespace with: ${restore} --noflush < ${family === 6 ? "ip-masq-agent6.rules" : "ip-masq-agent.rules"}`),
    comment("(the agent appends the POSTROUTING jump only when it is missing; loading this file twice duplicates it)."),
    comment("Pods keep their own source address towards:"),
    ...keep.map((k) => comment(`  ${k.cidr} (${k.why})`)),
    ...(keep.length === 0 ? [comment(`  (none: nonMasqueradeCIDRs ${family === 6 ? "lists no IPv6 network" : "is empty"} and ${linkLocalKey} is true)`)] : []),
    comment("Everything else that leaves the node is masqueraded behind the node address."),
    ...(toPorts ? [comment(`TCP, UDP and SCTP get source ports ${portRange(toPorts)} only (--to-ports).`)] : []),
    "*nat",
    `:${chain} - [0:0]`,
    `-A POSTROUTING -m comment --comment ${iptablesQuote(comments.jump)} -m addrtype ! --dst-type LOCAL -j ${chain}`,
    ...keep.map((k) => `-A ${chain} -m comment --comment ${iptablesQuote(comments.keep)} -d ${k.cidr} -j RETURN`),
    ...(toPorts
      ? TO_PORTS_PROTOCOLS.map((p) => `-A ${chain} -p ${p} -m comment --comment ${iptablesQuote(comments.masquerade)} -j MASQUERADE --to-ports ${portRange(toPorts)}${random}`)
      : []),
    `-A ${chain} -m comment --comment ${iptablesQuote(comments.masquerade)} ${masquerade}`,
    "COMMIT",
  ];
  return normalise(lines.join("\n"));
}
