/**
 * The FRR target: which hosts get frr.conf / daemons, and what the files say, line by line (no snapshots).
 * The real check of every emitted frr.conf by FRR's own parser (`vtysh --dryrun -f`) is test/real/frr-check.test.ts.
 */
import { describe, expect, it } from "vitest";
import { fixtureSite } from "../../../test/helpers/source.js";
import type { SiteModel, TunnelModel } from "../../model/types.js";
import { HOST_PATHS } from "../host-paths.js";
import { linuxTarget } from "../linux/index.js";
import { TARGETS } from "../registry.js";
import type { Artifact } from "../target.js";
import { frrTarget, frrView, renderFrrConf } from "./index.js";

const FIXTURE = "test/fixtures/sites/bgp-pair.yaml";
const { text: fixtureText, resolve, fixtureWith } = fixtureSite(FIXTURE);

function files(site: SiteModel): { conf: string; daemons: string; artifacts: Artifact[] } {
  const artifacts = frrTarget.emit(site);
  const conf = artifacts.find((a) => a.kind === "frr-conf")?.content;
  const daemons = artifacts.find((a) => a.kind === "frr-daemons")?.content;
  if (conf === undefined || daemons === undefined) throw new Error(`no FRR files among ${artifacts.map((a) => a.path).join(", ")}`);
  return { conf, daemons, artifacts };
}

/** Lines of the file that are not comments, without leading/trailing spaces. */
function commands(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("!"));
}

/** The lines of the block that starts with `header` (up to its `exit`). */
function block(text: string, header: string): string[] {
  const lines = commands(text);
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no "${header}" in\n${text}`);
  const end = lines.indexOf("exit", start);
  return lines.slice(start + 1, end);
}

const fixture = resolve(fixtureText);
/** The far inside address of tunnel `name` (the fixture's own numbers, read from the model). */
const far = (name: string) => fixture.tunnels.find((t) => t.name === name)!.bgp!.host.neighbor;

describe("FRR files of a BGP host", () => {
  it("writes /etc/frr/frr.conf and /etc/frr/daemons for the BGP host only, mode 0640", () => {
    const { artifacts } = files(fixture);
    expect(artifacts.map((a) => [a.path, a.mode, a.kind, a.host])).toEqual([
      [`hosts/gw/${HOST_PATHS.debian.frrConf}`, 0o640, "frr-conf", "gw"],
      [`hosts/gw/${HOST_PATHS.debian.frrDaemons}`, 0o640, "frr-daemons", "gw"],
    ]);
    expect(HOST_PATHS.debian.frrConf).toBe("etc/frr/frr.conf");
    expect(HOST_PATHS.rhel.frrDaemons).toBe("etc/frr/daemons");
    expect(TARGETS).toContain(frrTarget);
  });

  it("starts with the traditional defaults and the host name", () => {
    const lines = commands(files(fixture).conf);
    expect(lines.slice(0, 3)).toEqual(["frr defaults traditional", "hostname gw", "log syslog informational"]);
  });

  it("one router bgp with the host's AS and router id, policy required, announcements exactly the intent's", () => {
    const bgp = block(files(fixture).conf, "router bgp 65010");
    expect(bgp.slice(0, 4)).toEqual(["bgp router-id 198.51.100.10", "bgp log-neighbor-changes", "bgp ebgp-requires-policy", "no bgp network import-check"]);
    expect(commands(files(fixture).conf).filter((l) => l.startsWith("router bgp"))).toEqual(["router bgp 65010"]);
  });

  it("a neighbour per tunnel at the far inside address, with the far AS, the tunnel's name and timers", () => {
    const bgp = block(files(fixture).conf, "router bgp 65010");
    const [a, b] = fixture.tunnels as [TunnelModel, TunnelModel];
    // peer-first inside order: the far end has the first usable address of the tunnel's inside network
    expect(a.bgp!.host.neighbor).toBe(a.inside!.network.replace(/\.0$/, ".1"));
    for (const [t, n] of [
      [a, far("a")],
      [b, far("b")],
    ] as const) {
      expect(bgp).toContain(`neighbor ${n} remote-as 65020`);
      expect(bgp).toContain(`neighbor ${n} description tunnel ${t.name}`);
      expect(bgp).toContain(`neighbor ${n} timers 3 9`);
      expect(bgp).toContain(`neighbor ${n} route-map sitewire-${t.name}-in in`);
      expect(bgp).toContain(`neighbor ${n} route-map sitewire-${t.name}-out out`);
      expect(bgp).not.toContain(`neighbor ${n} bfd`);
    }
    // the host's networks, once, even though both sessions announce them
    expect(bgp.filter((l) => l.startsWith("network "))).toEqual(["network 10.50.0.0/24"]);
    // address family after the neighbours, and the route-maps inside it
    expect(bgp.indexOf("address-family ipv4 unicast")).toBeGreaterThan(bgp.indexOf(`neighbor ${far("b")} timers 3 9`));
    expect(bgp.indexOf(`neighbor ${far("a")} route-map sitewire-a-in in`)).toBeGreaterThan(bgp.indexOf("address-family ipv4 unicast"));
    expect(bgp.at(-1)).toBe("exit-address-family");
  });

  it("prefix lists: in = what the intent accepts, out = what it announces, nothing else", () => {
    const lines = commands(files(fixture).conf).filter((l) => l.startsWith("ip prefix-list"));
    expect(lines).toEqual([
      "ip prefix-list sitewire-a-in seq 5 permit 10.60.0.0/24",
      "ip prefix-list sitewire-a-out seq 5 permit 10.50.0.0/24",
      "ip prefix-list sitewire-b-in seq 5 permit 10.60.0.0/24",
      "ip prefix-list sitewire-b-out seq 5 permit 10.50.0.0/24",
    ]);
  });

  it("primary: local-pref 200 in, MED 100 out, no prepend; secondary: local-pref 100, MED 200, own AS prepended twice", () => {
    const { conf } = files(fixture);
    expect(block(conf, "route-map sitewire-a-in permit 10")).toEqual(["match ip address prefix-list sitewire-a-in", "set local-preference 200"]);
    expect(block(conf, "route-map sitewire-a-out permit 10")).toEqual(["match ip address prefix-list sitewire-a-out", "set metric 100"]);
    expect(block(conf, "route-map sitewire-b-in permit 10")).toEqual(["match ip address prefix-list sitewire-b-in", "set local-preference 100"]);
    expect(block(conf, "route-map sitewire-b-out permit 10")).toEqual([
      "match ip address prefix-list sitewire-b-out",
      "set metric 200",
      "set as-path prepend 65010 65010",
    ]);
    // no other route-map entry (a route not matched by the permit entry is denied by the route-map's end)
    expect(commands(conf).filter((l) => l.startsWith("route-map")).length).toBe(4);
  });

  it("daemons: bgpd on, bfdd off without BFD, the rest Debian's", () => {
    const { daemons } = files(fixture);
    expect(daemons).toMatch(/^bgpd=yes$/m);
    expect(daemons).toMatch(/^bfdd=no$/m);
    expect(daemons).toMatch(/^ospfd=no$/m);
    expect(daemons).toMatch(/^vtysh_enable=yes$/m);
    expect(daemons).toContain('zebra_options="  -A 127.0.0.1 -s 90000000"');
    expect(daemons.split("\n")[0]).toBe(`# Generated by sitewire from ${FIXTURE}: do not edit here.`);
  });

  it("BFD asked on one tunnel: `neighbor X bfd` there only, and bfdd=yes", () => {
    const site = fixtureWith((i) => (i.tunnels.b.bgp.bfd = true));
    const { conf, daemons } = files(site);
    const bgp = block(conf, "router bgp 65010");
    expect(bgp).toContain(`neighbor ${far("b")} bfd`);
    expect(bgp).not.toContain(`neighbor ${far("a")} bfd`);
    expect(daemons).toMatch(/^bfdd=yes$/m);
    expect(daemons).toMatch(/^bgpd=yes$/m);
  });

  it("explicit announce / accept lists become the prefix lists (one seq per prefix)", () => {
    const site = fixtureWith((i) => {
      i.networks["gw-extra"] = "10.51.0.0/24";
      i.networks["far-extra"] = "10.61.0.0/24";
      i.tunnels.a.bgp.announce = { host: ["gw-lan", "gw-extra"], peer: ["far-lan", "far-extra"] };
      i.tunnels.a.bgp.accept = { host: ["far-lan", "far-extra"], peer: ["gw-lan", "gw-extra"] };
    });
    const lines = commands(files(site).conf);
    expect(lines.filter((l) => l.startsWith("ip prefix-list sitewire-a-"))).toEqual([
      "ip prefix-list sitewire-a-in seq 5 permit 10.60.0.0/24",
      "ip prefix-list sitewire-a-in seq 10 permit 10.61.0.0/24",
      "ip prefix-list sitewire-a-out seq 5 permit 10.50.0.0/24",
      "ip prefix-list sitewire-a-out seq 10 permit 10.51.0.0/24",
    ]);
    expect(block(files(site).conf, "router bgp 65010").filter((l) => l.startsWith("network "))).toEqual(["network 10.50.0.0/24", "network 10.51.0.0/24"]);
  });

  it("an empty accept or announce is a list that denies everything (a missing list would be no policy at all)", () => {
    const t = fixture.tunnels[0]!;
    const view = frrView("x.yaml", "gw", "host", [{ ...t, bgp: { ...t.bgp!, host: { ...t.bgp!.host, accept: [], announce: [] } } }]);
    const lines = commands(renderFrrConf(view));
    expect(lines.filter((l) => l.startsWith("ip prefix-list"))).toEqual(["ip prefix-list sitewire-a-in seq 5 deny any", "ip prefix-list sitewire-a-out seq 5 deny any"]);
    expect(lines.filter((l) => l.startsWith("network "))).toEqual([]);
  });

  it("renders the far end's side from the same model (neighbour = the host's inside address, its own AS)", () => {
    const lines = commands(renderFrrConf(frrView(FIXTURE, "far", "peer", fixture.tunnels)));
    expect(lines).toContain("router bgp 65020");
    expect(lines).toContain("hostname far");
    expect(lines).toContain(`neighbor ${fixture.tunnels[0]!.bgp!.peer.neighbor} remote-as 65010`);
    expect(fixture.tunnels[0]!.bgp!.peer.neighbor).toBe(fixture.tunnels[0]!.bgp!.host.address);
    expect(lines).toContain("set as-path prepend 65020 65020");
    expect(lines).toContain("ip prefix-list sitewire-a-in seq 5 permit 10.50.0.0/24");
  });

  it("refuses a value that is not what its type says instead of writing it", () => {
    const t = fixture.tunnels[0]!;
    const bad = (host: Partial<NonNullable<TunnelModel["bgp"]>["host"]>, more: Partial<NonNullable<TunnelModel["bgp"]>> = {}) => () =>
      frrView("x.yaml", "gw", "host", [{ ...t, bgp: { ...t.bgp!, ...more, host: { ...t.bgp!.host, ...host } } }]);
    expect(bad({ neighbor: `${far("a")}\nrouter bgp 1` })).toThrow(/internal/);
    expect(bad({ remoteAs: 0 })).toThrow(/internal/);
    expect(bad({ routerId: "1.2.3.4 x" })).toThrow(/internal/);
    expect(bad({}, { keepalive: { text: "1d", seconds: 86400 } })).toThrow(/internal/);
    expect(() => frrView("x.yaml", "gw", "host", [{ ...t, name: "a\nb" }])).toThrow(/internal/);
    expect(() => frrView("x.yaml", "GW x", "host", [t])).toThrow(/internal/);
  });

  it("no FRR files for a host without routing.bgp, or whose tunnels run no BGP", () => {
    const noBgpTunnels = fixtureWith((i) => {
      delete i.tunnels.a.bgp;
      delete i.tunnels.b.bgp;
    });
    expect(frrTarget.emit(noBgpTunnels)).toEqual([]);
    const noHostBgp = fixtureWith((i) => {
      delete i.hosts.gw.routing;
      delete i.peers.far.routing;
      delete i.tunnels.a.bgp;
      delete i.tunnels.b.bgp;
    });
    expect(frrTarget.emit(noHostBgp)).toEqual([]);
  });

  it("the tunnel unit starts before frr.service on a BGP host only (bgpd's neighbours are vti inside addresses)", () => {
    const unit = (site: SiteModel) => linuxTarget.emit(site).find((a) => a.path === `hosts/gw/${HOST_PATHS.debian.tunnelUnit}`)!.content;
    expect(unit(fixture)).toMatch(/^Before=.*\bfrr\.service$/m);
    const noBgp = fixtureWith((i) => {
      delete i.tunnels.a.bgp;
      delete i.tunnels.b.bgp;
    });
    expect(unit(noBgp)).not.toContain("frr.service");
  });

  it("does not depend on the order of the intent", () => {
    const reordered = fixtureWith((i) => {
      i.tunnels = { b: i.tunnels.b, a: i.tunnels.a };
    });
    expect(files(reordered).conf).toBe(files(fixture).conf);
  });
});

describe("FRR files of a dual-stack BGP host (issue 16)", () => {
  const six = fixtureSite("test/fixtures/sites/ipv6-devices.yaml");
  const site = six.resolve(six.text);
  const conf = () => files(site).conf;

  it("a dual-stack tunnel gets a second neighbour at the far IPv6 inside address, with the same AS, name and timers", () => {
    const bgp = block(conf(), "router bgp 65100");
    for (const [n, t] of [["169.254.101.1", "ios-dual"], ["fd00:101::1", "ios-dual"], ["fd00:103::1", "srx-dual"]] as const) {
      expect(bgp).toContain(`neighbor ${n} description tunnel ${t}`);
      expect(bgp).toContain(`neighbor ${n} timers 10 30`);
    }
  });

  it("each session carries its own family: IPv6 neighbours are switched off under ipv4 unicast and activated under ipv6 unicast", () => {
    const lines = commands(conf());
    const v4 = lines.slice(lines.indexOf("address-family ipv4 unicast"), lines.indexOf("exit-address-family"));
    expect(v4).toContain("no neighbor fd00:101::1 activate");
    expect(v4).toContain("network 10.100.0.0/24");
    expect(v4.some((l) => l.includes("2001:db8"))).toBe(false);
    const start = lines.indexOf("address-family ipv6 unicast");
    // The fixture's FortiGate and PAN-OS dual-stack tunnels add their own neighbours beside these.
    expect(lines.slice(start + 1, lines.indexOf("exit-address-family", start))).toEqual(expect.arrayContaining([
      "network 2001:db8:100::/64",
      "neighbor fd00:101::1 activate",
      "neighbor fd00:101::1 route-map sitewire-ios-dual-in6 in",
      "neighbor fd00:101::1 route-map sitewire-ios-dual-out6 out",
      "neighbor fd00:103::1 activate",
      "neighbor fd00:103::1 route-map sitewire-srx-dual-in6 in",
      "neighbor fd00:103::1 route-map sitewire-srx-dual-out6 out",
    ]));
  });

  it("IPv6 policies filter with ipv6 prefix-lists of the IPv6 networks only, the IPv4 ones with ip prefix-lists", () => {
    const lines = commands(conf());
    expect(lines.filter((l) => l.startsWith("ipv6 prefix-list sitewire-ios-dual"))).toEqual(["ipv6 prefix-list sitewire-ios-dual-in6 seq 5 permit 2001:db8:101::/48", "ipv6 prefix-list sitewire-ios-dual-out6 seq 5 permit 2001:db8:100::/64"]);
    expect(lines.filter((l) => l.startsWith("ip prefix-list sitewire-ios-dual"))).toEqual(["ip prefix-list sitewire-ios-dual-in seq 5 permit 10.101.0.0/16", "ip prefix-list sitewire-ios-dual-out seq 5 permit 10.100.0.0/24"]);
    expect(block(conf(), "route-map sitewire-ios-dual-in6 permit 10")).toEqual(["match ipv6 address prefix-list sitewire-ios-dual-in6", "set local-preference 200"]);
  });

  it("a site without IPv6 sessions has no ipv6 address family (older files stay as they were)", () => {
    expect(conf()).toContain("address-family ipv6 unicast");
    expect(commands(files(fixture).conf).filter((l) => l.includes("ipv6"))).toEqual([]);
  });
});
