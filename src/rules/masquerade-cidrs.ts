import { defineRule } from "./rule.js";
import { lineOf, repeats } from "./support/file-order.js";
import { refPaths } from "./support/intent-paths.js";

/** ip-masq-agent's own default (cmd/ip-masq-agent/ip-masq-agent.go, cidrLimit). */
export const AGENT_CIDR_LIMIT = 64;

/**
 * What ip-masq-agent itself refuses (kubernetes-sigs/ip-masq-agent, cmd/ip-masq-agent/ip-masq-agent.go,
 * MasqConfig.validate): more CIDRs than cidrLimit, after which it keeps its previous config. Alignment is
 * checked where each CIDR is written (resolver), for both families. The limit counts IPv4 and IPv6 entries
 * together, as the agent's one list does. Two references to one network (compared in canonical form, so
 * `2001:DB8::/32` and `2001:db8:0::/32` are one) are a mistake the agent would silently accept.
 */
export const masqueradeCidrs = defineRule({
  code: "SW110",
  name: "masquerade-cidrs",
  description: `ip-masq-agent's nonMasqueradeCIDRs hold no network twice and no more entries than cidrLimit (default ${AGENT_CIDR_LIMIT}).`,
  severity: "error",
  messages: {
    duplicate: "{{what}} is already listed as '{{first}}' (line {{line}})",
    limit: "nonMasqueradeCIDRs lists {{count}} networks, more than cidrLimit {{limit}}: ip-masq-agent rejects the whole config and keeps its previous one",
  },
  check({ source, intent, model }, report) {
    const masquerade = model.cluster?.masquerade;
    const refs = intent.cluster?.masquerade?.nonMasqueradeCIDRs;
    if (!masquerade || masquerade.nonMasqueradeCIDRs === "agent-defaults" || refs === "agent-defaults") return;
    const base = ["cluster", "masquerade", "nonMasqueradeCIDRs"];
    const entries = refPaths(refs, masquerade.nonMasqueradeCIDRs, base);

    for (const { first, again } of repeats(entries, (e) => e.prefix.cidr))
      report("duplicate", again.path, { what: again.ref === again.prefix.cidr ? `'${again.ref}'` : `'${again.ref}' (${again.prefix.cidr})`, first: first.ref, line: lineOf(source, first.path) }, {
        hint: "remove one of them",
      });

    const limit = masquerade.cidrLimit ?? AGENT_CIDR_LIMIT;
    const over = entries[limit];
    if (over)
      report("limit", over.path, { count: entries.length, limit }, { hint: "merge adjacent networks into shorter prefixes, or raise cidrLimit" });
  },
});
