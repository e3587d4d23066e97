import { describe, expect, it } from "vitest";
import { siteFile, sourceOf } from "../../test/helpers/source.js";
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
    expect(host("vpn-front").mssClamp).toEqual([{ device: "tun0" }]);
  });
});
