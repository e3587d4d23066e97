import { defineRule } from "./rule.js";

/**
 * Names that are read in the same place must not mean two things. Tunnel ends and per-end overrides name a
 * host or a peer; a route's `via` names a host or a link. (A host named like a network is reported by the
 * resolver, which meets that ambiguity first.) Reported at the later kind's definition.
 */
export const uniqueNames = defineRule({
  code: "SW103",
  name: "unique-names",
  description: "A host and a peer, or a host and a link, never share a name: tunnel ends, overrides and next hops would be ambiguous.",
  severity: "error",
  messages: {
    hostAndPeer: "'{{name}}' is both a host and a peer",
    hostAndLink: "'{{name}}' is both a host and a link",
  },
  check({ intent }, report) {
    const hosts = new Set(Object.keys(intent.hosts ?? {}));
    for (const name of Object.keys(intent.peers ?? {}))
      if (hosts.has(name)) report("hostAndPeer", ["peers", name], { name }, { at: "key", hint: "tunnel ends and overrides name hosts and peers: rename one of them" });
    for (const name of Object.keys(intent.links ?? {}))
      if (hosts.has(name)) report("hostAndLink", ["links", name], { name }, { at: "key", hint: "a route's via names a host or a link: rename one of them" });
  },
});
