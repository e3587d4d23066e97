import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { bgpAnnouncements } from "./bgp-announcements.js";

// The tunnel's bgp is on line 19; routes on line 18.
const site = (bgp: string, routes?: string) => bgpSite(bgpTunnel("t1", { bgp, ...(routes ? { routes } : {}) }));

/** Routes of both families; `inside6` adds the IPv6 inside network (line 20), `inside` replaces the IPv4 one. */
const ROUTES2 = '{ toPeer: [far-lan, "2001:db8:60::/48"], toHost: [lan, "2001:db8::/64"] }';
const dual = (bgp: string, options: { inside?: string; inside6?: boolean; routes?: string } = {}) =>
  bgpSite(
    bgpTunnel("t1", {
      bgp,
      routes: options.routes ?? ROUTES2,
      ...(options.inside ? { inside: options.inside } : {}),
      ...(options.inside6 === false ? {} : { more: '    inside6: "fd00:1::/126"' }),
    }),
  );

testRule(bgpAnnouncements, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "the defaults: each end announces its routes, the other accepts them", site: site("{}") },
    { name: "explicit announcements within the routes, accepted by explicit accept lists", site: site("{ announce: { host: [lan], peer: [10.60.1.0/24] }, accept: { host: [10.60.1.0/24, other], peer: [lan] } }") },
    { name: "mixed: defaults of both families over a session per family (inside6)", site: dual("{}") },
    {
      name: "mixed: explicit announcements of both families within the routes, accepted exactly",
      site: dual('{ announce: { host: [lan, "2001:db8::/64"], peer: ["2001:db8:60:1::/64"] }, accept: { host: ["2001:db8:60:1::/64"] } }'),
    },
    { name: "IPv6: an IPv6-only tunnel announcing IPv6 networks", site: dual("{}", { inside: '"fd00:1::/126"', inside6: false, routes: '{ toPeer: ["2001:db8:60::/48"], toHost: ["2001:db8::/64"] }' }) },
  ],
  invalid: [
    {
      name: "an announcement outside the tunnel's routes of that side",
      site: site("{ announce: { host: [lan, other] } }", "{ toPeer: [far-lan], toHost: [lan] }"),
      errors: [
        {
          at: "19:36",
          token: "other",
          messageId: "scope",
          data: { tunnel: "t1", role: "host", node: "gw", cidr: "10.70.0.0/16", routes: "toHost", scope: "10.0.0.0/24" },
          hint: "add it to routes.toHost, or announce a network listed there",
        },
      ],
    },
    {
      name: "announcements that overlap the other side's own networks (host: its LAN; peer: its routes.toPeer)",
      site: site("{ announce: { host: [far-lan], peer: [10.0.0.0/25] } }", "{ toPeer: [far-lan, 10.0.0.0/25], toHost: [lan, far-lan] }"),
      errors: [
        { at: "19:31", token: "far-lan", messageId: "overlap", data: { tunnel: "t1", role: "host", node: "gw", cidr: "10.60.0.0/16", network: "10.60.0.0/16", where: "behind peer 'far' (routes.toPeer)" }, hint: "announce only networks behind gw" },
        { at: "19:48", token: "10.0.0.0/25", messageId: "overlap", data: { tunnel: "t1", role: "peer", node: "far", cidr: "10.0.0.0/25", network: "10.0.0.0/24", where: "behind host 'gw' (routes.toHost)" } },
      ],
    },
    {
      name: "explicit accept lists that filter announcements (explicit: at the entry; default: at the accept list)",
      site: site("{ announce: { peer: [far-lan] }, accept: { host: [10.60.1.0/24], peer: [10.0.0.0/28] } }"),
      errors: [
        { at: "19:31", token: "far-lan", messageId: "filtered", data: { tunnel: "t1", role: "peer", node: "far", otherRole: "host", other: "gw", accept: "10.60.1.0/24", cidrs: "10.60.0.0/16" }, hint: "add exactly these prefixes to bgp.accept.host (a prefix list entry matches its own prefix only), or announce less" },
        { at: "19:81", token: "[10.0.0.0/28]", messageId: "filtered", data: { tunnel: "t1", role: "host", node: "gw", otherRole: "peer", other: "far", accept: "10.0.0.0/28", cidrs: "10.0.0.0/24" } },
      ],
    },
    {
      name: "a wider accept entry does not accept a narrower announcement (prefix lists match exactly)",
      site: site("{ announce: { peer: [10.60.1.0/24] }, accept: { host: [far-lan] } }"),
      errors: [{ at: "19:31", token: "10.60.1.0/24", messageId: "filtered", data: { tunnel: "t1", role: "peer", node: "far", otherRole: "host", other: "gw", accept: "10.60.0.0/16", cidrs: "10.60.1.0/24" } }],
    },
    {
      name: "mixed: IPv6 announcements over an IPv4-only session (explicit: at the entry; default: at bgp)", resolver: ["SW180", "SW180"],
      site: dual('{ announce: { host: [lan, "2001:db8::/64"] } }', { inside6: false }),
      errors: [
        {
          at: "19:5",
          token: "bgp",
          messageId: "family",
          data: { tunnel: "t1", role: "peer", node: "far", cidr: "2001:db8:60::/48", family: 6, sessions: "IPv4" },
          hint: "add inside6 (an IPv6 /126, /127 or link-local network) for an IPv6 session, or route it without BGP",
        },
        {
          at: "19:36",
          token: '"2001:db8::/64"',
          messageId: "family",
          data: { tunnel: "t1", role: "host", node: "gw", cidr: "2001:db8::/64", family: 6, sessions: "IPv4" },
          hint: "add inside6 (an IPv6 /126, /127 or link-local network) for an IPv6 session, or route it without BGP",
        },
      ],
    },
    {
      name: "IPv6: an IPv4 announcement over an IPv6-only session", resolver: ["SW180"],
      site: dual("{ announce: { host: [lan] } }", { inside: '"fd00:1::/126"', inside6: false, routes: '{ toPeer: ["2001:db8:60::/48"], toHost: [lan] }' }),
      errors: [
        {
          at: "19:31",
          token: "lan",
          messageId: "family",
          data: { tunnel: "t1", role: "host", node: "gw", cidr: "10.0.0.0/24", family: 4, sessions: "IPv6" },
          hint: "give the tunnel an IPv4 inside network (inside, with the IPv6 one in inside6)",
        },
      ],
    },
    {
      name: "IPv6: out of scope, overlapping the other side, filtered by an exact accept list",
      site: dual('{ announce: { host: ["2001:db8:1::/64"], peer: ["2001:db8::/56"] }, accept: { host: ["2001:db8:60:1::/64"] } }', {
        routes: '{ toPeer: [far-lan, "2001:db8:60::/48", "2001:db8::/56"], toHost: [lan, "2001:db8::/64"] }',
      }),
      errors: [
        {
          at: "19:31",
          token: '"2001:db8:1::/64"',
          messageId: "scope",
          data: { tunnel: "t1", role: "host", node: "gw", cidr: "2001:db8:1::/64", routes: "toHost", scope: "10.0.0.0/24, 2001:db8::/64" },
          hint: "add it to routes.toHost, or announce a network listed there",
        },
        {
          at: "19:58",
          token: '"2001:db8::/56"',
          messageId: "filtered",
          data: { tunnel: "t1", role: "peer", node: "far", otherRole: "host", other: "gw", accept: "2001:db8:60:1::/64", cidrs: "2001:db8::/56" },
        },
        {
          at: "19:58",
          token: '"2001:db8::/56"',
          messageId: "overlap",
          data: { tunnel: "t1", role: "peer", node: "far", cidr: "2001:db8::/56", network: "2001:db8::/64", where: "behind host 'gw' (routes.toHost)" },
        },
      ],
    },
  ],
});
