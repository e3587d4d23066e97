import type { IntentPath } from "../../intent/source.js";
import type { TunnelModel } from "../../model/types.js";
import { inFileOrder } from "../support/file-order.js";
import { firstSet } from "../support/intent-paths.js";
import { defineRule } from "../rule.js";
import { endSetting } from "./blame.js";

/**
 * IPV6_UNSUPPORTED_ON_PLATFORM (issue 16): what a far-side device's end of a tunnel needs of IPv6 must be something
 * its platform's translator writes, as the platform declares in its capability data (PlatformCapabilities.ipv6,
 * src/targets/<p>/platform.ts): IPv6 inside addresses and networks; IKE over IPv6 outer addresses (per IKE version);
 * both families in one tunnel, or an inside family other than the outer one (per IKE version: Cisco IOS does that
 * with its FlexVPN overlay modes, IKEv2 only); BGP's IPv6 address family. A renderer assumes this rule passed, so a
 * tunnel a platform cannot carry is reported here instead of being written as something near it.
 */
export const platformIpv6 = defineRule({
  code: "SW210",
  name: "platform-ipv6",
  description: "A far-side device's end of a tunnel uses only the IPv6 features its platform declares (inside IPv6, IPv6 outer addresses per IKE version, dual stack, BGP IPv6).",
  severity: "error",
  messages: {
    feature: "tunnel '{{tunnel}}' on {{peer}}: sitewire cannot write {{feature}} on {{platform}}",
    outer: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} runs IKEv{{version}} over IPv4 only; the tunnel's outer addresses are IPv6",
  },
  check({ source, intent, model, platforms }, report) {
    for (const peer of model.peers) {
      const platform = platforms.find((p) => p.name === peer.platform);
      if (!platform) continue;
      const caps = platform.capabilities.ipv6;
      const tunnels = inFileOrder(source, model.tunnels.filter((t) => t.peer.node === peer.name && platform.capabilities.tunnelKinds.includes(t.kind)), (t) => ["tunnels", t.name], "key");
      for (const t of tunnels) {
        const names = { tunnel: t.name, peer: peer.name, platform: platform.title };
        const version = t.peer.ike.version;
        const carries6 = t.families.includes(6);
        if (t.outerFamily === 6 && !caps.outer.includes(version)) {
          const { path, at } = caps.outer.length > 0 ? endSetting(intent, t, peer.name, ["ike", "version"]) : { path: ["peers", peer.name, "address"], at: "value" as const };
          report("outer", path, { ...names, version }, { at, hint: caps.outer.length > 0 ? `use ike.version ${caps.outer.join(" or ")} over IPv6` : `reach ${peer.name} at an IPv4 address` });
        }
        if (carries6 && !caps.inside) {
          report("feature", insidePath(intent, t), { ...names, feature: "IPv6 inside addresses or routes" }, { hint: "carry IPv6 over a tunnel to a platform that can, or drop the IPv6 networks of this tunnel" });
          continue;
        }
        if (t.inside?.family === 6 && !caps.ipv6Only) {
          report("feature", insidePath(intent, t), { ...names, feature: "an IPv6-only tunnel (an IPv4 inside network is needed beside inside6)" }, { hint: "put an IPv4 network in inside and the IPv6 one in inside6" });
          continue;
        }
        const mixed = t.families.length === 2 || (t.families.length === 1 && t.families[0] !== t.outerFamily);
        if (mixed && !caps.dualStack.ikeVersions.includes(version)) {
          const feature = t.families.length === 2 ? `both IPv4 and IPv6 in one tunnel on IKEv${version}` : `IPv${t.families[0]} inside IPv${t.outerFamily} on IKEv${version}`;
          const hint = caps.dualStack.ikeVersions.length > 0 ? `use ike.version ${caps.dualStack.ikeVersions.join(" or ")}, or one tunnel per family` : "use one tunnel per family, each inside its own family's outer addresses";
          report("feature", insidePath(intent, t), { ...names, feature }, { hint });
        }
        const bgp6 = t.bgp !== undefined && (t.bgp.peer.neighbor6 !== undefined || t.inside?.family === 6);
        if (bgp6 && !caps.bgp)
          report("feature", ["tunnels", t.name, "bgp"], { ...names, feature: "BGP's IPv6 address family" }, { at: "key", hint: "route the IPv6 networks statically (drop bgp or inside6)" });
      }
    }
  },
});

/** Where a tunnel's IPv6 comes from: inside6, else an IPv6 inside, else its routes. */
function insidePath(intent: unknown, t: TunnelModel): IntentPath {
  if (t.inside6) return firstSet(intent, ["tunnels", t.name, "inside6"]) ?? ["tunnels", t.name];
  if (t.inside?.family === 6) return firstSet(intent, ["tunnels", t.name, "inside"]) ?? ["tunnels", t.name];
  return firstSet(intent, ["tunnels", t.name, "routes"]) ?? ["tunnels", t.name];
}
