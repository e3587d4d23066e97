import { isIp } from "../../net/ip.js";
import { isCloudPlatform, type TunnelEnd } from "../../model/types.js";
import { inFileOrder, lineOf, repeats } from "../support/file-order.js";
import { defineRule } from "../rule.js";

/**
 * Prevents Batfish's MISSING_END_POINT. Addresses and identities of the two ends are derived from one
 * definition, so they mirror by construction (test/parse-back proves the rendered files keep them
 * mirrored); what the intent can still get wrong is checked here: IKEv1 main mode with a pre-shared key
 * finds the key by IP address (strongSwan and IOS alike), so a name identity leaves the responder without
 * a key (an IPv4 or an IPv6 address identity both find it); and two tunnels joining the same pair of
 * endpoints cannot be told apart by either end.
 */
export const endpoints = defineRule({
  code: "SW204",
  name: "endpoints",
  description: "The two ends of a tunnel can find each other: usable identities, no duplicate endpoint pairs (MISSING_END_POINT).",
  severity: "error",
  messages: {
    ikev1Identity: "tunnel '{{tunnel}}': IKEv1 main mode with a pre-shared key finds the key by IP address, but {{end}} identifies itself as '{{identity}}'",
    duplicate: "tunnel '{{tunnel}}' joins the same endpoints as tunnel '{{other}}' (line {{line}}): {{local}} and {{remote}} cannot tell the two apart",
  },
  check({ source, intent, model }, report) {
    for (const t of model.tunnels) {
      if (t.host.ike.version === 1 && t.peer.ike.version === 1 && !aggressive(intent, t.name))
        for (const end of [t.host, t.peer])
          if (!isIp(end.identity))
            report("ikev1Identity", [end.role === "host" ? "hosts" : "peers", end.node, "identity"], { tunnel: t.name, end: end.node, identity: end.identity }, {
              hint: "use an address identity (the default), or IKEv2",
            });
    }
    const endpointsOf = (e: TunnelEnd) => `${e.localAddress} ${e.remoteAddress}`;
    const ordered = inFileOrder(source, model.tunnels, (t) => ["tunnels", t.name], "key");
    for (const { first, again } of repeats(ordered, (t) => endpointsOf(t.host)))
      report("duplicate", ["tunnels", again.name, "between"], {
        tunnel: again.name,
        other: first.name,
        line: lineOf(source, ["tunnels", first.name], "key"),
        local: again.host.node,
        remote: again.peer.node,
      }, {
        // A cloud VPN connection has one outside address per tunnel (the provider assigns them): the second
        // tunnel needs the peer's second address, not fewer tunnels.
        hint: isCloudPlatform(again.peer.platform)
          ? `give this tunnel the provider's other tunnel address: tunnels.${again.name}.overrides.${again.peer.node}.address`
          : "carry both networks in one tunnel (routes.toPeer / toHost take lists)",
      });
  },
});

function aggressive(intent: unknown, tunnel: string): boolean {
  const t = (intent as { tunnels?: Record<string, { ike?: { aggressive?: boolean } }> }).tunnels?.[tunnel];
  return t?.ike?.aggressive === true;
}
