/** The semantic plan between two versions of an intent, on the example sites and the GitOps fixture. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import type { SiteModel } from "../model/types.js";
import { modelChanges, type Change } from "./index.js";

/** The plan compares models: the edits below need not be deliverable end to end (SW170 is tested in src/rules). */
function model(file: string, text: string): SiteModel {
  const r = compileSource(file, text, { deliverability: false });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.model || errors.length) throw new Error(`${file} does not compile: ${errors.map((d) => d.message).join("; ")}`);
  return r.model;
}

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const BJS = read("sites/bjs-hybrid.yaml");
const PARTNER = read("sites/partner-vpn.yaml");
const EDGE = read("test/gitops/fixtures/edge.0-base.yaml");
const ONPREM = read("test/fixtures/sites/onprem-bgp-cisco.yaml");
const ONPREM_FILE = "test/fixtures/sites/onprem-bgp-cisco.yaml";
const B_WITH_BGP = "    routes: { toPeer: [dc-lan], toHost: [gw-lan] }\n    bgp: { preference: secondary }\n";
const B_WITHOUT_BGP = "    routes: { toHost: [gw-lan] }\n";

/** Changes between the file and an edited copy, as "subject: marker text". */
function plan(file: string, before: string, edit: (t: string) => string): string[] {
  const after = edit(before);
  if (after === before) throw new Error("the edit changed nothing");
  return modelChanges(model(file, before), model(file, after)).map(line);
}

function line(c: Change): string {
  const mark = c.attention ? "!" : { add: "+", remove: "-", change: "~" }[c.action];
  return `${c.subject.kind} ${c.subject.name}: ${mark} ${c.text}`;
}

describe("modelChanges", () => {
  it("is empty for the same intent, and for one whose lists are only reordered", () => {
    expect(modelChanges(model("sites/bjs-hybrid.yaml", BJS), model("sites/bjs-hybrid.yaml", BJS))).toEqual([]);
    const reordered = PARTNER.replace("  node-lan:\n    description: Kubernetes node on the front machine's LAN\n    os: debian\n    address: 10.24.0.10/22\n", "").replace(
      "hosts:\n",
      "hosts:\n  node-lan:\n    description: Kubernetes node on the front machine's LAN\n    os: debian\n    address: 10.24.0.10/22\n",
    );
    expect(reordered).not.toBe(PARTNER);
    expect(modelChanges(model("sites/partner-vpn.yaml", PARTNER), model("sites/partner-vpn.yaml", reordered))).toEqual([]);
  });

  it("a firewall backend switch (by intent or by release) says which unit goes, which comes, and what changes", () => {
    expect(plan("sites/partner-vpn.yaml", PARTNER, (t) => t.replace("    os: rhel\n", "    os: rhel\n    firewall: { backend: nftables }\n"))).toEqual([
      "host vpn-front: ! firewall backend: iptables → nftables (the playbook stops sitewire-firewall.service, which unloads the old rules, then loads sitewire-nftables.service; deploying by other means, stop the old unit first: loaded together both would apply. With nftables, sitewire's accept no longer ends the host's own FORWARD rules: another table's drop (Docker's FORWARD policy) still applies)",
    ]);
    const nft = PARTNER.replace("    os: rhel\n", "    os: rhel\n    release: 9\n");
    expect(plan("sites/partner-vpn.yaml", nft, (t) => t.replace("    release: 9\n", "    release: 8\n"))).toEqual([
      "host vpn-front: ! firewall backend: nftables → iptables (the playbook stops sitewire-nftables.service, which unloads the old rules, then loads sitewire-firewall.service; deploying by other means, stop the old unit first: loaded together both would apply)",
    ]);
  });

  it("a rotated PSK reference is a secret change on both ends", () => {
    expect(plan("sites/bjs-hybrid.yaml", BJS, (t) => t.replace("env: BJS_VPN1_PSK", "env: BJS_VPN1_PSK_2025"))).toEqual([
      "host strongswan-1: ~ tunnel vpn1: PSK reference rotated: env:BJS_VPN1_PSK → env:BJS_VPN1_PSK_2025 (the new one must be set where secrets are materialised)",
      "device dc-router-1: ~ tunnel vpn1: PSK reference rotated: env:BJS_VPN1_PSK → env:BJS_VPN1_PSK_2025 (the new one must be set where secrets are materialised)",
    ]);
  });

  it("a flow reaching one more network: routes on its sources, forwarding widened on the gateway", () => {
    expect(plan("sites/partner-vpn.yaml", PARTNER, (t) => t.replace("to: [partner-vpn]\n", "to: [partner-vpn, office-clients]\n"))).toEqual([
      "site partner-vpn: ~ flow partner-api: destinations: 172.16.0.0/24 (partner-vpn) → 172.16.0.0/24 (partner-vpn), 192.168.100.0/24 (office-clients)",
      "host node-lan: + route 192.168.100.0/24 (office-clients) via 10.24.0.20 dev eth0 (flow partner-api)",
      "host node-remote: + route 192.168.100.0/24 (office-clients) via 192.168.10.2 dev vpnnic (flow partner-api)",
      "host vpn-front: ! forwarding widened: allows 10.24.0.10/32 (node-lan) → 192.168.100.0/24 (office-clients) all ports (eth0 → tun0, flow partner-api)",
      "host vpn-front: ! forwarding widened: allows 192.168.10.1/32 (node-remote) → 192.168.100.0/24 (office-clients) all ports (vpnnic → tun0, flow partner-api)",
    ]);
  });

  it("cluster policies: an allowlist that grows, one that goes (default deny gone), isolation and masquerading", () => {
    const grown = plan("sites/partner-vpn.yaml", PARTNER, (t) => t.replace("ports: [tcp/8080]", "ports: [tcp/8080-8090]"));
    expect(grown).toEqual(["cluster partner-vpn: ! egress of payments (app=curl) widened: allows more of 172.16.0.138/32 (partner-api) tcp/8080-8090"]);

    const gone = plan("sites/partner-vpn.yaml", PARTNER, (t) =>
      t.replace("  egress:\n    - namespace: payments\n      pods: { app: curl }\n      allow:\n        - to: partner-api\n          ports: [tcp/8080]\n", ""),
    );
    expect(gone).toEqual(["cluster partner-vpn: ! egress of namespace payments no longer restricted: default deny removed, pods may connect anywhere"]);

    const isolation = plan("sites/partner-vpn.yaml", PARTNER, (t) =>
      t.replace("allowFrom: [front-lan, node-remote, office-clients]", "allowFrom: [front-lan, node-remote]").replace("nonMasqueradeCIDRs: [cluster-internal]", "nonMasqueradeCIDRs: [cluster-internal, partner-vpn]"),
    );
    expect(isolation).toEqual([
      "cluster partner-vpn: + pods keep their own address towards 172.16.0.0/24 (partner-vpn) (not masqueraded)",
      "cluster partner-vpn: ~ namespace isolation narrowed: no longer allows ingress from 192.168.100.0/24 (office-clients)",
    ]);
  });

  it("a widest scope marked deliberate: the plan shows the reason where it names the scope", () => {
    const internet = plan("sites/partner-vpn.yaml", PARTNER, (t) =>
      t.replace("        - to: partner-api\n          ports: [tcp/8080]\n", "        - to: partner-api\n          ports: [tcp/8080]\n        - to: 0.0.0.0/0\n          ports: [tcp/443]\n          allowAll: the SDK calls its vendor's CDN\n"),
    );
    expect(internet).toEqual(["cluster partner-vpn: ! egress of payments (app=curl) widened: allows 0.0.0.0/0 tcp/443 [allowAll: the SDK calls its vendor's CDN]"]);

    const everyPod = plan("sites/partner-vpn.yaml", PARTNER, (t) => t.replace("      pods: { app: curl }\n", "      allowAll: every payments pod calls the partner\n"));
    expect(everyPod).toEqual([
      "cluster partner-vpn: ! egress of payments (app=curl): allowlist now applies to all pods [allowAll: every payments pod calls the partner] (other pods of payments keep only DNS and same-namespace egress)",
    ]);
    // Only the reason changes: shown as such.
    const PODLESS = PARTNER.replace("      pods: { app: curl }\n", "      allowAll: every payments pod calls the partner\n");
    expect(plan("sites/partner-vpn.yaml", PODLESS, (t) => t.replace("calls the partner\n", "calls the partner API\n"))).toEqual([
      "cluster partner-vpn: ~ egress of payments: allowAll reason: every payments pod calls the partner → every payments pod calls the partner API",
    ]);

    const ingress = plan("sites/partner-vpn.yaml", PARTNER, (t) =>
      t.replace("allowFrom: [front-lan, node-remote, office-clients]", "allowFrom: [front-lan, node-remote, office-clients, 0.0.0.0/0]\n    allowAll: public API behind the cloud load balancer"),
    );
    expect(ingress).toEqual([
      "cluster partner-vpn: ! namespace isolation widened: allows more of ingress from 0.0.0.0/0 [allowAll: public API behind the cloud load balancer]",
    ]);
  });

  it("the fixture's proposal change and its removed host", () => {
    const proposal = plan("sites/edge.yaml", EDGE, (t) => t.replace("proposals: [aes256-sha256-modp3072] }\n    esp", "proposals: [aes256gcm16-prfsha384-ecp384] }\n    esp"));
    expect(proposal).toEqual([
      "host gw-a: ~ tunnel vpn1: IKE proposals: aes256-sha256-modp3072 → aes256gcm16-prfsha384-ecp384",
      "device router-1: ~ tunnel vpn1: IKE proposals: aes256-sha256-modp3072 → aes256gcm16-prfsha384-ecp384",
    ]);
    const os = plan("sites/edge.yaml", EDGE, (t) => t.replace("    os: debian\n    address: 10.1.0.20/24", "    os: rhel\n    address: 10.1.0.20/24"));
    expect(os).toEqual(["host node-b: ~ OS family (file paths and service names move): debian → rhel"]);
  });

  it("a new site and a removed one", () => {
    const edge = model("sites/edge.yaml", EDGE);
    const added = modelChanges(undefined, edge).map(line);
    expect(added[0]).toBe("site edge: + site edge added");
    expect(added).toContain("host gw-a: + host gw-a added: debian, 10.1.0.10/24, public 198.51.100.10, tunnels vpn1");
    expect(added).toContain("device router-1: + device router-1 added: cisco-ios, 10.20.0.1, public 203.0.113.1");
    const removed = modelChanges(edge, undefined).map(line);
    expect(removed[0]).toBe("site edge: ! site edge removed: sitewire stops managing its hosts, devices and cluster objects");
    expect(removed).toContain("host gw-a: ! tunnel vpn1 to router-1 removed");
  });

  describe("BGP over tunnels (issue 13): per device and host", () => {
    it("a session added to a tunnel: on both ends, with neighbour, AS and what each end announces", () => {
      // Without BGP, tunnel b may not route dc-lan statically beside a's BGP routes (SW165): it routes nothing.
      const noBgp = ONPREM.replace(B_WITH_BGP, B_WITHOUT_BGP);
      expect(plan(ONPREM_FILE, noBgp, () => ONPREM).filter((l) => l.includes("BGP"))).toEqual([
        "host gw: + tunnel b: BGP session added: neighbour 169.254.62.2 AS 65020 (own AS 65010), secondary, announces 10.70.0.0/24 (gw-lan), accepts 10.80.0.0/16 (dc-lan)",
        "device dc-router: + tunnel b: BGP session added: neighbour 169.254.62.1 AS 65010 (own AS 65020), secondary, announces 10.80.0.0/16 (dc-lan), accepts 10.70.0.0/24 (gw-lan)",
      ]);
    });

    it("a session removed takes routes away: marked !", () => {
      const lines = plan(ONPREM_FILE, ONPREM, (t) => t.replace(B_WITH_BGP, B_WITHOUT_BGP)).filter((l) => l.includes("BGP"));
      expect(lines).toEqual([
        "host gw: ! tunnel b: BGP session removed (was neighbour 169.254.62.2 AS 65020 (own AS 65010), secondary, announces 10.70.0.0/24 (gw-lan), accepts 10.80.0.0/16 (dc-lan))",
        "device dc-router: ! tunnel b: BGP session removed (was neighbour 169.254.62.1 AS 65010 (own AS 65020), secondary, announces 10.80.0.0/16 (dc-lan), accepts 10.70.0.0/24 (gw-lan))",
      ]);
    });

    it("announcements widened (!) on the announcing end and accepted networks widened on the other; narrowing is ~", () => {
      // dc-mgmt joins b's routes.toPeer (the IPsec/firewall scope), which b's router then announces by default.
      const wider = plan(ONPREM_FILE, ONPREM, (t) =>
        t.replace("dc-lan: 10.80.0.0/16", "dc-lan: 10.80.0.0/16\n  dc-mgmt: 10.90.0.0/24").replace(B_WITH_BGP, "    routes: { toPeer: [dc-lan, dc-mgmt], toHost: [gw-lan] }\n    bgp: { preference: secondary }\n"),
      ).filter((l) => l.includes("BGP"));
      expect(wider).toEqual([
        "host gw: ! tunnel b: BGP accepted networks widened: accepts 10.90.0.0/24 (dc-mgmt)",
        "device dc-router: ! tunnel b: BGP announcements widened: announces 10.90.0.0/24 (dc-mgmt)",
      ]);
      const narrower = plan(ONPREM_FILE, ONPREM, (t) => t.replace("dc-lan: 10.80.0.0/16", "dc-lan: 10.80.0.0/16\n  dc-core: 10.80.0.0/17").replace("    bgp: { preference: secondary }\n", "    bgp: { preference: secondary, announce: { peer: [dc-core] } }\n"));
      expect(narrower.filter((l) => l.includes("BGP"))).toEqual([
        "host gw: ~ tunnel b: BGP accepted networks narrowed: accepts less of 10.80.0.0/16 (dc-lan)",
        "device dc-router: ~ tunnel b: BGP announcements narrowed: announces less of 10.80.0.0/16 (dc-lan)",
      ]);
    });

    it("AS, preference, timers and BFD changes on both ends", () => {
      expect(plan(ONPREM_FILE, ONPREM, (t) => t.replace("bgp: { as: 65020, routerId: 10.80.255.1 }", "bgp: { as: 65030, routerId: 10.80.255.1 }"))).toEqual([
        "host gw: ~ tunnel a: BGP neighbour 169.254.61.1 remote AS: 65020 → 65030",
        "host gw: ~ tunnel b: BGP neighbour 169.254.62.2 remote AS: 65020 → 65030",
        "device dc-router: ~ BGP: as 65020 router-id 10.80.255.1 → as 65030 router-id 10.80.255.1",
      ]);
      expect(plan(ONPREM_FILE, ONPREM, (t) => t.replace("bgp: { preference: secondary }", "bgp: { preference: primary, holdTime: 9s, bfd: true }"))).toEqual([
        "host gw: ~ tunnel b: BGP preference: secondary (local-pref 100, prepend ×2, MED 200) → primary (local-pref 200, prepend ×0, MED 100)",
        "host gw: ~ tunnel b: BGP timers (keepalive/hold): 10s/30s → 3s/9s",
        "host gw: ~ tunnel b: BFD: off → on",
        "device dc-router: ~ tunnel b: BGP preference: secondary (local-pref 100, prepend ×2, MED 200) → primary (local-pref 200, prepend ×0, MED 100)",
        "device dc-router: ~ tunnel b: BGP timers (keepalive/hold): 10s/30s → 3s/9s",
        "device dc-router: ~ tunnel b: BFD: off → on",
      ]);
    });

    it("a moved neighbour (the inside network changed) is a neighbour removed (!) and one added", () => {
      const lines = plan(ONPREM_FILE, ONPREM, (t) => t.replace("inside: 169.254.62.0/30", "inside: 169.254.63.0/30")).filter((l) => l.includes("BGP"));
      expect(lines).toEqual([
        "host gw: ! tunnel b: BGP neighbour 169.254.62.2 removed",
        "host gw: + tunnel b: BGP neighbour 169.254.63.2 added (AS 65020)",
        "device dc-router: ! tunnel b: BGP neighbour 169.254.62.1 removed",
        "device dc-router: + tunnel b: BGP neighbour 169.254.63.1 added (AS 65010)",
      ]);
    });
  });
});
