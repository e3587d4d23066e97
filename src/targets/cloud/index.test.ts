/**
 * The cloud target: Terraform JSON for aws-vpn, azure-vpn-gateway and gcp-ha-vpn peers.
 *
 * `terraform validate` is the real checker for these files, but terraform cannot be installed here (no access
 * to the HashiCorp registry or releases), so every file is parsed back and checked structurally against the
 * documented resource arguments (./check.ts, ./resources.ts), and the checker itself is shown to fail.
 */
import { describe, expect, it } from "vitest";
import { fixtureSite } from "../../../test/helpers/source.js";
import { algorithmOf } from "../../model/crypto.js";
import { AWS_VPN, AZURE_VPN_GATEWAY, CLOUD_PROVIDERS, customerAsnProblem, dpdTimeoutProblem, GCP_HA_VPN, insideProblem, isConfirmed, lifetimeProblem, providerToken } from "../../model/cloud-providers.js";
import { parseCidr } from "../../net/ip.js";
import type { SiteModel } from "../../model/types.js";
import { checkTerraformJson } from "./check.js";
import { cloudTarget } from "./index.js";
import { identifier, literal, reference } from "./terraform.js";

const FIXTURE = "test/fixtures/sites/aws-tgw-bgp.yaml";
const { text: fixtureText, resolve, fixtureWith } = fixtureSite(FIXTURE);

/** The one emitted file, parsed, after the structural check passed. */
function emitted(site: SiteModel, peer = "tgw"): { text: string; doc: any } {
  const artifacts = cloudTarget.emit(site);
  const artifact = artifacts.find((a) => a.path === `cloud/${peer}.tf.json`);
  if (!artifact) throw new Error(`no cloud/${peer}.tf.json among ${artifacts.map((a) => a.path).join(", ")}`);
  expect(artifact.kind).toBe("terraform-json");
  expect(artifact.mode).toBe(0o644);
  expect(checkTerraformJson(artifact.content)).toEqual([]);
  return { text: artifact.content, doc: JSON.parse(artifact.content) };
}

const aws = resolve(fixtureText);

describe("AWS Site-to-Site VPN (transit gateway, BGP)", () => {
  const { text, doc } = emitted(aws);
  const cgw = doc.resource.aws_customer_gateway["tgw_gw-1"];
  const vpn = doc.resource.aws_vpn_connection["tgw_gw-1"];

  it("declares the customer gateway at the host's public address with its AS", () => {
    expect(cgw).toMatchObject({ bgp_asn: 65050, ip_address: "198.51.100.50", type: "ipsec.1" });
  });

  it("attaches one connection with both tunnels to the transit gateway, dynamic routing", () => {
    expect(vpn).toMatchObject({
      customer_gateway_id: "${aws_customer_gateway.tgw_gw-1.id}",
      transit_gateway_id: "tgw-0123456789abcdef0",
      type: "ipsec.1",
      static_routes_only: false,
    });
    expect(vpn.vpn_gateway_id).toBeUndefined();
    expect(Object.keys(doc.resource.aws_vpn_connection)).toEqual(["tgw_gw-1"]);
  });

  it("writes each tunnel's options from the intent in AWS's names", () => {
    expect(vpn).toMatchObject({
      tunnel1_inside_cidr: "169.254.10.0/30",
      tunnel2_inside_cidr: "169.254.10.4/30",
      tunnel1_ike_versions: ["ikev2"],
      tunnel1_phase1_encryption_algorithms: ["AES256"],
      tunnel1_phase1_integrity_algorithms: ["SHA2-256"],
      tunnel1_phase1_dh_group_numbers: [14],
      tunnel1_phase2_encryption_algorithms: ["AES256-GCM-16"],
      tunnel1_phase2_dh_group_numbers: [14],
      tunnel1_phase1_lifetime_seconds: aws.tunnels[0]!.peer.ike.lifetime.seconds,
      tunnel1_phase2_lifetime_seconds: aws.tunnels[0]!.peer.esp.lifetime.seconds,
      tunnel1_dpd_timeout_seconds: aws.tunnels[0]!.peer.dpd.timeout.seconds,
    });
    // AES-GCM authenticates by itself: no integrity algorithm is listed for phase 2.
    expect(vpn.tunnel1_phase2_integrity_algorithms).toBeUndefined();
  });

  it("states the orientation AWS assigns (provider first) and outputs the outside addresses to compare", () => {
    expect(vpn["//"]).toContain("tunnel1 = aws-1: outside 203.0.113.10, inside 169.254.10.1 (provider) / 169.254.10.2 (gw-1)");
    expect(vpn["//"]).toContain("tunnel2 = aws-2: outside 203.0.113.11");
    expect(doc.output["tgw_gw-1_tunnel2_address"].value).toBe("${aws_vpn_connection.tgw_gw-1.tunnel2_address}");
  });

  it("keeps pre-shared keys as sensitive variables, never values", () => {
    expect(vpn.tunnel1_preshared_key).toBe("${var.psk_aws_1}");
    expect(vpn.tunnel2_preshared_key).toBe("${var.psk_aws_2}");
    expect(doc.variable["psk_aws_1"]).toMatchObject({ type: "string", sensitive: true });
    expect(doc.variable["psk_aws_1"].description).toContain("env:AWS_1_PSK");
    for (const t of aws.tunnels) expect(text).not.toContain(t.peer.psk.placeholder);
  });

  it("pins the provider and region", () => {
    expect(doc.terraform.required_providers.aws.source).toBe("hashicorp/aws");
    expect(doc.provider.aws.region).toBe("eu-west-1");
  });

  it("is deterministic with sorted keys", () => {
    expect(cloudTarget.emit(aws)[0]!.content).toBe(text);
    const keys = Object.keys(doc);
    expect(keys).toEqual([...keys].sort());
    expect(Object.keys(vpn)).toEqual([...Object.keys(vpn)].sort());
  });

  it("emits nothing for sites without cloud peers", () => {
    const plain = fixtureWith((i) => {
      i.peers.tgw.platform = "strongswan";
      delete i.peers.tgw.cloud;
    });
    expect(cloudTarget.emit(plain)).toEqual([]);
  });
});

describe("AWS virtual private gateway, static routing", () => {
  const site = fixtureWith((i) => {
    i.peers.tgw.cloud = { gateway: "virtual-private-gateway", region: "eu-west-1" };
    for (const t of Object.values<any>(i.tunnels)) delete t.bgp;
    delete i.tunnels["aws-2"];
  });
  const { doc } = emitted(site);
  const vpn = doc.resource.aws_vpn_connection["tgw_gw-1"];

  it("asks for the gateway id as a variable and routes statically", () => {
    expect(vpn.vpn_gateway_id).toBe("${var.tgw_gateway_id}");
    expect(vpn.transit_gateway_id).toBeUndefined();
    expect(vpn.static_routes_only).toBe(true);
    expect(doc.variable.tgw_gateway_id.type).toBe("string");
    expect(doc.resource.aws_vpn_connection_route["tgw_gw-1_10_50_0_0_16"]).toEqual({
      "//": expect.any(String),
      destination_cidr_block: "10.50.0.0/16",
      vpn_connection_id: "${aws_vpn_connection.tgw_gw-1.id}",
    });
  });
});

describe("Azure VPN Gateway", () => {
  const site = fixtureWith((i) => {
    i.peers.tgw.platform = "azure-vpn-gateway";
    i.peers.tgw.cloud = { region: "westeurope" };
    i.peers.tgw.routing.bgp.as = 65515;
    i.tunnels["aws-1"].inside = "169.254.21.0/30";
    i.tunnels["aws-2"].inside = "169.254.22.0/30";
  });
  const { doc } = emitted(site);

  it("declares one local network gateway per tunnel with the host's BGP address and AS", () => {
    expect(doc.resource.azurerm_local_network_gateway["tgw_aws-1"]).toMatchObject({
      gateway_address: "198.51.100.50",
      location: "westeurope",
      resource_group_name: "${var.tgw_resource_group}",
      address_space: [],
      bgp_settings: { asn: 65050, bgp_peering_address: "169.254.21.2" },
    });
  });

  it("connects it with BGP, the gateway's APIPA address and a custom IPsec policy", () => {
    expect(doc.resource.azurerm_virtual_network_gateway_connection["tgw_aws-2"]).toMatchObject({
      type: "IPsec",
      virtual_network_gateway_id: "${var.tgw_gateway_id}",
      local_network_gateway_id: "${azurerm_local_network_gateway.tgw_aws-2.id}",
      shared_key: "${var.psk_aws_2}",
      connection_protocol: "IKEv2",
      bgp_enabled: true,
      custom_bgp_addresses: { primary: "169.254.22.1" },
      ipsec_policy: {
        ike_encryption: "AES256",
        ike_integrity: "SHA256",
        dh_group: "DHGroup14",
        ipsec_encryption: "GCMAES256",
        ipsec_integrity: "GCMAES256",
        pfs_group: "PFS14",
      },
    });
    expect(doc.provider.azurerm).toEqual({ features: {} });
  });
});

describe("Google Cloud HA VPN", () => {
  const site = fixtureWith((i) => {
    i.peers.tgw.platform = "gcp-ha-vpn";
    i.peers.tgw.cloud = { region: "europe-west1" };
  });
  const { doc } = emitted(site);

  it("declares the external gateway and one tunnel per HA VPN interface", () => {
    expect(doc.resource.google_compute_external_vpn_gateway.tgw).toMatchObject({
      redundancy_type: "SINGLE_IP_INTERNALLY_REDUNDANT",
      interface: [{ id: 0, ip_address: "198.51.100.50" }],
    });
    const tunnels = doc.resource.google_compute_vpn_tunnel;
    expect(tunnels["tgw_aws-1"]).toMatchObject({ vpn_gateway_interface: 0, peer_external_gateway_interface: 0, ike_version: 2, shared_secret: "${var.psk_aws_1}", region: "europe-west1" });
    expect(tunnels["tgw_aws-2"].vpn_gateway_interface).toBe(1);
  });

  it("gives the Cloud Router an interface and a BGP peer per tunnel", () => {
    expect(doc.resource.google_compute_router_interface["tgw_aws-2"]).toMatchObject({
      ip_range: "169.254.10.5/30",
      vpn_tunnel: "${google_compute_vpn_tunnel.tgw_aws-2.name}",
      router: "${var.tgw_router}",
    });
    expect(doc.resource.google_compute_router_peer["tgw_aws-2"]).toMatchObject({
      ip_address: "169.254.10.5",
      peer_ip_address: "169.254.10.6",
      peer_asn: 65050,
      interface: "${google_compute_router_interface.tgw_aws-2.name}",
    });
  });
});

describe("the structural check can fail", () => {
  const good = cloudTarget.emit(aws)[0]!.content;
  const edit = (f: (doc: any) => void): string[] => {
    const doc = JSON.parse(good);
    f(doc);
    return checkTerraformJson(JSON.stringify(doc));
  };

  it.each([
    ["an undocumented argument", (d: any) => (d.resource.aws_vpn_connection["tgw_gw-1"].tunnel1_phase3 = 1), "unknown argument tunnel1_phase3"],
    ["a missing required argument", (d: any) => delete d.resource.aws_customer_gateway["tgw_gw-1"].ip_address, "missing required argument ip_address"],
    ["an unknown resource type", (d: any) => (d.resource.aws_vpn_gateway = { x: {} }), "unknown resource type aws_vpn_gateway"],
    ["a reference to nothing", (d: any) => (d.resource.aws_vpn_connection["tgw_gw-1"].tunnel1_preshared_key = "${var.nope}"), "reference to undeclared var.nope"],
    ["a template directive", (d: any) => (d.resource.aws_customer_gateway["tgw_gw-1"].tags.Name = "%{ if true }x%{ endif }"), "template directive"],
    ["an unknown top-level key", (d: any) => (d.injected = true), "unknown top-level key injected"],
  ])("%s", (_what, f, problem) => {
    expect(edit(f).join("\n")).toContain(problem);
  });

  it("refuses text that is not JSON", () => {
    expect(checkTerraformJson(`${good}}`)[0]).toMatch(/^not JSON/);
  });
});

describe("Terraform JSON quoting", () => {
  it("escapes interpolation and directive openers in literal values", () => {
    expect(literal("a${var.x}b%{if}")).toBe("a$${var.x}b%%{if}");
    expect(checkTerraformJson(JSON.stringify({ output: { o: { value: literal("${var.secret}") } } }))).toEqual([]);
    expect(() => literal("a\nb")).toThrow(/control character/);
  });

  it("builds references and identifiers from names only", () => {
    expect(reference("var", "psk_a-1")).toBe("${var.psk_a-1}");
    expect(() => reference("var", "x}${evil")).toThrow();
    expect(identifier("9peer", "a.b")).toBe("_9peer_a_b");
  });
});

describe("provider facts", () => {
  it("cite a source for every confirmed value and name only strongSwan keywords", () => {
    for (const facts of Object.values(CLOUD_PROVIDERS)) {
      for (const phase of [facts.phase1, facts.phase2]) {
        for (const role of [phase.encryption, phase.integrity, phase.dh]) {
          expect(role.source).toMatch(/^(https:\/\/|hashicorp\/)/);
          for (const name of role.value) expect(algorithmOf(name.strongswan), `${facts.platform} ${name.provider}`).toBeDefined();
        }
        if (isConfirmed(phase.lifetimeSeconds)) expect(phase.lifetimeSeconds.source).toMatch(/^(https:\/\/|hashicorp\/)/);
      }
      for (const fact of [facts.ikeVersions, facts.inside.within, facts.inside.providerTakes, facts.bgp.customerAsnRanges, facts.tunnelsPerConnection]) expect(fact.source).toMatch(/^(https:\/\/|hashicorp\/)/);
    }
  });

  it("translate by algorithm identity, not spelling", () => {
    expect(providerToken(AWS_VPN, 2, "encryption", "aes128gcm128")).toBe("AES128-GCM-16");
    expect(providerToken(AWS_VPN, 1, "dh", "modp2048")).toBe(14);
    expect(providerToken(AWS_VPN, 1, "dh", "modp1536")).toBeUndefined(); // group 5: phase 2 only on AWS
    expect(providerToken(AWS_VPN, 2, "dh", "modp1536")).toBe(5);
    expect(providerToken(AWS_VPN, 1, "encryption", "3des")).toBeUndefined();
    expect(providerToken(AZURE_VPN_GATEWAY, 2, "dh", "ecp384")).toBe("ECP384");
    expect(providerToken(GCP_HA_VPN, 1, "integrity", "sha2_256")).toBe("HMAC-SHA2-256-128");
  });

  it("know the AWS inside-CIDR and ASN rules", () => {
    expect(AWS_VPN.inside.reserved).toMatchObject({ value: expect.arrayContaining(["169.254.169.252/30", "169.254.0.0/30"]) });
    expect(AWS_VPN.inside.providerTakes.value).toBe("first");
    expect(customerAsnProblem(AWS_VPN, 7224)).toMatch(/reserved/);
    expect(customerAsnProblem(AWS_VPN, 65050)).toBeUndefined();
    expect(customerAsnProblem(AZURE_VPN_GATEWAY, 65515)).toMatch(/Azure/);
  });

  it("check inside networks, lifetimes and DPD against the provider's ranges", () => {
    const cidr = (c: string) => parseCidr(c).prefix;
    expect(insideProblem(AWS_VPN, cidr("169.254.10.0/30"))).toBeUndefined();
    expect(insideProblem(AWS_VPN, cidr("169.254.5.0/30"))).toMatch(/reserves/);
    expect(insideProblem(AWS_VPN, cidr("169.254.10.0/29"))).toMatch(/\/30/);
    expect(insideProblem(AWS_VPN, cidr("10.0.0.0/30"))).toMatch(/outside/);
    expect(insideProblem(AZURE_VPN_GATEWAY, cidr("169.254.21.4/30"))).toBeUndefined();
    expect(insideProblem(AZURE_VPN_GATEWAY, cidr("169.254.10.0/30"))).toMatch(/outside/);
    expect(lifetimeProblem(AWS_VPN, 2, 3600)).toBeUndefined();
    expect(lifetimeProblem(AWS_VPN, 2, 28800)).toMatch(/900s to 3600s/);
    expect(lifetimeProblem(GCP_HA_VPN, 1, 28800)).toMatch(/fixes/);
    expect(lifetimeProblem(AZURE_VPN_GATEWAY, 1, 1)).toBeUndefined(); // unconfirmed: not checked
    expect(dpdTimeoutProblem(AWS_VPN, 10)).toMatch(/at least 30s/);
    expect(dpdTimeoutProblem(GCP_HA_VPN, 10)).toBeUndefined();
  });
});

describe("AWS transit gateway connection carrying IPv6 (tunnel_inside_ip_version ipv6)", () => {
  // AWS: one family per connection; IPv6 inside networks are /126s from fd00::/8 (transit gateway only).
  const site = fixtureWith((i) => {
    i.networks = { onprem: "2001:db8:50::/48", vpc: "2001:db8:60::/56" };
    i.tunnels["aws-1"].inside = "fd00:10::/126";
    i.tunnels["aws-2"].inside = "fd00:10::4/126";
  });
  const { doc } = emitted(site);
  const vpn = doc.resource.aws_vpn_connection["tgw_gw-1"];

  it("states the connection's inside family and each tunnel's IPv6 inside network, no IPv4 one", () => {
    expect(vpn.tunnel_inside_ip_version).toBe("ipv6");
    expect(vpn.tunnel1_inside_ipv6_cidr).toBe("fd00:10::/126");
    expect(vpn.tunnel2_inside_ipv6_cidr).toBe("fd00:10::4/126");
    expect(vpn.tunnel1_inside_cidr).toBeUndefined();
    expect(vpn.outside_ip_address_type).toBeUndefined();
  });

  it("an IPv4 connection states neither", () => {
    const plain = emitted(aws).doc.resource.aws_vpn_connection["tgw_gw-1"];
    expect(plain.tunnel_inside_ip_version).toBeUndefined();
    expect(plain.tunnel1_inside_ipv6_cidr).toBeUndefined();
  });
});
