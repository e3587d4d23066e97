/**
 * For review only: the nat chain ip-masq-agent builds from the ConfigMap, as an `iptables-restore --noflush`
 * file. It is not deployed (the agent writes these rules itself, on every node, every resyncInterval), so
 * it is not listed in the kustomization; it shows a reviewer which destinations will be masqueraded, and a
 * test loads it into a network namespace and proves that with real traffic.
 *
 * Rule text, order and comments mirror kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go:
 * ensurePostroutingJump (`-m addrtype ! --dst-type LOCAL -j IP-MASQ-AGENT`), syncMasqRules (chain line, link-local
 * RETURN unless masqLinkLocal, one RETURN per CIDR in config order, then writeMasqRule), with the agent's
 * default flags of v2.12: --masq-chain=IP-MASQ-AGENT, --random-fully=true, no --to-ports
 * (kubernetes-sigs/ip-masq-agent#126, #162), --nomasq-all-reserved-ranges=false, --enable-ipv6=false.
 */
import { hashComment, iptablesQuote } from "../../render/quote.js";
import { normalise } from "../../render/templates.js";
import { nonMasqueraded, type Masquerade } from "./masq-agent.js";

export const MASQ_CHAIN = "IP-MASQ-AGENT";
export const PREVIEW_PATH = "cluster/review/ip-masq-agent.rules";

const COMMENTS = {
  jump: `ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom ${MASQ_CHAIN} chain`,
  keep: "ip-masq-agent: local traffic is not subject to MASQUERADE",
  masquerade: "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)",
};

export function masqChainPreview(site: string, m: Masquerade): string {
  const keep = nonMasqueraded(m);
  const comment = (text: string) => `# ${hashComment(text)}`.trimEnd();
  const lines = [
    comment(`Preview of the nat rules ip-masq-agent builds on every node of site ${site}; review only, not deployed.`),
    comment("Load into a scratch network namespace with: iptables-restore --noflush < ip-masq-agent.rules"),
    comment("(the agent appends the POSTROUTING jump only when it is missing; loading this file twice duplicates it)."),
    comment("Pods keep their own source address towards:"),
    ...keep.map((k) => comment(`  ${k.cidr} (${k.why})`)),
    comment("Everything else that leaves the node is masqueraded behind the node address."),
    "*nat",
    `:${MASQ_CHAIN} - [0:0]`,
    `-A POSTROUTING -m comment --comment ${iptablesQuote(COMMENTS.jump)} -m addrtype ! --dst-type LOCAL -j ${MASQ_CHAIN}`,
    ...keep.map((k) => `-A ${MASQ_CHAIN} -m comment --comment ${iptablesQuote(COMMENTS.keep)} -d ${k.cidr} -j RETURN`),
    `-A ${MASQ_CHAIN} -m comment --comment ${iptablesQuote(COMMENTS.masquerade)} -j MASQUERADE --random-fully`,
    "COMMIT",
  ];
  return normalise(lines.join("\n"));
}
