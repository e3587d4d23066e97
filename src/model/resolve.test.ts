import { describe, expect, it } from "vitest";
import { siteFile, sourceOf } from "../../test/helpers/source.js";
import { Ajv } from "ajv";
import { SiteIntent } from "../intent/schema.js";
import { AJV_OPTIONS } from "../intent/validator-code.js";
import { resolveSite } from "./resolve.js";

function resolveExample(name: string) {
  const { path, text } = siteFile(name);
  const { source, intent } = sourceOf(text, path);
  return resolveSite(source, intent, "0".repeat(64));
}

describe("resolve bjs-hybrid (seed 004)", () => {
  const { model, diagnostics } = resolveExample("bjs-hybrid");
  it("resolves without diagnostics", () => expect(diagnostics).toEqual([]));
  const vpn1 = model.tunnels.find((t) => t.name === "vpn1")!;
  it("derives both inside addresses from the /30: router .1, gateway .2", () => {
    expect(vpn1.host.insideAddress?.cidr).toBe("169.254.100.2/30");
    expect(vpn1.host.insidePeerAddress).toBe("169.254.100.1");
    expect(vpn1.peer.insideAddress?.cidr).toBe("169.254.100.1/30");
    expect(vpn1.peer.insideAddress?.network.mask).toBe("255.255.255.252");
  });
  it("mirrors endpoints and identities", () => {
    expect(vpn1.host).toMatchObject({ localAddress: "172.16.1.157", identity: "54.223.192.238", remoteAddress: "52.50.130.77", remoteIdentity: "10.10.1.100" });
    expect(vpn1.peer).toMatchObject({ localAddress: "10.10.1.100", identity: "10.10.1.100", remoteAddress: "54.223.192.238", remoteIdentity: "54.223.192.238" });
  });
  it("derives MSS from MTU and PFS from the ESP proposal", () => {
    expect(vpn1.host.mtu).toBe(1436);
    expect(vpn1.host.mss).toBe(1396);
    expect(vpn1.host.esp.pfsGroup).toBe("modp3072");
  });
  it("builds the gateway's vti device, rule and table", () => {
    const gw = model.hosts.find((h) => h.name === "strongswan-1")!;
    expect(gw.vtis).toEqual([
      expect.objectContaining({ device: "tunnel1", key: 100, local: "172.16.1.157", remote: "52.50.130.77", table: 10, rulePriority: 10, mtu: 1436 }),
    ]);
    expect(gw.vtis[0]!.routes.map((r) => r.cidr)).toEqual(["10.10.0.0/16"]);
    expect(gw.rules).toEqual([{ priority: 10, table: 10, tunnel: "vpn1" }]);
    expect(gw.forwards).toBe(true);
  });
  it("gives each gateway the failover facts of seed 004's vpn_monitor.sh", () => {
    const gw = model.hosts.find((h) => h.name === "strongswan-1")!;
    expect(gw.failover).toMatchObject({
      partner: "strongswan-2",
      partnerInstanceId: "i-0430fe110cdec5835",
      tunnelProbe: "169.254.100.1",
      ownRouteTables: ["rtb-468f5222"],
      partnerRouteTables: ["rtb-4b8f522f"],
      target: { eni: "eni-23fbd87a", instanceId: "i-0b6c1f0e5a2d34781" },
    });
  });
});

describe("resolve partner-vpn (seeds 000-003)", () => {
  const { model, diagnostics } = resolveExample("partner-vpn");
  it("resolves without diagnostics", () => expect(diagnostics).toEqual([]));
  const host = (n: string) => model.hosts.find((h) => h.name === n)!;
  it("gives each end of the ipip link its own local address (seed 000's mistake made impossible)", () => {
    expect(host("node-remote").ipips[0]).toMatchObject({ device: "vpnnic", local: "10.56.0.10", remote: "10.24.0.20", peerAddress: "192.168.10.2" });
    expect(host("node-remote").ipips[0]!.address.cidr).toBe("192.168.10.1/30");
    expect(host("vpn-front").ipips[0]).toMatchObject({ device: "vpnnic", local: "10.24.0.20", remote: "10.56.0.10", peerAddress: "192.168.10.1" });
  });
  it("routes each node to the partner through the front machine", () => {
    expect(host("node-lan").routes).toEqual([expect.objectContaining({ via: "10.24.0.20", device: "eth0" })]);
    expect(host("node-remote").routes).toEqual([expect.objectContaining({ via: "192.168.10.2", device: "vpnnic" })]);
    expect(host("node-lan").routes[0]!.to.cidr).toBe("172.16.0.0/24");
  });
  it("masquerades each node's address as the front machine sees it out of tun0", () => {
    expect(host("vpn-front").nat.map((n) => `${n.source.cidr} -o ${n.outInterface}`)).toEqual(["10.24.0.10/32 -o tun0", "192.168.10.1/32 -o tun0"]);
    expect(host("vpn-front").forwards).toBe(true);
    expect(host("vpn-front").mssClamp).toEqual([{ device: "tun0", families: [4] }]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Issue 13: BGP over tunnels, cloud peers, inside orientation, tunnel numbers, per-tunnel outside addresses
// ---------------------------------------------------------------------------------------------------------

// The texts below must be shape-valid too: compile the schema as the build does (not the dist/ validator).
const shapeValid = new Ajv(AJV_OPTIONS).compile(SiteIntent);

function resolveText(text: string, { shape = true } = {}) {
  const { source, intent } = sourceOf(text, "sites/test.yaml");
  if (shape && !shapeValid(intent)) throw new Error(`not shape-valid: ${JSON.stringify(shapeValid.errors?.slice(0, 3))}`);
  return resolveSite(source, intent, "0".repeat(64));
}

const awsSite = (tunnels: string, extra = { host: "", peer: "" }) => `site: test
networks:
  onprem: 10.0.0.0/16
  vpc: 10.50.0.0/16
hosts:
  gw-1:
    os: debian
    address: 10.0.1.10/24
    publicAddress: 198.51.100.10
${extra.host || "    routing:\n      bgp: { as: 65010 }"}
peers:
  tgw:
    platform: aws-vpn
    address: 203.0.113.10
    cloud: { gateway: transit-gateway, region: eu-west-1 }
${extra.peer || "    routing:\n      bgp: { as: 64512 }"}
tunnels:
${tunnels}
`;

const tunnel = (name: string, key: number, inside: string, more = "") => `  ${name}:
    between: [gw-1, tgw]
    ike: { proposals: [aes256-sha256-modp2048] }
    esp: { proposals: [aes256-sha256-modp2048] }
    psk: { env: PSK_${key} }
    inside: ${inside}
    key: ${key}
    routes: { toPeer: [vpc], toHost: [onprem] }
${more ? `${more}\n` : ""}`;

describe("resolve: tunnel defaults of issue 13 (no new keys)", () => {
  const { model, diagnostics } = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30")));
  const t = model.tunnels[0]!;
  it("resolves without diagnostics", () => expect(diagnostics).toEqual([]));
  it("keeps today's orientation (peer .1, host .2), number = key, timeout = min(interval, 5s)", () => {
    expect(t.insideOrder).toBe("peer-first");
    expect(t.peer.insideAddress?.address).toBe("169.254.10.1");
    expect(t.host.insideAddress?.address).toBe("169.254.10.2");
    expect(t.number).toBe(1);
    expect(t.monitor.timeout).toEqual({ text: "5s", seconds: 5 });
    expect(t.allowWeak).toBeUndefined();
    expect(t.bgp).toBeUndefined();
  });
  it("a longer interval caps the timeout at 5s, a shorter one is the timeout", () => {
    const long = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    monitor: { interval: 20s }"))).model.tunnels[0]!;
    expect(long.monitor.timeout.seconds).toBe(5);
    const short = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    monitor: { interval: 2s }"))).model.tunnels[0]!;
    expect(short.monitor.timeout).toEqual({ text: "2s", seconds: 2 });
    const explicit = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    monitor: { timeout: 1500ms }"))).model.tunnels[0]!;
    expect(explicit.monitor.timeout.seconds).toBe(1.5);
  });
  it("a host without bgp installs static routes, table and rule as before", () => {
    const gw = model.hosts[0]!;
    expect(gw.vtis[0]).toMatchObject({ bgp: false, table: 1 });
    expect(gw.vtis[0]!.routes.map((r) => r.cidr)).toEqual(["10.50.0.0/16"]);
    expect(gw.rules).toEqual([{ priority: 1, table: 1, tunnel: "aws-1" }]);
  });
  it("resolves the cloud peer and the hosts' and peers' BGP", () => {
    expect(model.peers[0]).toMatchObject({ platform: "aws-vpn", cloud: { provider: "aws", gateway: "transit-gateway", region: "eu-west-1" }, bgp: { as: 64512 } });
    expect(model.peers[0]!.cloud?.gatewayId).toBeUndefined();
    expect(model.hosts[0]!.bgp).toEqual({ as: 65010, routerId: "10.0.1.10" });
    expect(t.peer.platform).toBe("aws-vpn");
  });
});

describe("resolve: insideOrder, number, allowWeak, overrides.<peer>.address", () => {
  const { model, diagnostics } = resolveText(
    awsSite(
      tunnel("aws-1", 1, "169.254.10.0/30", '    insideOrder: host-first\n    number: 7\n    allowWeak: "AWS default proposal"') +
        tunnel("aws-2", 2, "169.254.11.0/30", "    overrides:\n      tgw: { address: 203.0.113.11 }"),
    ),
  );
  const [t1, t2] = [model.tunnels.find((t) => t.name === "aws-1")!, model.tunnels.find((t) => t.name === "aws-2")!];
  it("resolves without diagnostics", () => expect(diagnostics).toEqual([]));
  it("host-first gives the host the first address", () => {
    expect(t1.insideOrder).toBe("host-first");
    expect(t1.host.insideAddress?.cidr).toBe("169.254.10.1/30");
    expect(t1.host.insidePeerAddress).toBe("169.254.10.2");
    expect(t1.peer.insideAddress?.cidr).toBe("169.254.10.2/30");
    expect(t1.peer.insidePeerAddress).toBe("169.254.10.1");
    expect(model.hosts[0]!.vtis.find((v) => v.tunnel === "aws-1")).toMatchObject({ peerAddress: "169.254.10.2" });
  });
  it("number sets the far-side tunnel number; SLA, track and tag ids stay the key", () => {
    expect(t1.number).toBe(7);
    expect(t1.monitor).toMatchObject({ slaId: 1, trackId: 1, tag: 1 });
    expect(t2.number).toBe(2);
  });
  it("carries the allowWeak reason", () => expect(t1.allowWeak).toBe("AWS default proposal"));
  it("the peer's per-tunnel address is its IKE address there, and the host connects to it", () => {
    expect(t1.peer.localAddress).toBe("203.0.113.10");
    expect(t2.peer).toMatchObject({ localAddress: "203.0.113.11", reachableAddress: "203.0.113.11", identity: "203.0.113.11" });
    expect(t2.host).toMatchObject({ remoteAddress: "203.0.113.11", remoteIdentity: "203.0.113.11", localAddress: "10.0.1.10" });
    expect(model.hosts[0]!.vtis.find((v) => v.tunnel === "aws-2")).toMatchObject({ remote: "203.0.113.11" });
    expect(model.hosts[0]!.vtis.find((v) => v.tunnel === "aws-1")).toMatchObject({ remote: "203.0.113.10" });
  });
  it("a host override moves the host's local and reachable address", () => {
    const r = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    overrides:\n      gw-1: { address: 198.51.100.20 }"))).model.tunnels[0]!;
    expect(r.host).toMatchObject({ localAddress: "198.51.100.20", reachableAddress: "198.51.100.20", identity: "198.51.100.20" });
    expect(r.peer).toMatchObject({ remoteAddress: "198.51.100.20", remoteIdentity: "198.51.100.20" });
  });
});

describe("resolve: BGP over tunnels", () => {
  const bgpTunnels =
    tunnel("aws-1", 1, "169.254.10.0/30", "    bgp: {}") +
    tunnel("aws-2", 2, "169.254.11.0/30", "    bgp:\n      holdTime: 9s\n      keepalive: 2s\n      bfd: true\n      preference: secondary\n      announce: { host: [onprem, 10.1.0.0/16] }\n      accept: { peer: [onprem] }");
  const { model, diagnostics } = resolveText(awsSite(bgpTunnels, { host: "    routing:\n      bgp: { as: 65010, routerId: 10.0.1.1 }", peer: "" }));
  const [t1, t2] = [model.tunnels.find((t) => t.name === "aws-1")!, model.tunnels.find((t) => t.name === "aws-2")!];
  it("resolves without diagnostics", () => expect(diagnostics).toEqual([]));
  it("fills the defaults: hold 30s, keepalive 10s, no BFD, primary (local-pref 200, no prepend, MED 100)", () => {
    expect(t1.bgp).toMatchObject({ holdTime: { seconds: 30 }, keepalive: { text: "10s", seconds: 10 }, bfd: false, preference: "primary", localPref: 200, prepend: 0, med: 100 });
  });
  it("derives both sides: neighbour is the other end's inside address, remote AS the other's AS", () => {
    expect(t1.bgp!.host).toMatchObject({ as: 65010, remoteAs: 64512, routerId: "10.0.1.1", address: "169.254.10.2", neighbor: "169.254.10.1" });
    expect(t1.bgp!.peer).toMatchObject({ as: 64512, remoteAs: 65010, routerId: "203.0.113.10", address: "169.254.10.1", neighbor: "169.254.10.2" });
  });
  it("announces the routed networks and accepts the other side's announcements by default", () => {
    const cidrs = (p: readonly { cidr: string }[]) => p.map((x) => x.cidr);
    expect(cidrs(t1.bgp!.host.announce)).toEqual(["10.0.0.0/16"]);
    expect(cidrs(t1.bgp!.host.accept)).toEqual(["10.50.0.0/16"]);
    expect(cidrs(t1.bgp!.peer.announce)).toEqual(["10.50.0.0/16"]);
    expect(cidrs(t1.bgp!.peer.accept)).toEqual(["10.0.0.0/16"]);
  });
  it("takes explicit timers, BFD, secondary preference, announce and accept", () => {
    expect(t2.bgp).toMatchObject({ holdTime: { seconds: 9 }, keepalive: { seconds: 2 }, bfd: true, preference: "secondary", localPref: 100, prepend: 2, med: 200 });
    expect(t2.bgp!.host.announce.map((p) => p.cidr)).toEqual(["10.0.0.0/16", "10.1.0.0/16"]);
    expect(t2.bgp!.peer.accept.map((p) => p.cidr)).toEqual(["10.0.0.0/16"]);
    expect(t2.bgp!.host.accept.map((p) => p.cidr)).toEqual(["10.50.0.0/16"]);
  });
  it("keepalive defaults to a third of the hold time, rounded down to whole seconds", () => {
    const r = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    bgp: { holdTime: 10s }"))).model.tunnels[0]!;
    expect(r.bgp!.keepalive).toEqual({ text: "3s", seconds: 3 });
  });
  it("the host keeps the vti device but installs no static routes, table or rule for BGP tunnels", () => {
    const gw = model.hosts[0]!;
    expect(gw.vtis.map((v) => [v.tunnel, v.bgp, v.routes.length, v.address.cidr])).toEqual([
      ["aws-1", true, 0, "169.254.10.2/30"],
      ["aws-2", true, 0, "169.254.11.2/30"],
    ]);
    expect(gw.rules).toEqual([]);
    expect(gw.routes).toEqual([]);
  });
  it("leaves bgp absent (without crashing) when an end has no routing.bgp or the tunnel is policy-based", () => {
    const noHostBgp = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    bgp: {}"), { host: "    description: no bgp", peer: "" }));
    expect(noHostBgp.model.tunnels[0]!.bgp).toBeUndefined();
    expect(noHostBgp.model.hosts[0]!.bgp).toBeUndefined();
    const noPeerBgp = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    bgp: {}"), { host: "", peer: "    description: no bgp" }));
    expect(noPeerBgp.model.tunnels[0]!.bgp).toBeUndefined();
    const policy = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    kind: ipsec-policy\n    bgp: {}")));
    expect(policy.model.tunnels[0]!.bgp).toBeUndefined();
    const noInside = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    bgp: {}").replace("    inside: 169.254.10.0/30\n", "")));
    expect(noInside.model.tunnels[0]?.bgp).toBeUndefined();
  });
  it("reports an unknown network in announce", () => {
    const r = resolveText(awsSite(tunnel("aws-1", 1, "169.254.10.0/30", "    bgp: { announce: { host: [nowhere] } }")));
    expect(r.diagnostics.map((d) => d.code)).toContain("SW102");
  });
});

describe("resolve: cloud peers", () => {
  const site = (platform: string, cloud: string) =>
    awsSite(tunnel("c-1", 1, "169.254.21.0/30")).replace("platform: aws-vpn", `platform: ${platform}`).replace("    cloud: { gateway: transit-gateway, region: eu-west-1 }", cloud);
  it("defaults the one gateway kind of Azure and Google Cloud", () => {
    expect(resolveText(site("azure-vpn-gateway", "    cloud: { region: westeurope }")).model.peers[0]!.cloud).toEqual({ provider: "azure", gateway: "vpn-gateway", region: "westeurope" });
    expect(resolveText(site("gcp-ha-vpn", "    cloud: { gatewayId: my-ha-gw }")).model.peers[0]!.cloud).toEqual({ provider: "gcp", gateway: "ha-vpn-gateway", gatewayId: "my-ha-gw" });
  });
  it("leaves the AWS gateway kind absent when not given, and cloud absent on other platforms or without the block", () => {
    expect(resolveText(site("aws-vpn", "    cloud: { gatewayId: vgw-0123456789abcdef0 }")).model.peers[0]!.cloud).toEqual({ provider: "aws", gatewayId: "vgw-0123456789abcdef0" });
    expect(resolveText(site("cisco-ios", "    cloud: { region: eu-west-1 }")).model.peers[0]!.cloud).toBeUndefined();
    expect(resolveText(site("aws-vpn", "")).model.peers[0]!.cloud).toBeUndefined();
  });
});

describe("intent schema for issue 13", () => {
  const valid = (text: string) => shapeValid(sourceOf(text).intent);
  const t = (more: string) => awsSite(tunnel("aws-1", 1, "169.254.10.0/30", more));
  it("accepts the new keys", () => {
    expect(valid(t('    insideOrder: host-first\n    number: 2147483647\n    allowWeak: "AWS default"\n    monitor: { timeout: 2s }\n    bgp: { holdTime: 30s, keepalive: 10s, bfd: true, preference: secondary, announce: { host: [onprem], peer: [vpc] }, accept: { host: [vpc], peer: [onprem] } }\n    overrides:\n      tgw: { address: 203.0.113.11 }'))).toBe(true);
  });
  it.each([
    ["number 0", "    number: 0"],
    ["number above 2^31-1", "    number: 2147483648"],
    ["a multi-line allowWeak", '    allowWeak: "one\\ntwo"'],
    ["an empty allowWeak", '    allowWeak: ""'],
    ["an unknown insideOrder", "    insideOrder: middle"],
    ["an unknown preference", "    bgp: { preference: tertiary }"],
    ["an unknown bgp key", "    bgp: { neighbor: 169.254.10.1 }"],
    ["an override address that is not an address", "    overrides:\n      tgw: { address: 203.0.113.11/32 }"],
    ["a monitor timeout without a unit", "    monitor: { timeout: 2 }"],
  ])("refuses %s", (_, more) => expect(valid(t(more))).toBe(false));
  it("refuses an unknown gateway kind, platform and cloud key", () => {
    expect(valid(t("").replace("gateway: transit-gateway", "gateway: direct-connect"))).toBe(false);
    expect(valid(t("").replace("platform: aws-vpn", "platform: aws"))).toBe(false);
    expect(valid(t("").replace("region: eu-west-1", "region: eu-west-1, vpc: vpc-1"))).toBe(false);
    expect(valid(t("").replace("region: eu-west-1", "region: 'eu west'"))).toBe(false);
  });
});
