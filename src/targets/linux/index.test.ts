import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { siteFile, sourceOf } from "../../../test/helpers/source.js";
import { resolveSite } from "../../model/resolve.js";
import type { SiteModel } from "../../model/types.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { scriptRoutes, scriptRules, vtiDevices } from "../../../test/parse-back/host-script.js";
import { linuxTarget } from "./index.js";

function resolve(text: string, path: string): SiteModel {
  const { source, intent } = sourceOf(text, path);
  const { model, diagnostics } = resolveSite(source, intent, "0".repeat(64));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return model;
}

/** An example site with its intent edited as data. */
function exampleWith(name: string, edit: (intent: Record<string, any>) => void = () => {}): SiteModel {
  const intent = parse(siteFile(name).text) as Record<string, any>;
  edit(intent);
  return resolve(stringify(intent), `sites/${name}.yaml`);
}

const bjs = exampleWith("bjs-hybrid");
const partner = exampleWith("partner-vpn");

function file(site: SiteModel, host: string, key: "tunnelScript" | "tunnelUnit" | "sysctl"): string {
  const os = site.hosts.find((h) => h.name === host)!.os;
  const artifact = linuxTarget.emit(site).find((a) => a.path === hostFile(host, HOST_PATHS[os][key]));
  if (!artifact) throw new Error(`no ${key} for ${host}`);
  return artifact.content;
}

/** The body of a shell function in a generated script. */
function body(script: string, fn: string): string {
  const m = new RegExp(`^${fn}\\(\\) \\{\\n([\\s\\S]*?)^\\}`, "m").exec(script);
  if (!m) throw new Error(`no ${fn}()`);
  return m[1]!;
}

describe("linux target: which files each host gets", () => {
  it("bjs-hybrid (RHEL gateways): script, unit and sysctl drop-in each", () => {
    expect(linuxTarget.emit(bjs).map((a) => [a.path, a.mode.toString(8), a.kind, a.host])).toEqual([
      ["hosts/strongswan-1/usr/local/sbin/sitewire-tunnels", "755", "shell", "strongswan-1"],
      ["hosts/strongswan-1/etc/systemd/system/sitewire-tunnels.service", "644", "systemd-unit", "strongswan-1"],
      ["hosts/strongswan-1/etc/sysctl.d/90-sitewire.conf", "644", "sysctl", "strongswan-1"],
      ["hosts/strongswan-2/usr/local/sbin/sitewire-tunnels", "755", "shell", "strongswan-2"],
      ["hosts/strongswan-2/etc/systemd/system/sitewire-tunnels.service", "644", "systemd-unit", "strongswan-2"],
      ["hosts/strongswan-2/etc/sysctl.d/90-sitewire.conf", "644", "sysctl", "strongswan-2"],
    ]);
  });

  it("partner-vpn: every host has routes or a link; only the front machine forwards", () => {
    expect(linuxTarget.emit(partner).map((a) => a.path)).toEqual([
      "hosts/node-lan/usr/local/sbin/sitewire-tunnels",
      "hosts/node-lan/etc/systemd/system/sitewire-tunnels.service",
      "hosts/node-remote/usr/local/sbin/sitewire-tunnels",
      "hosts/node-remote/etc/systemd/system/sitewire-tunnels.service",
      "hosts/vpn-front/usr/local/sbin/sitewire-tunnels",
      "hosts/vpn-front/etc/systemd/system/sitewire-tunnels.service",
      "hosts/vpn-front/etc/sysctl.d/90-sitewire.conf",
    ]);
  });

  it("a host with nothing to set up gets nothing", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.hosts["spare"] = { os: "debian", address: "10.24.0.30/22" };
    });
    expect(linuxTarget.emit(site).filter((a) => a.host === "spare")).toEqual([]);
  });

  it("a host with only kernel settings (a forwarding gateway of policy-based tunnels) gets the script too: it applies them live", () => {
    const site = exampleWith("bjs-hybrid", (i) => {
      for (const t of Object.values(i.tunnels) as Record<string, any>[]) {
        t.kind = "ipsec-policy";
        for (const k of ["inside", "key", "device", "table", "rulePriority", "monitor", "overrides", "mtu"]) delete t[k];
      }
      delete i.failover;
    });
    expect(linuxTarget.emit(site).filter((a) => a.host === "strongswan-1").map((a) => a.kind)).toEqual(["shell", "systemd-unit", "sysctl"]);
    const script = file(site, "strongswan-1", "tunnelScript");
    expect(script).toContain("\nreadonly DEVICES=()\nreadonly RULES=()\nreadonly RULES6=()\nreadonly ROUTES=()\nreadonly ROUTES6=()\n");
    expect(body(script, "up")).toContain("  set_sysctl net.ipv4.ip_forward 1\n");
  });

  it("is deterministic", () => {
    expect(linuxTarget.emit(exampleWith("bjs-hybrid"))).toEqual(linuxTarget.emit(bjs));
  });
});

describe("tunnel script reproduces seed 004 (bjs-hybrid, strongswan-1)", () => {
  const script = file(bjs, "strongswan-1", "tunnelScript");
  const up = body(script, "up");

  it("creates the vti with the key that is the IPsec mark", () => {
    expect(up).toContain("ip link add tunnel1 type vti local 172.16.1.157 remote 52.50.130.77 key 100\n");
  });

  it("gives it the /30 with the router's address as the peer, MTU 1436, loose rp_filter, no policy check", () => {
    expect(up).toContain("ip addr add 169.254.100.2/30 remote 169.254.100.1/30 dev tunnel1\n");
    expect(up).toContain("ip link set dev tunnel1 mtu 1436 up\n");
    expect(up).toContain("set_sysctl net.ipv4.conf.tunnel1.disable_policy 1\n");
    expect(up).toContain("set_sysctl net.ipv4.conf.tunnel1.rp_filter 2\n");
  });

  it("routes the data centre through table 10, looked up by a rule with an explicit priority", () => {
    expect(up).toContain("ensure_rule 4 10 10 ip rule add priority 10 lookup 10\n");
    expect(up).toContain('ip route replace 10.10.0.0/16 via 169.254.100.1 dev tunnel1 table 10 proto "$ROUTE_PROTO"');
  });

  it("creates the device before its address, the address before the routes, the rule before the table's routes", () => {
    const at = (text: string) => up.indexOf(text);
    expect(at("ip link add tunnel1")).toBeLessThan(at("ip addr add"));
    expect(at("ip addr add")).toBeLessThan(at("ip link set dev tunnel1"));
    expect(at("ip link set dev tunnel1")).toBeLessThan(at("ip rule add"));
    expect(at("ip rule add")).toBeLessThan(at("ip route replace"));
  });

  it("refuses to run on a machine without the tunnel's local address", () => {
    expect(up).toMatch(/^ {2}require_local 172\.16\.1\.157$/m);
  });

  it("down removes its routes (by tag), then the rules and devices this version and the state file name, then restores the kernel settings", () => {
    const down = body(script, "down");
    expect(down).toContain('ip -4 route flush table all proto "$ROUTE_PROTO"\n');
    expect(down).toContain('for entry in ${RULES[@]+"${RULES[@]}"} ${OLD_RULES[@]+"${OLD_RULES[@]}"}; do\n    remove_rule ');
    expect(down).toContain('for entry in ${DEVICES[@]+"${DEVICES[@]}"} ${OLD_DEVICES[@]+"${OLD_DEVICES[@]}"}; do\n    remove_link ');
    const at = (text: string) => down.indexOf(text);
    expect(at("read_state")).toBeLessThan(at("ip -4 route flush"));
    expect(at("ip -4 route flush")).toBeLessThan(at("remove_rule"));
    expect(at("remove_rule")).toBeLessThan(at("remove_link"));
    expect(at("remove_link")).toBeLessThan(at("restore_sysctl"));
    expect(at("restore_sysctl")).toBeLessThan(at('rm -f "$STATE"'));
  });

  it("lists what this version installs, in the words the state file and `ip route show` use", () => {
    expect(script).toContain("\nreadonly STATE=/var/lib/sitewire/tunnels.state\n");
    expect(script).toContain("\nreadonly DEVICES=(tunnel1:vti)\n");
    expect(script).toContain("\nreadonly RULES=(10:10)\n");
    expect(script).toContain("\nreadonly ROUTES=('10 10.10.0.0/16')\n");
    // host-wide settings first (in the order `up` sets them, ip_forward first), then the device's own
    expect(script).toContain(
      "\nreadonly SYSCTLS=(net.ipv4.ip_forward net.ipv4.conf.all.accept_redirects net.ipv4.conf.all.send_redirects net.ipv4.conf.default.accept_redirects net.ipv4.conf.default.send_redirects net.ipv4.conf.eth0.disable_xfrm net.ipv4.conf.eth0.disable_policy net.ipv4.conf.tunnel1.disable_policy net.ipv4.conf.tunnel1.rp_filter)\n",
    );
  });

  it("up reads the state, removes what this version no longer has, records before it changes anything, records again at the end", () => {
    const lines = up.split("\n").map((l) => l.trim());
    expect(lines.slice(0, 4)).toEqual(["require_local 172.16.1.157", "read_state", "prune", "write_state"]);
    expect(lines.at(-2)).toBe("write_state");
    // every host-wide value is read before the first is set (ip_forward also changes conf.all.accept_redirects)
    expect(up.indexOf("remember_sysctls net.ipv4.ip_forward net.ipv4.conf.all.accept_redirects")).toBeLessThan(up.indexOf("set_sysctl net.ipv4.ip_forward 1"));
  });

  it("recognises its own vti by the words iproute2 prints, key as dotted quad or hex", () => {
    expect(up).toContain(
      "'[[:space:]]vti remote 52\\.50\\.130\\.77 local 172\\.16\\.1\\.157 (dev [^ ]+ )?ikey (0\\.0\\.0\\.100|0x64) okey (0\\.0\\.0\\.100|0x64) '",
    );
  });

  it("strongswan-2 gets its own addresses from its own /30", () => {
    const other = body(file(bjs, "strongswan-2", "tunnelScript"), "up");
    expect(other).toContain("ip link add tunnel1 type vti local 172.16.2.126 remote 52.51.34.140 key 100\n");
    expect(other).toContain("ip addr add 169.254.200.2/30 remote 169.254.200.1/30 dev tunnel1\n");
    expect(other).toContain("ip route replace 10.10.0.0/16 via 169.254.200.1 dev tunnel1 table 10");
  });
});

describe("tunnel scripts reproduce seed 000 (partner-vpn), without its mistake", () => {
  const up = (host: string) => body(file(partner, host, "tunnelScript"), "up");

  it("node-remote's ipip end binds its own address and points at the front machine", () => {
    expect(up("node-remote")).toContain("ip tunnel add vpnnic mode ipip remote 10.24.0.20 local 10.56.0.10 ttl 64\n");
    expect(up("node-remote")).toContain("ip addr add 192.168.10.1/30 dev vpnnic\n");
    expect(up("node-remote")).toContain('ip route replace 172.16.0.0/24 via 192.168.10.2 dev vpnnic proto "$ROUTE_PROTO"');
  });

  it("vpn-front's end is the mirror image: local is its own 10.24.0.20, not the node's (seed 000 typed 10.56.0.10 twice)", () => {
    expect(up("vpn-front")).toContain("ip tunnel add vpnnic mode ipip remote 10.56.0.10 local 10.24.0.20 ttl 64\n");
    expect(up("vpn-front")).not.toContain("local 10.56.0.10");
    expect(up("vpn-front")).toContain("ip addr add 192.168.10.2/30 dev vpnnic\n");
  });

  it("node-lan shares the front machine's LAN and only routes to it", () => {
    expect(up("node-lan")).toContain('ip route replace 172.16.0.0/24 via 10.24.0.20 dev eth0 proto "$ROUTE_PROTO" # flow partner-api\n');
    expect(up("node-lan")).not.toMatch(/ip (link|tunnel) add|ip rule/);
  });
});

describe("tunnel script: free text only in comments", () => {
  const evil = "x\" $(touch /tmp/pwned) `id` ; rm -rf / # '";
  const site = exampleWith("bjs-hybrid", (i) => {
    i.hosts["strongswan-1"].description = evil;
    i.tunnels.vpn1.description = evil;
  });
  const script = file(site, "strongswan-1", "tunnelScript");

  it("every line holding a description is a comment", () => {
    const lines = script.split("\n").filter((l) => l.includes("$(touch"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.trimStart()).toMatch(/^# /);
  });

  it("a description with a newline cannot add a line: the comment helper refuses it", () => {
    const broken = exampleWith("bjs-hybrid", (i) => {
      i.tunnels.vpn1.description = "ok\nip link del eth0";
    });
    expect(() => linuxTarget.emit(broken)).toThrow(/control character/);
  });

  it("a device name that escaped the schema is refused, not written", () => {
    const host = bjs.hosts[0]!;
    const bad: SiteModel = { ...bjs, hosts: [{ ...host, vtis: [{ ...host.vtis[0]!, device: "tun1;reboot" }] }] };
    expect(() => linuxTarget.emit(bad)).toThrow(/device name "tun1;reboot"/);
  });
});

describe("systemd unit", () => {
  it("runs the script once at boot, after the network is online and before strongSwan (RHEL unit names)", () => {
    const unit = file(bjs, "strongswan-1", "tunnelUnit");
    expect(unit).toContain(
      [
        "[Unit]",
        "Description=sitewire tunnels and routes of strongswan-1",
        "Documentation=man:ip-link(8) man:ip-rule(8) man:ip-route(8)",
        "Wants=network-online.target",
        "After=network-online.target",
        `Before=${HOST_PATHS.rhel.strongswanUnits.join(" ")}`,
        "",
        "[Service]",
        "Type=oneshot",
        "RemainAfterExit=yes",
        "ExecStart=/usr/local/sbin/sitewire-tunnels up",
        "ExecReload=/usr/local/sbin/sitewire-tunnels up",
        "ExecStop=/usr/local/sbin/sitewire-tunnels down",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
      ].join("\n"),
    );
  });

  it("orders itself before strongSwan only on hosts that end IPsec tunnels", () => {
    expect(file(partner, "node-lan", "tunnelUnit")).not.toContain("Before=");
  });

  it("uses the Debian strongSwan unit names on Debian", () => {
    const site = exampleWith("bjs-hybrid", (i) => {
      i.hosts["strongswan-1"].os = "debian";
    });
    expect(file(site, "strongswan-1", "tunnelUnit")).toContain(`Before=${HOST_PATHS.debian.strongswanUnits.join(" ")}\n`);
  });
});

describe("sysctl drop-in", () => {
  /** key = value lines; fails on anything that is neither that, a comment nor blank. */
  function settings(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of text.split("\n")) {
      if (line === "" || line.startsWith("# ")) continue;
      const m = /^([a-z0-9_./]+) = (\d+)$/.exec(line);
      if (!m) throw new Error(`not a setting: ${line}`);
      out[m[1]!] = m[2]!;
    }
    return out;
  }

  it("a vti gateway: forwarding, no redirects, and the physical interface out of IPsec policy (AWS sample)", () => {
    expect(settings(file(bjs, "strongswan-1", "sysctl"))).toEqual({
      "net.ipv4.ip_forward": "1",
      "net.ipv4.conf.all.accept_redirects": "0",
      "net.ipv4.conf.all.send_redirects": "0",
      "net.ipv4.conf.default.accept_redirects": "0",
      "net.ipv4.conf.default.send_redirects": "0",
      "net.ipv4.conf.eth0.disable_xfrm": "1",
      "net.ipv4.conf.eth0.disable_policy": "1",
    });
  });

  it("the SSL VPN front machine forwards; its ipip device's settings stay with the script", () => {
    const text = file(partner, "vpn-front", "sysctl");
    expect(settings(text)).toEqual({
      "net.ipv4.ip_forward": "1",
      "net.ipv4.conf.all.accept_redirects": "0",
      "net.ipv4.conf.all.send_redirects": "0",
      "net.ipv4.conf.default.accept_redirects": "0",
      "net.ipv4.conf.default.send_redirects": "0",
    });
    expect(text).toContain("# vpn-front forwards packets for flow partner-api\n");
    expect(body(file(partner, "vpn-front", "tunnelScript"), "up")).toContain("set_sysctl net.ipv4.conf.vpnnic.rp_filter 2\n");
  });

  it("the script applies exactly the drop-in's settings live, in the drop-in's order, before any device", () => {
    for (const [site, host] of [[bjs, "strongswan-1"], [partner, "vpn-front"]] as const) {
      const dropIn = Object.entries(settings(file(site, host, "sysctl")));
      const up = body(file(site, host, "tunnelScript"), "up");
      const applied = [...up.matchAll(/^ {2}set_sysctl (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]);
      expect(applied.slice(0, dropIn.length), host).toEqual(dropIn);
      expect(up.indexOf(`set_sysctl ${dropIn.at(-1)![0]} `)).toBeLessThan(up.search(/ensure_link /));
    }
  });

  it("routes are listed as `ip route show` prints them: a /32 without its length, 0.0.0.0/0 as default", () => {
    const site = exampleWith("partner-vpn", (i) => {
      i.hosts["node-lan"].routes = [{ to: ["192.0.2.7/32", "0.0.0.0/0"], via: "10.24.0.1" }];
    });
    expect(file(site, "node-lan", "tunnelScript")).toContain("\nreadonly ROUTES=('main default' 'main 172.16.0.0/24' 'main 192.0.2.7')\n");
  });

  it("no drop-in on a node that only routes", () => {
    expect(() => file(partner, "node-remote", "sysctl")).toThrow(/no sysctl/);
  });

  it("a policy-based tunnel on the host keeps IPsec on the physical interface", () => {
    const site = exampleWith("bjs-hybrid", (i) => {
      i.peers["branch"] = { platform: "strongswan", address: "198.51.100.7" };
      i.tunnels["branch"] = { ...i.tunnels.vpn1, kind: "ipsec-policy", between: ["strongswan-1", "branch"], psk: { env: "BRANCH_PSK" } };
      for (const k of ["inside", "key", "device", "table", "rulePriority", "monitor", "overrides"]) delete i.tunnels["branch"][k];
    });
    expect(settings(file(site, "strongswan-1", "sysctl"))).not.toHaveProperty("net.ipv4.conf.eth0.disable_xfrm");
    expect(settings(file(site, "strongswan-2", "sysctl"))).toHaveProperty("net.ipv4.conf.eth0.disable_xfrm", "1");
  });

  it("a dotted interface name is written with '/' inside the key (sysctl.d(5))", () => {
    const site = exampleWith("bjs-hybrid", (i) => {
      i.hosts["strongswan-1"].interface = "eth0.100";
    });
    expect(settings(file(site, "strongswan-1", "sysctl"))).toHaveProperty(["net.ipv4.conf.eth0/100.disable_xfrm"], "1");
  });
});

describe("IPv6 and dual stack (sites/dual-stack.yaml)", () => {
  function settings(text: string): Record<string, string> {
    return Object.fromEntries([...text.matchAll(/^([a-z0-9_./]+) = (\d+)$/gm)].map((m) => [m[1]!, m[2]!]));
  }
  const dual = exampleWith("dual-stack");
  /** The same site with vti devices: to-cloud (IPv6 outer addresses) becomes a vti6 device. */
  const dualVti = exampleWith("dual-stack", (i) => {
    i.hosts.edge.device = { kind: "vti" };
    for (const f of Object.values(i.flows) as Record<string, any>[]) f.out = String(f.out).replace("xfrm", "vti");
  });
  const up = (site: SiteModel, host: string) => body(file(site, host, "tunnelScript"), "up");

  it("an XFRM interface gets its IPv6 inside address beside the IPv4 one; an IPv6-only tunnel only the IPv6 one", () => {
    const text = up(dual, "edge");
    expect(text).toContain("  ensure_addr xfrm70 4 '169.254.70.2 peer 169.254.70.1/30' ip addr add 169.254.70.2/30 remote 169.254.70.1/30 dev xfrm70\n");
    expect(text).toContain("  ensure_addr xfrm70 6 fd00:70::2/126 ip -6 addr add fd00:70::2/126 dev xfrm70\n");
    expect(text).toContain("  ensure_addr xfrm71 6 fd00:71::2/126 ip -6 addr add fd00:71::2/126 dev xfrm71\n");
    expect(text).not.toMatch(/ensure_addr xfrm71 4 /);
    // IPv6 outer addresses: the XFRM interface's underlay is the same interface; the host must own the IPv6 address.
    expect(text).toContain("  require_local 2001:db8:ffff::70\n");
    expect(text).toContain("ip link add xfrm71 type xfrm dev eth0 if_id 71\n");
  });

  it("IPv6 routes of a tunnel go into its table via the peer's IPv6 inside address, looked up by an ip -6 rule only", () => {
    const script = file(dual, "edge", "tunnelScript");
    expect(up(dual, "edge")).toContain("  ensure_rule 6 71 71 ip -6 rule add priority 71 lookup 71\n");
    expect(up(dual, "edge")).toContain('  ip -6 route replace 2001:db8:72::/56 via fd00:71::1 dev xfrm71 table 71 proto "$ROUTE_PROTO" # tunnel to-cloud\n');
    expect(up(dual, "edge")).not.toContain("ensure_rule 4 71 71");
    expect(script).toContain("\nreadonly RULES=()\nreadonly RULES6=(71:71)\nreadonly ROUTES=()\nreadonly ROUTES6=('71 2001:db8:72::/56')\n");
    // removal is symmetric: down flushes both families' tagged routes and removes both families' rules
    const down = body(script, "down");
    expect(down).toContain('  if ipv6_on; then ip -6 route flush table all proto "$ROUTE_PROTO"; fi\n');
    expect(down).toContain('    remove_rule 6 "${entry%%:*}" "${entry#*:}"\n');
    expect(body(script, "prune")).toContain("  if ipv6_on; then prune_routes 6; fi\n");
  });

  it("a flow's source host routes IPv6 destinations via the gateway's IPv6 address on their shared network", () => {
    const text = up(dual, "node-1");
    expect(text).toContain('  ip route replace 10.71.0.0/16 via 10.70.0.1 dev eth0 proto "$ROUTE_PROTO" # flow nodes-to-dc\n');
    expect(text).toContain('  ip -6 route replace 2001:db8:71::/48 via 2001:db8:70::1 dev eth0 proto "$ROUTE_PROTO" # flow nodes-to-dc\n');
  });

  it("a flow's source host without an IPv6 network shared with the gateway: SW117 names the family", () => {
    const intent = parse(siteFile("dual-stack").text) as Record<string, any>;
    delete intent.hosts["node-1"].address6;
    const { source, intent: loaded } = sourceOf(stringify(intent), "sites/dual-stack.yaml");
    const { diagnostics } = resolveSite(source, loaded, "0".repeat(64));
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.message])).toEqual([
      ["SW117", "host 'node-1' cannot reach gateway 'edge' over IPv6: no IPv6 network they share"],
    ]);
  });

  it("vti devices: type vti6 for IPv6 outer addresses, IPv6 inside addresses and disable_policy for IPv6 on each device carrying it", () => {
    const text = up(dualVti, "edge");
    expect(text).toContain("    ip link add vti71 type vti6 local 2001:db8:ffff::70 remote 2001:db8:ffff::72 key 71\n");
    expect(text).toContain("  ensure_link vti71 vti6 '[[:space:]]vti6 remote 2001:db8:ffff::72 local 2001:db8:ffff::70 (dev [^ ]+ )?ikey (0\\.0\\.0\\.71|0x47) okey (0\\.0\\.0\\.71|0x47) ' \\\n");
    expect(text).toContain("    ip link add vti70 type vti local 10.70.0.1 remote 203.0.113.71 key 70\n");
    expect(text).toContain("  set_sysctl net.ipv6.conf.vti70.disable_policy 1\n");
    expect(text).toContain("  set_sysctl net.ipv6.conf.vti71.disable_policy 1\n");
    const script = file(dualVti, "edge", "tunnelScript");
    expect(script).toContain("readonly DEVICES=(vti71:vti6 vti70:vti)\n");
    expect(script).toContain("local re_device='^device ([A-Za-z][A-Za-z0-9_.-]{0,14}) (vti|ipip|vti6)$'\n");
    expect(script).toContain("    vti6) echo \"$VTI6_KIND\" ;;\n");
  });

  it("reads back (test/parse-back): the devices' IPv6 addresses, the ip -6 rule and the IPv6 routes agree with the model", () => {
    for (const site of [dual, dualVti]) {
      const host = site.hosts.find((h) => h.name === "edge")!;
      const script = file(site, "edge", "tunnelScript");
      const devices = vtiDevices(script);
      for (const v of host.vtis) {
        const six = v.address.family === 6 ? v.address : v.address6!;
        expect(devices.find((d) => d.device === v.device)).toMatchObject({ address6: six.address, length6: six.length, key: v.key, ...(v.kind === "vti" ? { local: v.local, remote: v.remote } : { underlay: v.underlay }) });
      }
      expect(scriptRules(script)).toEqual([{ family: 6, priority: 71, table: 71 }]);
      expect(scriptRoutes(script)).toEqual(
        host.vtis.flatMap((v) => v.routes.map((r) => ({ family: r.family, to: r.cidr, via: r.family === 6 && v.address.family !== 6 ? v.peerAddress6 : v.peerAddress, dev: v.device, table: String(v.table) }))),
      );
    }
    const node = dual.hosts.find((h) => h.name === "node-1")!;
    expect(scriptRoutes(file(dual, "node-1", "tunnelScript"))).toEqual(node.routes.map((r) => ({ family: r.to.family, to: r.to.cidr, via: r.via, dev: r.device, table: "main" })));
    expect(node.routes.map((r) => [r.to.cidr, r.via])).toEqual([
      ["10.71.0.0/16", "10.70.0.1"],
      ["2001:db8:71::/48", "2001:db8:70::1"],
    ]);
  });

  it("the IPv4-only sites' scripts name no IPv6 command but the symmetric removal (nothing of IPv6 to install)", () => {
    const text = up(bjs, "strongswan-1");
    expect(text).not.toContain("ip -6");
    expect(text).not.toContain("net.ipv6");
  });

  it("a host forwarding IPv6 gets net.ipv6.conf.all.forwarding = 1 and accept_ra = 2 on its interface (ip-sysctl.rst)", () => {
    const s = settings(file(dual, "edge", "sysctl"));
    expect(s).toHaveProperty(["net.ipv6.conf.all.forwarding"], "1");
    expect(s).toHaveProperty(["net.ipv6.conf.eth0.accept_ra"], "2");
    expect(() => file(dual, "node-1", "sysctl")).toThrow(/no sysctl/);
    // IPv4-only gateways stay as they were
    expect(settings(file(bjs, "strongswan-1", "sysctl"))).not.toHaveProperty(["net.ipv6.conf.all.forwarding"]);
  });

  it("a static IPv6 default route: no accept_ra (the host needs no router advertisements)", () => {
    const site = exampleWith("dual-stack", (i) => {
      i.hosts.edge.routes = [{ to: ["::/0"], via: "2001:db8:ffff::1" }];
    });
    expect(up(site, "edge")).toContain('  ip -6 route replace ::/0 via 2001:db8:ffff::1 dev eth0 proto "$ROUTE_PROTO" # route 1\n');
    expect(file(site, "edge", "tunnelScript")).toContain("'main default'");
    const s = settings(file(site, "edge", "sysctl"));
    expect(s).toHaveProperty(["net.ipv6.conf.all.forwarding"], "1");
    expect(s).not.toHaveProperty(["net.ipv6.conf.eth0.accept_ra"]);
  });
});
