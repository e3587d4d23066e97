/**
 * SW180 address family mismatch, as the resolver reports it: each case a small site, the diagnostic's code,
 * position (line:column of what the message is about) and message.
 */
import { describe, expect, it } from "vitest";
import { sourceOf } from "../../test/helpers/source.js";
import { resolveSite } from "./resolve.js";

const site = (hosts: string, tunnel: string) => `site: fam
networks: { lan: 10.1.0.0/16, lan6: 2001:db8:1::/48, far: 10.2.0.0/16, far6: 2001:db8:2::/48 }
hosts:
${hosts}
peers:
  r4: { platform: strongswan, address: 203.0.113.2 }
  r6: { platform: strongswan, address: 2001:db8:ffff::2 }
tunnels:
  t:
    ike: { version: 2, proposals: [aes256gcm16-prfsha384-ecp384] }
    esp: { proposals: [aes256gcm16-ecp384] }
    psk: { env: T_PSK }
    key: 7
${tunnel}
`;
const V4 = "  gw: { os: debian, address: 203.0.113.1/24 }";
const DUAL = "  gw: { os: debian, address: 203.0.113.1/24, address6: 2001:db8:ffff::1/64 }";

function sw180(text: string): string[] {
  const { source, intent } = sourceOf(text, "sites/fam.yaml");
  return resolveSite(source, intent, "0".repeat(64))
    .diagnostics.filter((d) => d.code === "SW180")
    .map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.message}`);
}

describe("SW180 address family mismatch", () => {
  it.each([
    ["IPv4 outer, both families inside and routed", DUAL, "    between: [gw, r4]\n    inside: 169.254.7.0/30\n    inside6: fd00:7::/126\n    routes: { toPeer: [far, far6], toHost: [lan, lan6] }"],
    ["IPv6 outer from the host's address6, IPv6 only", DUAL, "    between: [gw, r6]\n    inside: fd00:7::/126\n    routes: { toPeer: [far6], toHost: [lan6] }"],
    ["policy-based: selectors of both families need no inside network", DUAL, "    between: [gw, r4]\n    kind: ipsec-policy\n    routes: { toPeer: [far, far6], toHost: [lan, lan6] }"],
  ])("silent: %s", (_name, hosts, tunnel) => {
    expect(sw180(site(hosts, tunnel))).toEqual([]);
  });

  it.each([
    ["inside6 holding an IPv4 network", DUAL, "    between: [gw, r4]\n    inside: 169.254.7.0/30\n    inside6: 169.254.8.0/30", ["16:14 inside6 of tunnel 't' is 169.254.8.0/30, an IPv4 network"]],
    ["inside6 beside an IPv6 inside", DUAL, "    between: [gw, r4]\n    inside: fd00:7::/126\n    inside6: fd00:8::/126", ["16:14 tunnel 't' has an IPv6 inside network already (inside: fd00:7::/126)"]],
    ["inside6 without inside", DUAL, "    between: [gw, r4]\n    kind: ipsec-policy\n    inside6: fd00:8::/126", ["16:14 tunnel 't' has inside6 but no inside"]],
    ["an IPv6 peer, a host without an IPv6 address", V4, "    between: [gw, r6]\n    inside: fd00:7::/126", ["14:15 host 'gw' has no IPv6 address for tunnel 't' to r6 at 2001:db8:ffff::2"]],
    [
      "IPv6 routes over an IPv4-only inside network",
      DUAL,
      "    between: [gw, r4]\n    inside: 169.254.7.0/30\n    routes: { toPeer: [far, far6], toHost: [lan] }",
      ["16:15 tunnel 't' routes 2001:db8:2::/48 (toPeer) but has no IPv6 inside address to route them over"],
    ],
    [
      "IPv4 routes over an IPv6-only inside network",
      DUAL,
      "    between: [gw, r6]\n    inside: fd00:7::/126\n    routes: { toPeer: [far6], toHost: [lan, lan6] }",
      ["16:31 tunnel 't' routes 10.1.0.0/16 (toHost) but has no IPv4 inside address to route them over"],
    ],
  ])("reports %s", (_name, hosts, tunnel, expected) => {
    expect(sw180(site(hosts, tunnel))).toEqual(expected);
  });
});
