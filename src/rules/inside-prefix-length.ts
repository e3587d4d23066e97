import { isLinkLocal6, parseCidr, pointToPointPair } from "../net/ip.js";
import type { Prefix } from "../model/types.js";
import { defineRule } from "./rule.js";
import { insideNetworks } from "./support/inside-networks.js";

/**
 * Each end's address is derived from the inside network, which only works for a network of exactly two:
 * IPv4 /30 (two usable addresses) or /31 (RFC 3021), IPv6 /126 or /127 (RFC 6164). An IPv6 link-local network
 * (fe80::/10) may be wider: its addresses are scoped to the tunnel's interface, so a /64 on every tunnel
 * (as routers number link-local networks) takes nothing from anywhere else; the ends take its first two
 * addresses after the subnet-router anycast one (src/net/ip.ts pointToPointPair). A link-local /128 holds one.
 */
export function insideLengthOk(prefix: Prefix): boolean {
  if (prefix.family === 4) return prefix.length === 30 || prefix.length === 31;
  return prefix.length === 126 || prefix.length === 127 || (isLinkLocal6(prefix) && prefix.length < 128);
}

export const insidePrefixLength = defineRule({
  code: "SW104",
  name: "inside-prefix-length",
  description:
    "The inside network of a route-based tunnel or a link is a /30 or a /31 (IPv4), a /126 or a /127 (IPv6, RFC 6164), or an IPv6 link-local network (fe80::/10, up to a /127): both ends' addresses are derived from it.",
  severity: "error",
  messages: {
    length: "inside network {{cidr}} of {{owner}} is a /{{length}}; it must be a {{allowed}}",
  },
  check({ model }, report) {
    for (const inside of insideNetworks(model)) {
      const { prefix } = inside;
      if (insideLengthOk(prefix)) continue;
      const shorter = prefix.family === 6 ? 126 : 30;
      const suggestion = parseCidr(`${prefix.network}/${shorter}`).prefix;
      const [a, b] = pointToPointPair(suggestion);
      const allowed = prefix.family === 6 ? "/126 or a /127 (or a link-local fe80::/10 network)" : "/30 or a /31";
      report("length", inside.path, { cidr: prefix.cidr, owner: inside.owner, length: prefix.length, allowed }, { hint: `e.g. ${suggestion.cidr}: the ends get ${a} and ${b}` });
    }
  },
});
