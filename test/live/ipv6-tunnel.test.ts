/**
 * IPv6 through strongSwan tunnels, live (issue 16): two charon daemons in namespaces this test creates, each
 * loading what sitewire emits (the host's swanctl.conf / ipsec.conf, the far side sitewire emits for a strongSwan
 * peer, or a strongSwan stand-in rendered from the same model for a Cisco peer), then ping6 through the tunnel.
 *
 * (a) IPv6 outer addresses: sites/dual-stack.yaml to-cloud (IKE and ESP between 2001:db8:ffff::70 and ::72, an
 *     IPv6-only inside, selectors ::/0).
 * (b) IPv4 outer addresses carrying IPv6: sites/dual-stack.yaml to-dc (169.254.70.0/30 and fd00:70::/126 inside,
 *     0.0.0.0/0 and ::/0 in one IKEv2 CHILD_SA), an IKEv1 variant (one CHILD_SA per family), and a policy-based
 *     IKEv2 tunnel whose selector lists mix IPv4 and IPv6 networks.
 *
 * Emulated, as in test/live/tunnels.test.ts: ESP runs in userspace (kernel-libipsec), because this kernel has no
 * ESP, vti or XFRM interfaces; its TUN device stands in for the vti or XFRM device and gets the inside addresses
 * of both families and the routes (test/harness/topology.ts). What is real: IKE over IPv6 and IPv4, the traffic
 * selectors charon negotiates and installs for both families, and ESP carrying IPv6 packets.
 *
 * Only through the SA: each case pings the IPv6 probes again and requires the host's CHILD SA counters (in and
 * out) to grow by at least as many packets; then it terminates the IKE SA and requires the same ping6 to fail.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { TunnelModel } from "../../src/model/types.js";
import { connView } from "../../src/targets/strongswan/conn.js";
import type { Charon } from "../harness/charon.js";
import { probesOf, type Probe } from "../harness/topology.js";
import { missing } from "../harness/tools.js";
import type { DaemonFormat } from "../harness/tunnel-ends.js";
import { bringUp, CASE_TIMEOUT_MS, compileSite, fileName, hostEnd, peerEnd, siteText, Summary, type CompiledSite } from "./tunnel-case.js";

const DUAL = "sites/dual-stack.yaml";
const dualStack = compileSite(DUAL);

/** IKEv1, route-based, both families inside over IPv4: one CHILD_SA per family (<tunnel>-1, <tunnel>-2). */
const IKEV1_DUAL = `site: dual-ikev1
hosts:
  gw: { os: debian, address: 192.0.2.1/24, address6: 2001:db8:2::1/64, strongswan: { format: both }, device: { kind: vti } }
peers:
  far: { platform: strongswan, address: 192.0.2.2 }
networks: { lan4: 10.8.0.0/24, lan6: 2001:db8:8::/64, far4: 10.9.0.0/16, far6: 2001:db8:9::/48 }
tunnels:
  t:
    between: [gw, far]
    ike: { version: 1, proposals: [aes256-sha256-modp3072] }
    esp: { proposals: [aes256-sha256-modp3072] }
    psk: { env: T_PSK }
    inside: 169.254.9.0/30
    inside6: fd00:9::/126
    key: 9
    routes: { toPeer: [far4, far6], toHost: [lan4, lan6] }
`;

/** IKEv2, policy-based: the selector lists of one CHILD_SA hold IPv4 and IPv6 networks. */
const POLICY_DUAL = `site: dual-policy
hosts:
  gw: { os: debian, address: 192.0.2.1/24, strongswan: { format: both } }
peers:
  far: { platform: strongswan, address: 192.0.2.2 }
networks: { a4: 10.1.0.0/24, a6: 2001:db8:1::/64, b4: 10.2.0.0/24, b6: 2001:db8:2::/64 }
tunnels:
  t:
    between: [gw, far]
    kind: ipsec-policy
    ike: { version: 2, proposals: [aes256-sha256-modp3072] }
    esp: { proposals: [aes256-sha256-modp3072] }
    psk: { env: T_PSK }
    routes: { toPeer: [b4, b6], toHost: [a4, a6] }
`;

const ikev1 = compileSite("sites/dual-ikev1.yaml", IKEV1_DUAL);
const policy = compileSite("sites/dual-policy.yaml", POLICY_DUAL);

interface Case {
  readonly label: string;
  readonly site: CompiledSite;
  readonly tunnel: TunnelModel;
  readonly hostFormat: DaemonFormat;
  readonly peerFormat: DaemonFormat;
}

const tunnelOf = (site: CompiledSite, name: string) => site.model.tunnels.find((t) => t.name === name)!;
const cases: Case[] = [
  ...(["ipsec-conf", "swanctl"] as const).map((peerFormat) => ({ label: "(a) IPv6 outer, IPv6 inside", site: dualStack, tunnel: tunnelOf(dualStack, "to-cloud"), hostFormat: "swanctl" as const, peerFormat })),
  ...(["ipsec-conf", "swanctl"] as const).map((peerFormat) => ({ label: "(b) IPv4 outer, both inside, IKEv2", site: dualStack, tunnel: tunnelOf(dualStack, "to-dc"), hostFormat: "swanctl" as const, peerFormat })),
  ...(["ipsec-conf", "swanctl"] as const).map((format) => ({ label: "(b) IPv4 outer, both inside, IKEv1", site: ikev1, tunnel: tunnelOf(ikev1, "t"), hostFormat: format, peerFormat: format })),
  { label: "(b) policy-based, mixed selectors", site: policy, tunnel: tunnelOf(policy, "t"), hostFormat: "ipsec-conf", peerFormat: "swanctl" },
  { label: "(b) policy-based, mixed selectors", site: policy, tunnel: tunnelOf(policy, "t"), hostFormat: "swanctl", peerFormat: "ipsec-conf" },
];

const isV6 = (p: Probe) => p.to.includes(":");

describe("the IPv6 cases", () => {
  it("use the site's own facts: IPv6 outer addresses for to-cloud, both families for the others", () => {
    expect(cases[0]!.tunnel).toMatchObject({ outerFamily: 6, families: [6] });
    expect(cases[0]!.tunnel.host.localAddress).toBe("2001:db8:ffff::70");
    for (const c of cases.slice(2)) expect(c.tunnel).toMatchObject({ outerFamily: 4, families: [4, 6] });
    for (const c of cases) expect(probesOf(c.tunnel).filter(isV6).length, c.label).toBeGreaterThan(0);
    expect(siteText(DUAL)).toContain("inside6: fd00:70::/126");
  });
});

/** ESP packets counted on the host's CHILD SAs of `tunnel`, in and out. */
async function counted(near: Charon, tunnel: TunnelModel): Promise<{ in: number; out: number }> {
  const status = await near.status();
  return connView(tunnel, tunnel.host)
    .children.map((c) => status.packets(c.name))
    .reduce((a, b) => ({ in: a.in + b.in, out: a.out + b.out }), { in: 0, out: 0 });
}

/** ping6 once from `probe.from` to `probe.to` inside the host's namespace (as near's commands run); true if answered. */
async function answered(near: Charon, probe: Probe): Promise<boolean> {
  return (await near.exec(["ping", "-n", "-q", "-c", "1", "-W", "1", "-I", probe.from, probe.to])).code === 0;
}

describe.skipIf(missing("root", "ipsec", "swanctl", "/usr/lib/ipsec/charon", "iptables-restore", "ping"))("IPv6 through strongSwan tunnels, live", () => {
  const summary = new Summary("live IPv6 tunnels", ["case", "site", "tunnel", "host", "peer", "outer path", "pings", "ping6 counted", "ms"]);
  afterAll(() => summary.print());

  it.each(cases.map((c) => [`${c.label}: ${c.site.model.name} ${c.tunnel.name}, host ${fileName(c.hostFormat)}, peer ${fileName(c.peerFormat)}`, c] as const))(
    "%s",
    async (_, { label, site, tunnel, hostFormat, peerFormat }) => {
      const host = hostEnd(site, tunnel, hostFormat);
      const peer = peerEnd(site, tunnel, peerFormat);
      const v6 = probesOf(tunnel).filter(isV6);
      let grew = 0;
      const up = await bringUp(site, tunnel, host.files, peer.files, async (near) => {
        // The IPv6 probes again, counted: each one's echo request and reply must be ESP of this tunnel's CHILD SA.
        const before = await counted(near, tunnel);
        for (const probe of v6) expect(await answered(near, probe), `ping6 ${probe.from} → ${probe.to}`).toBe(true);
        const after = await counted(near, tunnel);
        grew = Math.min(after.out - before.out, after.in - before.in);
        expect(after.out - before.out, "ESP packets out for the ping6 probes").toBeGreaterThanOrEqual(v6.length);
        expect(after.in - before.in, "ESP packets in for the ping6 probes").toBeGreaterThanOrEqual(v6.length);
        // No SA, no IPv6 traffic: the route into the stand-in device stays, the packets have no SA to leave by.
        if (near.mode === "vici") await near.exec(["swanctl", "--terminate", "--ike", tunnel.name, "--timeout", "3"]);
        else for (const child of connView(tunnel, tunnel.host).children) await near.exec(["ipsec", "down", child.name]);
        expect((await near.status()).anyChildInstalled(), "a CHILD SA is still installed").toBe(false);
        for (const probe of v6) expect(await answered(near, probe), `ping6 ${probe.from} → ${probe.to} with the SA down`).toBe(false);
      });
      summary.add(label, site.model.name, tunnel.name, `${fileName(hostFormat)} ${host.origin}`, `${fileName(peerFormat)} ${peer.origin}`, up.layout, up.probes, grew, up.ms);
    },
    CASE_TIMEOUT_MS + 10_000,
  );
});
