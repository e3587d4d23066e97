import { defineRule } from "./rule.js";

/**
 * In IKEv1 aggressive mode the responder sends a hash keyed with the PSK before any authentication, so
 * anyone can collect it and brute-force the PSK offline (strongSwan security recommendations: avoid it).
 * With IKEv2 the setting is meaningless: inapplicable-settings reports that.
 */
export const aggressiveMode = defineRule({
  code: "SW113",
  name: "aggressive-mode",
  description: "Warns about IKEv1 aggressive mode, which exposes a PSK hash to offline cracking; an error under --strict.",
  severity: "warning",
  messages: {
    aggressive: "tunnel '{{tunnel}}' uses IKEv1 aggressive mode, which lets anyone fetch a hash of the PSK and crack it offline",
  },
  check({ model }, report) {
    for (const t of model.tunnels)
      if (t.host.ike.aggressive && (t.host.ike.version === 1 || t.peer.ike.version === 1))
        report("aggressive", ["tunnels", t.name, "ike", "aggressive"], { tunnel: t.name }, { hint: "remove aggressive: true (main mode protects the identities and the PSK)" });
  },
});
