import { defineRule } from "./rule.js";

/**
 * A tunnel's name becomes a section name in swanctl.conf (`connections { <tunnel> { … children { <tunnel> { …`).
 * strongSwan's settings lexer reads `include` at the start of a statement as the include directive, not as a
 * name (strongswan src/libstrongswan/settings/settings_lexer.l: `include` followed by whitespace starts the
 * include state), so a tunnel named `include` makes the whole file unloadable: charon 5.9.8 reports
 * "syntax error, unexpected '}'" and loads nothing. Found by the hostile-input corpus with the swanctl reader.
 */
const KEYWORDS: ReadonlyMap<string, string> = new Map([["include", "strongSwan's include directive in swanctl.conf and strongswan.conf"]]);

export const strongswanKeywordNames = defineRule({
  code: "SW143",
  name: "strongswan-keyword-names",
  description: "No tunnel is named like a keyword of strongSwan's configuration syntax.",
  severity: "error",
  messages: { keyword: "tunnel '{{tunnel}}' cannot be named so: '{{tunnel}}' is {{meaning}}, and the swanctl.conf section named after the tunnel would not load" },
  check({ model }, report) {
    for (const t of model.tunnels) {
      const meaning = KEYWORDS.get(t.name);
      if (meaning) report("keyword", ["tunnels", t.name], { tunnel: t.name, meaning }, { at: "key", hint: `rename the tunnel (e.g. ${t.name}-1)` });
    }
  },
});
