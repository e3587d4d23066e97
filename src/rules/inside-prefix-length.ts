import { parseCidr, pointToPointPair } from "../net/ip.js";
import { defineRule } from "./rule.js";
import { insideNetworks } from "./support/inside-networks.js";

/** Each end's address is derived from the inside network, which only works for a network of exactly two. */
export const insidePrefixLength = defineRule({
  code: "SW104",
  name: "inside-prefix-length",
  description: "The inside network of a route-based tunnel or a link is a /30 or a /31: both ends' addresses are derived from it.",
  severity: "error",
  messages: {
    length: "inside network {{cidr}} of {{owner}} is a /{{length}}; it must be a /30 or a /31",
  },
  check({ model }, report) {
    for (const inside of insideNetworks(model)) {
      const { prefix } = inside;
      if (prefix.length === 30 || prefix.length === 31) continue;
      const suggestion = parseCidr(`${prefix.network}/30`).prefix;
      const [a, b] = pointToPointPair(suggestion);
      report("length", inside.path, { cidr: prefix.cidr, owner: inside.owner, length: prefix.length }, { hint: `e.g. ${suggestion.cidr}: the ends get ${a} and ${b}` });
    }
  },
});
