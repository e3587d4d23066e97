/**
 * The Terraform resource arguments the cloud target may write, per resource type, each list from the
 * provider's own documentation (the `website/docs/r/<resource>.html.markdown` page of the provider repository,
 * published on registry.terraform.io). The emitter writes nothing else, and the tests check every emitted
 * argument against these lists (terraform itself is not installable here: no HashiCorp registry access).
 *
 * A nested block is an object (or a list of objects for a repeated block) whose own arguments are listed under
 * `blocks`. `required` lists what the provider requires; the structural check asserts each is present.
 */

export interface ResourceSchema {
  readonly source: string;
  readonly arguments: readonly string[];
  readonly required: readonly string[];
  readonly blocks?: Readonly<Record<string, { readonly arguments: readonly string[]; readonly required: readonly string[]; readonly repeated?: boolean }>>;
}

const TUNNEL_ARGUMENTS = [
  "inside_cidr",
  // A /126 from fd00::/8, with tunnel_inside_ip_version = "ipv6" (transit gateway only): AWS EC2 API
  // TunnelOption.TunnelInsideIpv6Cidr, VpnConnectionOptionsSpecification.TunnelInsideIpVersion.
  "inside_ipv6_cidr",
  "preshared_key",
  "dpd_timeout_action",
  "dpd_timeout_seconds",
  "ike_versions",
  "phase1_dh_group_numbers",
  "phase1_encryption_algorithms",
  "phase1_integrity_algorithms",
  "phase1_lifetime_seconds",
  "phase2_dh_group_numbers",
  "phase2_encryption_algorithms",
  "phase2_integrity_algorithms",
  "phase2_lifetime_seconds",
  "rekey_fuzz_percentage",
  "rekey_margin_time_seconds",
  "replay_window_size",
  "startup_action",
];

export const RESOURCE_SCHEMAS: Readonly<Record<string, ResourceSchema>> = {
  // registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/customer_gateway
  aws_customer_gateway: {
    source: "hashicorp/terraform-provider-aws website/docs/r/customer_gateway.html.markdown",
    arguments: ["bgp_asn", "device_name", "ip_address", "type", "tags"],
    required: ["bgp_asn", "ip_address", "type"],
  },
  // registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpn_connection
  aws_vpn_connection: {
    source: "hashicorp/terraform-provider-aws website/docs/r/vpn_connection.html.markdown",
    arguments: [
      "customer_gateway_id",
      "type",
      "transit_gateway_id",
      "vpn_gateway_id",
      "static_routes_only",
      "enable_acceleration",
      "tags",
      "local_ipv4_network_cidr",
      "remote_ipv4_network_cidr",
      "tunnel_inside_ip_version",
      // PrivateIpv4 | PublicIpv4 | Ipv6 (AWS EC2 API VpnConnectionOptionsSpecification.OutsideIpAddressType; with
      // Ipv6 the customer gateway's ip_address is its public IPv6 address: API CustomerGateway.ipAddress).
      "outside_ip_address_type",
      ...[1, 2].flatMap((n) => TUNNEL_ARGUMENTS.map((a) => `tunnel${n}_${a}`)),
    ],
    required: ["customer_gateway_id", "type"],
  },
  // registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpn_connection_route
  aws_vpn_connection_route: {
    source: "hashicorp/terraform-provider-aws website/docs/r/vpn_connection_route.html.markdown",
    arguments: ["destination_cidr_block", "vpn_connection_id"],
    required: ["destination_cidr_block", "vpn_connection_id"],
  },
  // registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/local_network_gateway
  azurerm_local_network_gateway: {
    source: "hashicorp/terraform-provider-azurerm website/docs/r/local_network_gateway.html.markdown",
    arguments: ["name", "resource_group_name", "location", "gateway_address", "gateway_fqdn", "address_space", "bgp_settings", "tags"],
    required: ["name", "resource_group_name", "location"],
    blocks: { bgp_settings: { arguments: ["asn", "bgp_peering_address", "peer_weight"], required: ["asn", "bgp_peering_address"] } },
  },
  // registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_gateway_connection
  // (azurerm 4.x: `enable_bgp` is `bgp_enabled`).
  azurerm_virtual_network_gateway_connection: {
    source: "hashicorp/terraform-provider-azurerm website/docs/r/virtual_network_gateway_connection.html.markdown",
    arguments: [
      "name",
      "resource_group_name",
      "location",
      "type",
      "virtual_network_gateway_id",
      "local_network_gateway_id",
      "routing_weight",
      "shared_key",
      "connection_protocol",
      "bgp_enabled",
      "dpd_timeout_seconds",
      "custom_bgp_addresses",
      "use_policy_based_traffic_selectors",
      "ipsec_policy",
      "tags",
    ],
    required: ["name", "resource_group_name", "location", "type", "virtual_network_gateway_id"],
    blocks: {
      ipsec_policy: {
        arguments: ["dh_group", "ike_encryption", "ike_integrity", "ipsec_encryption", "ipsec_integrity", "pfs_group", "sa_datasize", "sa_lifetime"],
        required: ["dh_group", "ike_encryption", "ike_integrity", "ipsec_encryption", "ipsec_integrity", "pfs_group"],
      },
      custom_bgp_addresses: { arguments: ["primary", "secondary"], required: ["primary"] },
    },
  },
  // registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_external_vpn_gateway
  google_compute_external_vpn_gateway: {
    source: "hashicorp/terraform-provider-google website/docs/r/compute_external_vpn_gateway.html.markdown",
    arguments: ["name", "description", "labels", "redundancy_type", "interface", "project"],
    required: ["name"],
    blocks: { interface: { arguments: ["id", "ip_address"], required: [], repeated: true } },
  },
  // registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_vpn_tunnel
  google_compute_vpn_tunnel: {
    source: "hashicorp/terraform-provider-google website/docs/r/compute_vpn_tunnel.html.markdown",
    arguments: [
      "name",
      "shared_secret",
      "description",
      "target_vpn_gateway",
      "vpn_gateway",
      "vpn_gateway_interface",
      "peer_external_gateway",
      "peer_external_gateway_interface",
      "peer_gcp_gateway",
      "router",
      "peer_ip",
      "ike_version",
      "local_traffic_selector",
      "remote_traffic_selector",
      "labels",
      "region",
      "project",
    ],
    required: ["name", "shared_secret"],
  },
  // registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_router_interface
  google_compute_router_interface: {
    source: "hashicorp/terraform-provider-google website/docs/r/compute_router_interface.html.markdown",
    arguments: ["name", "router", "ip_range", "vpn_tunnel", "interconnect_attachment", "redundant_interface", "subnetwork", "private_ip_address", "region", "project"],
    required: ["name", "router"],
  },
  // registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_router_peer
  google_compute_router_peer: {
    source: "hashicorp/terraform-provider-google website/docs/r/compute_router_peer.html.markdown",
    arguments: [
      "name",
      "interface",
      "peer_ip_address",
      "peer_asn",
      "router",
      "ip_address",
      "advertised_route_priority",
      "advertise_mode",
      "advertised_groups",
      "advertised_ip_ranges",
      "bfd",
      "enable",
      "region",
      "project",
    ],
    required: ["name", "interface", "peer_asn", "router"],
    blocks: {
      bfd: { arguments: ["session_initialization_mode", "min_transmit_interval", "min_receive_interval", "multiplier"], required: ["session_initialization_mode"] },
      advertised_ip_ranges: { arguments: ["range", "description"], required: ["range"], repeated: true },
    },
  },
};

/** Top-level keys of a Terraform JSON file (developer.hashicorp.com/terraform/language/syntax/json). */
export const TOP_LEVEL_KEYS: readonly string[] = ["//", "terraform", "provider", "variable", "resource", "output", "locals", "data", "module"];

/** Arguments of a `variable` block (developer.hashicorp.com/terraform/language/values/variables). */
export const VARIABLE_ARGUMENTS: readonly string[] = ["type", "description", "sensitive", "default", "nullable", "validation", "ephemeral"];

/** Arguments of an `output` block (developer.hashicorp.com/terraform/language/values/outputs). */
export const OUTPUT_ARGUMENTS: readonly string[] = ["value", "description", "sensitive", "depends_on", "precondition", "ephemeral"];
