/**
 * The cloud side of managed VPN peers as Terraform JSON: `cloud/<peer>.tf.json` for every peer whose platform
 * is aws-vpn, azure-vpn-gateway or gcp-ha-vpn. sitewire configures no cloud device; a GitOps Terraform pipeline
 * applies this file. It declares what the provider must agree to for the tunnels the intent defines: outside
 * and inside addresses, IKE version, proposals, lifetimes, DPD and BGP.
 *
 * - Pre-shared keys are Terraform variables (`sensitive = true`) named after the tunnel; the file never holds a
 *   key or sitewire's placeholder. The variable's description names the sitewire secret reference to feed it.
 * - An existing gateway is referenced by `peers.<p>.cloud.gatewayId`, else by a variable.
 * - Provider facts (names of algorithms, which end takes which inside address, …) come from
 *   src/model/cloud-providers.ts; resource argument names from ./resources.ts (each with its doc page).
 * - Preference between redundant tunnels is only applied on the host side for cloud peers (the providers set
 *   their own), see the FRR target.
 * Unsupported values (an algorithm the provider lacks) are left out of the file here; rule SW166 reports them.
 */
import { isAead } from "../../model/crypto.js";
import { AWS_CUSTOMER_GATEWAY_DEFAULT_ASN, providerFacts, providerToken, type ProviderFacts } from "../../model/cloud-providers.js";
import type { HostModel, PeerModel, Proposal, SiteModel, TunnelModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";
import { RESOURCE_SCHEMAS } from "./resources.js";
import { identifier, literal, reference, stringifySorted, type Json } from "./terraform.js";

export const CLOUD_DIR = "cloud";

type Block = { [key: string]: Json };

/** One Terraform JSON document under construction. */
class Document {
  readonly variables: Record<string, Block> = {};
  readonly outputs: Record<string, Block> = {};
  readonly resources: Record<string, Record<string, Block>> = {};

  /**
   * A variable, named with underscores only (intent names never hold `_`, so no two collide) so that it can
   * be set from the environment as TF_VAR_<name>.
   */
  variable(name: string, block: Block): string {
    const id = name.replace(/-/g, "_");
    this.variables[id] = block;
    return reference("var", id);
  }

  output(name: string, value: string, description: string): void {
    this.outputs[name] = { value, description };
  }

  resource(type: string, name: string, block: Block): void {
    const note = typeof block["//"] === "string" ? ` | ${block["//"]}` : "";
    (this.resources[type] ??= {})[name] = { ...block, "//": `${RESOURCE_SCHEMAS[type]!.source}${note}` };
  }
}

function pskVariable(doc: Document, tunnel: TunnelModel): string {
  const psk = tunnel.peer.psk;
  return doc.variable(identifier("psk", tunnel.name), {
    type: "string",
    sensitive: true,
    description: `Pre-shared key of tunnel ${tunnel.name}: the value of sitewire secret ${psk.kind}:${literal(psk.ref)} (never written by sitewire).`,
  });
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Provider names for the tokens of one role across the proposals; unsupported tokens are left out. */
function tokens(facts: ProviderFacts, phase: 1 | 2, role: "encryption" | "integrity" | "dh", proposals: readonly Proposal[]): (string | number)[] {
  const words = proposals.flatMap((p) => (role === "integrity" && phase === 1 ? [...p.integrity, ...p.prf.map((f) => f.replace(/^prf/, ""))] : p[role]));
  return unique(words.map((w) => providerToken(facts, phase, role, w)).filter((t): t is string | number => t !== undefined));
}

function hostOf(site: SiteModel, tunnel: TunnelModel): HostModel {
  return site.hosts.find((h) => h.name === tunnel.host.node)!;
}

function hostAs(site: SiteModel, tunnel: TunnelModel): number | undefined {
  return tunnel.bgp?.host.as ?? hostOf(site, tunnel).bgp?.as;
}

/** The provider's inside address and the host's, as the model oriented them (insideOrder). */
function insideOf(tunnel: TunnelModel): { provider?: string; host?: string; length?: number } {
  return {
    provider: tunnel.bgp?.peer.address ?? tunnel.peer.insideAddress?.address,
    host: tunnel.bgp?.host.address ?? tunnel.host.insideAddress?.address,
    length: tunnel.inside?.length,
  };
}

/** What the provider end must be for one tunnel, for the reviewer: outside address and inside orientation. */
function expectation(t: TunnelModel): string {
  const inside = insideOf(t);
  const orientation = inside.provider ? `, inside ${inside.provider} (provider) / ${inside.host} (${t.host.node})` : "";
  return `outside ${t.peer.localAddress}${orientation}`;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Tunnels grouped by the host address the provider sees (one customer / local / external gateway each). */
function byHostAddress(tunnels: readonly TunnelModel[]): Map<string, TunnelModel[]> {
  const groups = new Map<string, TunnelModel[]>();
  for (const t of tunnels) {
    const key = `${t.host.node}\u0000${t.host.reachableAddress}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return groups;
}

function gatewayReference(doc: Document, peer: PeerModel, what: string): string {
  return peer.cloud?.gatewayId
    ? literal(peer.cloud.gatewayId)
    : doc.variable(identifier(peer.name, "gateway_id"), { type: "string", description: `${what} the VPN of peer ${peer.name} attaches to.` });
}

// ---------------------------------------------------------------------------------------------------------

const DPD_ACTION_AWS: Readonly<Record<TunnelModel["peer"]["dpd"]["action"], string>> = {
  restart: "restart",
  clear: "clear",
  // strongSwan/IOS "hold" keeps the SA trapped; AWS's closest action is "none" (take no action).
  hold: "none",
};

function aws(site: SiteModel, peer: PeerModel, tunnels: readonly TunnelModel[], doc: Document, facts: ProviderFacts): Block {
  const transit = peer.cloud?.gateway !== "virtual-private-gateway";
  const gateway = gatewayReference(doc, peer, transit ? "Transit gateway id (tgw-…) that" : "Virtual private gateway id (vgw-…) that");
  for (const [, group] of byHostAddress(tunnels)) {
    const first = group[0]!;
    const host = hostOf(site, first);
    const cgw = identifier(peer.name, host.name, ...(group.length === tunnels.length ? [] : [first.host.reachableAddress.replace(/\./g, "_")]));
    doc.resource("aws_customer_gateway", cgw, {
      bgp_asn: hostAs(site, first) ?? AWS_CUSTOMER_GATEWAY_DEFAULT_ASN.value,
      ip_address: first.host.reachableAddress,
      type: "ipsec.1",
      tags: { Name: literal(`${site.name}-${host.name}`) },
    });
    chunks(group, facts.tunnelsPerConnection.value).forEach((pair, index) => {
      const name = index === 0 ? cgw : identifier(cgw, String(index + 1));
      const connection: Block = {
        customer_gateway_id: reference("aws_customer_gateway", cgw, "id"),
        [transit ? "transit_gateway_id" : "vpn_gateway_id"]: gateway,
        type: "ipsec.1",
        static_routes_only: !pair.every((t) => t.bgp),
        // One family per connection (SW166): IPv6 inside addresses and IPv6 outside addresses are options of
        // the connection, not of a tunnel (AWS EC2 API VpnConnectionOptionsSpecification).
        ...(pair.some((t) => t.inside?.family === 6) ? { tunnel_inside_ip_version: "ipv6" } : {}),
        ...(pair.some((t) => t.outerFamily === 6) ? { outside_ip_address_type: "Ipv6" } : {}),
        tags: { Name: literal(`${site.name}-${pair.map((t) => t.name).join("-")}`) },
      };
      pair.forEach((t, i) => Object.assign(connection, awsTunnel(t, i + 1, doc, facts)));
      // AWS assigns the outside addresses; the intent's must equal them (compare with these outputs).
      connection["//"] = pair.map((t, i) => `tunnel${i + 1} = ${t.name}: ${expectation(t)}`).join("; ");
      doc.resource("aws_vpn_connection", name, connection);
      pair.forEach((t, i) =>
        doc.output(identifier(name, `tunnel${i + 1}`, "address"), reference("aws_vpn_connection", name, `tunnel${i + 1}_address`), `AWS outside address of tunnel ${t.name}: must be ${t.peer.localAddress} (the intent's)`),
      );
      // Static routing: the networks behind the host, routed by the VGW into the connection. A transit gateway
      // routes with its route tables instead (aws_ec2_transit_gateway_route), which need ids sitewire lacks.
      if (!transit)
        for (const t of pair.filter((x) => !x.bgp))
          for (const prefix of t.toHost)
            doc.resource("aws_vpn_connection_route", identifier(name, prefix.cidr.replace(/[./]/g, "_")), {
              destination_cidr_block: prefix.cidr,
              vpn_connection_id: reference("aws_vpn_connection", name, "id"),
            });
    });
  }
  return { aws: { region: peer.cloud?.region ? literal(peer.cloud.region) : null } };
}

function awsTunnel(t: TunnelModel, n: number, doc: Document, facts: ProviderFacts): Block {
  const end = t.peer;
  const pfs = end.esp.pfsGroup ? [end.esp.pfsGroup] : [];
  const options: Block = {
    [t.inside?.family === 6 ? "inside_ipv6_cidr" : "inside_cidr"]: t.inside?.cidr ?? null,
    preshared_key: pskVariable(doc, t),
    ike_versions: [`ikev${end.ike.version}`],
    phase1_encryption_algorithms: tokens(facts, 1, "encryption", end.ike.proposals),
    phase1_integrity_algorithms: tokens(facts, 1, "integrity", end.ike.proposals),
    phase1_dh_group_numbers: tokens(facts, 1, "dh", end.ike.proposals),
    phase1_lifetime_seconds: end.ike.lifetime.seconds,
    phase2_encryption_algorithms: tokens(facts, 2, "encryption", end.esp.proposals),
    phase2_integrity_algorithms: tokens(facts, 2, "integrity", end.esp.proposals),
    phase2_dh_group_numbers: tokens(facts, 2, "dh", [...end.esp.proposals, ...pfs.map((dh) => ({ text: dh, encryption: [], integrity: [], prf: [], dh: [dh] }))]),
    phase2_lifetime_seconds: end.esp.lifetime.seconds,
    dpd_timeout_seconds: end.dpd.timeout.seconds,
    dpd_timeout_action: DPD_ACTION_AWS[end.dpd.action],
  };
  const out: Block = {};
  for (const [k, v] of Object.entries(options)) {
    // An empty list would mean "the provider's defaults", which is not what the intent says: leave the
    // argument out and let SW166 report the unsupported algorithm.
    if (v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[`tunnel${n}_${k}`] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

function azure(site: SiteModel, peer: PeerModel, tunnels: readonly TunnelModel[], doc: Document, facts: ProviderFacts): Block {
  const gateway = gatewayReference(doc, peer, "Resource id of the Azure virtual network gateway");
  const group = doc.variable(identifier(peer.name, "resource_group"), { type: "string", description: `Azure resource group of the gateway of peer ${peer.name}.` });
  const location = peer.cloud?.region
    ? literal(peer.cloud.region)
    : doc.variable(identifier(peer.name, "location"), { type: "string", description: `Azure region of the gateway of peer ${peer.name}.` });
  for (const t of tunnels) {
    const name = identifier(peer.name, t.name);
    const inside = insideOf(t);
    const as = hostAs(site, t);
    doc.resource("azurerm_local_network_gateway", name, {
      name: literal(`${site.name}-${t.name}`),
      resource_group_name: group,
      location,
      gateway_address: t.host.reachableAddress,
      // With BGP the far networks come from the session; without it they are the local network's address space.
      address_space: t.bgp ? [] : t.toHost.map((p) => p.cidr),
      ...(t.bgp && as !== undefined && inside.host ? { bgp_settings: { asn: as, bgp_peering_address: inside.host } } : {}),
    });
    const policy = azurePolicy(t, facts);
    doc.resource("azurerm_virtual_network_gateway_connection", name, {
      name: literal(`${site.name}-${t.name}`),
      resource_group_name: group,
      location,
      "//": expectation(t),
      type: "IPsec",
      virtual_network_gateway_id: gateway,
      local_network_gateway_id: reference("azurerm_local_network_gateway", name, "id"),
      shared_key: pskVariable(doc, t),
      connection_protocol: `IKEv${t.peer.ike.version}`,
      bgp_enabled: t.bgp !== undefined,
      dpd_timeout_seconds: t.peer.dpd.timeout.seconds,
      // The gateway's own APIPA BGP address for this tunnel; it must be one of the gateway's configured
      // apipa_addresses (azurerm_virtual_network_gateway bgp_settings.peering_addresses).
      ...(t.bgp && inside.provider ? { custom_bgp_addresses: { primary: inside.provider } } : {}),
      ...(policy ? { ipsec_policy: policy } : {}),
    });
  }
  return { azurerm: { features: {} } };
}

/** Azure's custom policy takes one algorithm per role: the first proposal of each phase. */
function azurePolicy(t: TunnelModel, facts: ProviderFacts): Block | undefined {
  const ike = t.peer.ike.proposals[0];
  const esp = t.peer.esp.proposals[0];
  if (!ike || !esp) return undefined;
  const ikeEncryption = ike.encryption[0] && providerToken(facts, 1, "encryption", ike.encryption[0]);
  const ikeIntegrity = ike.encryption[0] && isAead(ike.encryption[0]) ? ikeEncryption : firstToken(facts, 1, "integrity", [...ike.integrity, ...ike.prf.map((f) => f.replace(/^prf/, ""))]);
  const dh = firstToken(facts, 1, "dh", ike.dh);
  const espEncryption = esp.encryption[0] && providerToken(facts, 2, "encryption", esp.encryption[0]);
  const espIntegrity = esp.encryption[0] && isAead(esp.encryption[0]) ? espEncryption : firstToken(facts, 2, "integrity", esp.integrity);
  const pfsWord = esp.dh[0] ?? t.peer.esp.pfsGroup;
  const pfs = pfsWord === undefined ? "None" : providerToken(facts, 2, "dh", pfsWord);
  const values = [ikeEncryption, ikeIntegrity, dh, espEncryption, espIntegrity, pfs];
  if (values.some((v) => v === undefined || v === "")) return undefined;
  return {
    ike_encryption: ikeEncryption!,
    ike_integrity: ikeIntegrity!,
    dh_group: dh!,
    ipsec_encryption: espEncryption!,
    ipsec_integrity: espIntegrity!,
    pfs_group: pfs!,
    sa_lifetime: t.peer.esp.lifetime.seconds,
  };
}

function firstToken(facts: ProviderFacts, phase: 1 | 2, role: "integrity" | "dh", words: readonly string[]): string | number | undefined {
  for (const w of words) {
    const token = providerToken(facts, phase, role, w);
    if (token !== undefined) return token;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------

/** HA VPN external gateway redundancy types by interface count (google_compute_external_vpn_gateway). */
const REDUNDANCY: Readonly<Record<number, string>> = { 1: "SINGLE_IP_INTERNALLY_REDUNDANT", 2: "TWO_IPS_REDUNDANCY", 4: "FOUR_IPS_REDUNDANCY" };

/** Google Cloud resource names: RFC 1035 labels, at most 63 characters. */
function gcpName(...parts: readonly string[]): string {
  return literal(parts.join("-").slice(0, 63).replace(/-+$/, ""));
}

function gcp(site: SiteModel, peer: PeerModel, tunnels: readonly TunnelModel[], doc: Document): Block {
  const gateway = gatewayReference(doc, peer, "Self link or id of the HA VPN gateway");
  const router = doc.variable(identifier(peer.name, "router"), { type: "string", description: `Name of the Cloud Router of peer ${peer.name} (its ASN is peers.${peer.name}.routing.bgp.as).` });
  const region = peer.cloud?.region ? literal(peer.cloud.region) : null;
  const addresses = unique(tunnels.map((t) => t.host.reachableAddress));
  const external = identifier(peer.name);
  doc.resource("google_compute_external_vpn_gateway", external, {
    name: gcpName(site.name, peer.name),
    redundancy_type: REDUNDANCY[addresses.length] ?? REDUNDANCY[4]!,
    interface: addresses.map((ip_address, id) => ({ id, ip_address })),
  });
  tunnels.forEach((t, index) => {
    const name = identifier(peer.name, t.name);
    doc.resource("google_compute_vpn_tunnel", name, {
      "//": expectation(t),
      name: gcpName(site.name, t.name),
      region,
      vpn_gateway: gateway,
      vpn_gateway_interface: index % 2,
      peer_external_gateway: reference("google_compute_external_vpn_gateway", external, "id"),
      peer_external_gateway_interface: addresses.indexOf(t.host.reachableAddress),
      shared_secret: pskVariable(doc, t),
      ike_version: t.peer.ike.version,
      router,
    });
    const inside = insideOf(t);
    const as = hostAs(site, t);
    if (!t.bgp || !inside.provider || !inside.host || as === undefined) return;
    doc.resource("google_compute_router_interface", name, {
      name: gcpName(site.name, t.name),
      router,
      region,
      ip_range: `${inside.provider}/${inside.length}`,
      vpn_tunnel: reference("google_compute_vpn_tunnel", name, "name"),
    });
    doc.resource("google_compute_router_peer", name, {
      name: gcpName(site.name, t.name),
      router,
      region,
      interface: reference("google_compute_router_interface", name, "name"),
      ip_address: inside.provider,
      peer_ip_address: inside.host,
      peer_asn: as,
      ...(t.bgp.bfd ? { bfd: { session_initialization_mode: "ACTIVE" } } : {}),
    });
  });
  return { google: { region } };
}

// ---------------------------------------------------------------------------------------------------------

const PROVIDER_SOURCE: Readonly<Record<string, { readonly name: string; readonly source: string; readonly version: string }>> = {
  aws: { name: "aws", source: "hashicorp/aws", version: ">= 5.0" },
  // azurerm 4.x: the connection's BGP switch is `bgp_enabled` (was `enable_bgp` in 3.x).
  azure: { name: "azurerm", source: "hashicorp/azurerm", version: ">= 4.0" },
  gcp: { name: "google", source: "hashicorp/google", version: ">= 5.0" },
};

/** The Terraform JSON for one cloud peer; undefined for a peer that is no cloud gateway. */
export function cloudDocument(site: SiteModel, peer: PeerModel): string | undefined {
  const facts = providerFacts(peer.platform);
  if (!facts) return undefined;
  const tunnels = site.tunnels.filter((t) => t.peer.node === peer.name);
  const doc = new Document();
  const providerBlock =
    facts.provider === "aws" ? aws(site, peer, tunnels, doc, facts) : facts.provider === "azure" ? azure(site, peer, tunnels, doc, facts) : gcp(site, peer, tunnels, doc);
  const provider = PROVIDER_SOURCE[facts.provider]!;
  const config = Object.fromEntries(Object.entries(providerBlock[provider.name] as Block).filter(([, v]) => v !== null));
  return stringifySorted({
    "//": `Generated by sitewire from ${site.source.file} (site ${site.name}, peer ${peer.name}, ${facts.title}). Do not edit: change the intent and recompile. Apply with Terraform; set the psk_* variables from the secrets they name.`,
    terraform: { required_providers: { [provider.name]: { source: provider.source, version: provider.version } } },
    provider: { [provider.name]: config },
    ...(Object.keys(doc.variables).length ? { variable: doc.variables } : {}),
    ...(Object.keys(doc.outputs).length ? { output: doc.outputs } : {}),
    resource: doc.resources,
  });
}

export const cloudTarget: Target = {
  name: "cloud",
  description: "Terraform JSON for the cloud side of managed VPN peers (AWS, Azure, Google Cloud)",
  kinds: { "terraform-json": { text: "Terraform JSON for the cloud side of a managed VPN", handler: "none", mode: 0o644, appliedBy: "your Terraform pipeline (terraform apply)" } },
  emit(site: SiteModel): Artifact[] {
    return site.peers.flatMap((peer) => {
      const content = cloudDocument(site, peer);
      return content === undefined ? [] : [{ path: `${CLOUD_DIR}/${peer.name}.tf.json`, content, mode: 0o644, kind: "terraform-json" as const }];
    });
  },
};
