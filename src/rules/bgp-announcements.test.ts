import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { bgpAnnouncements } from "./bgp-announcements.js";

// The tunnel's bgp is on line 19; routes on line 18.
const site = (bgp: string, routes?: string) => bgpSite(bgpTunnel("t1", { bgp, ...(routes ? { routes } : {}) }));

testRule(bgpAnnouncements, {
  valid: [
    { name: "the defaults: each end announces its routes, the other accepts them", site: site("{}") },
    { name: "explicit announcements within the routes, accepted by explicit accept lists", site: site("{ announce: { host: [lan], peer: [10.60.1.0/24] }, accept: { host: [10.60.1.0/24, other], peer: [lan] } }") },
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
  ],
});
