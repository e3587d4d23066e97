import { defineRule } from "./rule.js";

/**
 * `hosts.<h>.firewall.forwardDefault: drop` ends sitewire's SITEWIRE-FORWARD chain with a DROP. That chain is
 * jumped to first from FORWARD, so the DROP comes before the host's own FORWARD rules (Docker's DOCKER-USER,
 * kube-proxy's KUBE-FORWARD, an administrator's accepts): the host then forwards only what the site's flows and
 * tunnels allow, and replies to it. That is the point of the setting, and the reason it is always said aloud.
 */
export const forwardDefaultDrop = defineRule({
  code: "SW130",
  name: "forward-default-drop",
  description: "Warns that a host with firewall.forwardDefault: drop forwards nothing but sitewire's flows and tunnels; an error under --strict.",
  severity: "warning",
  messages: {
    drop: "host '{{host}}' drops every forwarded packet its flows and tunnels do not allow, before the host's own FORWARD rules see it: Docker, Kubernetes and any other routing through this host stop",
    nothing: "host '{{host}}' forwards nothing for this site, so forwardDefault: drop makes it forward nothing at all",
  },
  check({ model }, report) {
    for (const h of model.hosts) {
      if (h.forwardDefault !== "drop") continue;
      report(h.forward.length > 0 ? "drop" : "nothing", ["hosts", h.name, "firewall", "forwardDefault"], { host: h.name }, {
        hint: "remove forwardDefault to leave other forwarded traffic to the host's own FORWARD rules and policy (sitewire never sets a policy); keep drop only on a dedicated gateway",
      });
    }
  },
});
