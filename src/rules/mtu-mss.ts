import type { IntentPath } from "../intent/source.js";
import { defineRule } from "./rule.js";
import { firstSet, oncePerPath, tunnelSetting, tunnelValueOwner } from "./support/intent-paths.js";

export const MTU_RANGE = { min: 576, max: 9000 } as const;
/** RFC 879's default MSS: every IPv4 host accepts segments this large. */
export const MSS_MIN = 536;
/** RFC 8200 section 5: "every link in the Internet have an MTU of 1280 octets or greater". */
export const IPV6_MIN_MTU = 1280;

/**
 * Only values written in the intent are judged: a derived MSS (MTU − 40) is in range whenever its MTU is.
 * An end's MSS comes from its override, else (unless the override changes the MTU) from the tunnel. An MSS
 * is not judged against an MTU that is itself out of range.
 * IPv6: the header is 40 bytes (IPv4's 20), so an IPv6 SYN is clamped to MSS − 20 (the model's mss6), at most
 * MTU − 60; a tunnel carrying IPv6 (TunnelModel.families) is a link to IPv6 and needs an MTU of at least 1280
 * (RFC 8200), or IPv6 packets of the minimum size must be fragmented at the tunnel, which IPv6 routers never do.
 */
export const mtuMss = defineRule({
  code: "SW108",
  name: "mtu-mss",
  description: `Tunnel and link MTUs are within ${MTU_RANGE.min}..${MTU_RANGE.max}, and at least ${IPV6_MIN_MTU} (RFC 8200) on a tunnel or link carrying IPv6; an explicit MSS is within ${MSS_MIN}..MTU − 40 (the IPv6 clamp, MSS − 20, then stays within MTU − 60).`,
  severity: "error",
  messages: {
    mtu: "MTU {{mtu}} of {{owner}} is outside {{min}}..{{max}}",
    ipv6Mtu: "MTU {{mtu}} of {{owner}} is below {{min}}, the smallest MTU an IPv6 link may have (RFC 8200), and it carries IPv6",
    mss: "MSS {{mss}} of {{owner}} is outside {{min}}..{{max}} (MTU {{mtu}} − 40 for the IPv4 and TCP headers)",
    mss6: "MSS {{mss}} of {{owner}} is outside {{min}}..{{max}}: the tunnel carries IPv6, whose SYNs are clamped to MSS − 20 = {{mss6}}, which must stay within MTU {{mtu}} − 60 for the 40-byte IPv6 and the TCP header",
  },
  check({ intent, model }, report) {
    const once = oncePerPath();
    const inRange = (mtu: number) => mtu >= MTU_RANGE.min && mtu <= MTU_RANGE.max;
    const checkMtu = (mtu: number, path: IntentPath | undefined, owner: string, carriesIpv6: boolean) => {
      if (!path || !once(path)) return;
      if (!inRange(mtu)) report("mtu", path, { mtu, owner, ...MTU_RANGE });
      else if (carriesIpv6 && mtu < IPV6_MIN_MTU) report("ipv6Mtu", path, { mtu, owner, min: IPV6_MIN_MTU }, { hint: `use an MTU of at least ${IPV6_MIN_MTU}, or carry IPv4 only` });
    };

    for (const t of model.tunnels) {
      const carriesIpv6 = t.families.includes(6);
      for (const end of [t.host, t.peer]) {
        const override = ["tunnels", t.name, "overrides", end.node];
        const mtuPath = tunnelSetting(intent, t.name, end.node, ["mtu"]);
        if (mtuPath) checkMtu(end.mtu, mtuPath, tunnelValueOwner(t.name, mtuPath), carriesIpv6);
        const mssPath = firstSet(intent, [...override, "mss"]) ?? (firstSet(intent, [...override, "mtu"]) ? undefined : firstSet(intent, ["tunnels", t.name, "mss"]));
        const max = end.mtu - 40;
        if (!mssPath || !inRange(end.mtu) || !once(mssPath) || (end.mss >= MSS_MIN && end.mss <= max)) continue;
        const data = { mss: end.mss, owner: tunnelValueOwner(t.name, mssPath), min: MSS_MIN, max, mtu: end.mtu };
        const hint = `leave mss unset to derive it from the MTU (${end.mtu} − 40 = ${max}${carriesIpv6 ? `; IPv6: ${end.mtu} − 60 = ${max - 20}` : ""})`;
        if (carriesIpv6) report("mss6", mssPath, { ...data, mss6: end.mss6 }, { hint });
        else report("mss", mssPath, data, { hint });
      }
    }
    for (const l of model.links) checkMtu(l.mtu, firstSet(intent, ["links", l.name, "mtu"]), `link '${l.name}'`, l.inside.family === 6);
  },
});
