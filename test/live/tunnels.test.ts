/**
 * Every IPsec tunnel of every example and fixture site, live: two charon daemons in namespaces built from the
 * model's address facts (1:1 NAT where an end has a public address), the host loading its emitted files and
 * the peer its emitted far side (strongSwan peer) or a strongSwan stand-in rendered from the same model
 * (Cisco peer). For every format pairing, IKE SA ESTABLISHED and CHILD SA INSTALLED on both ends, then pings
 * through the tunnel (inside addresses and the networks behind each end) counted on the host's CHILD SA.
 *
 * The pairings across formats matter: both ends render through the same templates, so a template that drifts
 * the same way on both ends (a hard-coded proposal, a literal key) still pairs with itself; against the other
 * format's template it cannot. A host that ends several tunnels loads its emitted files cut down to the
 * tunnel under test (kernel-libipsec ignores marks, so another 0.0.0.0/0 tunnel would take its packets).
 *
 * ESP runs in userspace (kernel-libipsec: this kernel has no ESP, vti or XFRM interfaces); its TUN device stands
 * in for the vti device or XFRM interface of a route-based tunnel. What that cannot show (marks ↔ vti keys,
 * if_ids ↔ XFRM interfaces: libipsec ignores both) is checked on the model and the parsed files
 * (src/targets/strongswan/index.test.ts, test/parse-back), and charon's own view of the SA's if_id in
 * test/real/strongswan-load.test.ts. A host end with an XFRM interface loads swanctl.conf only: ipsec.conf
 * cannot express an if_id (rule SW144), so its tunnels pair the host's swanctl.conf with both peer formats.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ipsecConnNames } from "../readers/strongswan-conf.js";
import { swanctlConnectionNames } from "../readers/swanctl.js";
import { missing } from "../harness/tools.js";
import { onlyTunnel, owned, type DaemonFormat } from "../harness/tunnel-ends.js";
import { bringUp, CASE_TIMEOUT_MS, compileSite, fileName, hostEnd, peerEnd, SITE_FILES, Summary } from "./tunnel-case.js";

/** Each format with itself, then across formats (an ipsec.conf gateway against a swanctl peer and back). */
const PAIRINGS: readonly (readonly [DaemonFormat, DaemonFormat])[] = [
  ["ipsec-conf", "ipsec-conf"],
  ["swanctl", "swanctl"],
  ["ipsec-conf", "swanctl"],
  ["swanctl", "ipsec-conf"],
];

const sites = SITE_FILES.map((file) => compileSite(file)).filter((site) => site.model.tunnels.length > 0);
/** The pairings a tunnel's host end can load: swanctl.conf only for an XFRM interface. */
const pairingsOf = (tunnel: (typeof sites)[number]["model"]["tunnels"][number]) => (tunnel.deviceKind === "xfrm" ? PAIRINGS.filter(([host]) => host === "swanctl") : PAIRINGS);
/**
 * Every site's first tunnel in all four pairings; each further tunnel of the site (same templates, other
 * values) in one pairing, taken in turn, so every tunnel comes up and every pairing runs on every site with
 * several tunnels, at a third of the cost of the full product.
 */
const cases = sites.flatMap((site) =>
  site.model.tunnels.flatMap((tunnel, i) => {
    const pairings = pairingsOf(tunnel);
    return (i === 0 ? pairings : [pairings[(i - 1) % pairings.length]!]).map(([hostFormat, peerFormat]) => ({ site, tunnel, hostFormat, peerFormat }));
  }),
);

describe("the cases", () => {
  it("covers every tunnel of the example sites", () => {
    const covered = new Set(cases.map((c) => `${c.site.file}:${c.tunnel.name}`));
    expect(covered.has("sites/bjs-hybrid.yaml:vpn1") && covered.has("sites/bjs-hybrid.yaml:vpn2")).toBe(true);
    expect(covered.size).toBe(sites.reduce((n, s) => n + s.model.tunnels.length, 0));
  });

  it("cuts a host's emitted files down to one tunnel, verbatim", () => {
    const site = sites.find((s) => s.file.endsWith("sw-ikev2.yaml"))!;
    const tunnel = site.model.tunnels.find((t) => t.name === "to-hub")!;
    const emitted = owned(site.artifacts, "edge-1");
    const cut = onlyTunnel(emitted, tunnel);
    expect(ipsecConnNames(emitted["strongswan-ipsec-conf"]!)).toEqual(["to-branch", "to-hub"]);
    expect(ipsecConnNames(cut["strongswan-ipsec-conf"]!)).toEqual(["to-hub"]);
    expect(swanctlConnectionNames(emitted["swanctl-conf"]!)).toEqual(["to-branch", "to-hub"]);
    expect(swanctlConnectionNames(cut["swanctl-conf"]!)).toEqual(["to-hub"]);
    for (const kind of ["strongswan-ipsec-conf", "swanctl-conf"] as const) for (const line of cut[kind]!.split("\n")) expect(emitted[kind]).toContain(line);
    expect(cut["strongswan-secrets"]).toBe(emitted["strongswan-secrets"]);
  });
});

describe.skipIf(missing("root", "ipsec", "swanctl", "/usr/lib/ipsec/charon", "iptables-restore", "ping"))("every tunnel of every site, live", () => {
  const summary = new Summary("live tunnels (host × peer format)", ["site", "tunnel", "kind", "IKE", "host", "peer", "outer path", "pings", "ms"]);
  afterAll(() => summary.print());

  it.each(cases.map((c) => [`${c.site.file} ${c.tunnel.name}: host ${fileName(c.hostFormat)}, peer ${fileName(c.peerFormat)}`, c] as const))(
    "%s",
    async (_, { site, tunnel, hostFormat, peerFormat }) => {
      const host = hostEnd(site, tunnel, hostFormat);
      const peer = peerEnd(site, tunnel, peerFormat);
      const up = await bringUp(site, tunnel, host.files, peer.files);
      summary.add(
        site.file.replace(/^.*\//, "").replace(/\.yaml$/, ""),
        tunnel.name,
        tunnel.kind === "ipsec-vti" ? "route" : "policy",
        `v${tunnel.host.ike.version}`,
        `${fileName(hostFormat)} ${host.origin}`,
        `${fileName(peerFormat)} ${peer.origin}`,
        up.layout,
        up.probes,
        up.ms,
      );
    },
    CASE_TIMEOUT_MS,
  );
});
