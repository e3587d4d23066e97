import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { AWS_PEER, bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { bgpTimers } from "./bgp-timers.js";

// The tunnel's bgp is on line 19, its value at column 10.
const site = (bgp: string, peer?: string) => bgpSite(bgpTunnel("t1", { bgp }), peer ? { peer } : {});

testRule(bgpTimers, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "the defaults (30s, keepalive a third)", site: site("{}") },
    { name: "small timers of a live test", site: site("{ holdTime: 9s, keepalive: 3s }") },
    { name: "hold time 0: no hold timer", site: site("{ holdTime: 0s }") },
    { name: "AWS with its own timers (default 30s/10s)", site: site("{ holdTime: 30s }", AWS_PEER) },
  ],
  invalid: [
    {
      name: "hold time below 3s",
      site: site("{ holdTime: 2s }"),
      errors: [{ at: "19:22", token: "2s", messageId: "holdTime", data: { tunnel: "t1", value: "2s" }, hint: "e.g. holdTime: 30s (keepalive then defaults to 10s)" }],
    },
    {
      name: "hold time beyond the 2-octet field",
      site: site("{ holdTime: 19h }"),
      errors: [{ at: "19:22", token: "19h", messageId: "holdTime", data: { tunnel: "t1", value: "19h" } }],
    },
    {
      name: "keepalive more than a third of the hold time",
      site: site("{ holdTime: 9s, keepalive: 4s }"),
      errors: [{ at: "19:37", token: "4s", messageId: "keepalive", data: { tunnel: "t1", keepalive: "4s", holdTime: "9s", problem: "more than a third" }, hint: "set keepalive: 3s (or drop it: it defaults to a third of the hold time)" }],
    },
    {
      name: "keepalive 0 and keepalive not below the hold time",
      site: bgpSite([bgpTunnel("t1", { bgp: "{ keepalive: 0s }" }), bgpTunnel("t2", { bgp: "{ holdTime: 10s, keepalive: 10s }", key: 2 })].join("\n")),
      errors: [
        { at: "19:23", token: "0s", messageId: "keepalive", data: { tunnel: "t1", keepalive: "0s", holdTime: "30s", problem: "0 (no keepalives) instead of a third" } },
        { at: "28:38", token: "10s", messageId: "keepalive", data: { tunnel: "t2", keepalive: "10s", holdTime: "10s", problem: "not less than a third" } },
      ],
    },
    {
      name: "timers in milliseconds",
      site: site("{ holdTime: 1500ms }"),
      errors: [{ at: "19:22", token: "1500ms", messageId: "whole", data: { tunnel: "t1", timer: "hold time", value: "1500ms" }, hint: "write whole seconds, e.g. 2s" }],
    },
    {
      name: "AWS runs 30s/10s: a shorter hold time, or a keepalive of its own, is not what the gateway does",
      site: bgpSite([bgpTunnel("t1", { bgp: "{ holdTime: 9s, keepalive: 3s }" }), bgpTunnel("t2", { bgp: "{ keepalive: 5s }", key: 2 })].join("\n"), { peer: AWS_PEER }),
      errors: [
        { at: "19:22", token: "9s", messageId: "provider", data: { tunnel: "t1", title: "AWS Site-to-Site VPN", peer: "far", timer: "hold time", expected: 30, value: "9s" }, hint: "set bgp.holdTime: 30s (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html)" },
        { at: "28:23", token: "5s", messageId: "provider", data: { tunnel: "t2", title: "AWS Site-to-Site VPN", peer: "far", timer: "keepalive", expected: 10, value: "5s" }, hint: "set bgp.keepalive: 10s (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html)" },
      ],
    },
  ],
});
