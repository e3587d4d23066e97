/**
 * What the managed cloud VPN gateways fix, as data: AWS Site-to-Site VPN (platform aws-vpn), Azure VPN Gateway
 * (azure-vpn-gateway) and Google Cloud HA VPN (gcp-ha-vpn). Every value carries the documentation page it comes
 * from (`source`). Where a value could not be confirmed from a provider page, the field says so (`unconfirmed`)
 * instead of guessing; rules must treat an unconfirmed fact as "not checked", never as a limit.
 *
 * Algorithms are mapped to strongSwan keywords (src/model/strongswan-keywords.ts) so that rules and emitters
 * compare identities (src/model/crypto.ts identityOf), not spellings: `providerToken` turns a strongSwan
 * keyword of an intent proposal into the provider's own spelling (e.g. aes128gcm16 → "AES128-GCM-16" on AWS).
 *
 * Pure data and pure functions: no target imports. The cloud target (src/targets/cloud) and the rules (SW164,
 * SW166) both read it.
 */
import { containsPrefix, overlaps, parseCidr } from "../net/ip.js";
import { identityOf } from "./crypto.js";
import { CLOUD_PLATFORMS, isCloudPlatform, type CloudPlatform, type PeerCloud, type Prefix } from "./types.js";

export { CLOUD_PLATFORMS, isCloudPlatform, type CloudPlatform };
export type CloudProvider = PeerCloud["provider"];

/** One fixed value and where it comes from. */
export interface Fact<T> {
  readonly value: T;
  readonly source: string;
  /** Set when the value is the best reading of the sources but not stated verbatim by the provider. */
  readonly note?: string;
}

/** A value the provider does not document (or that sitewire could not confirm): not checked. */
export interface Unconfirmed {
  readonly unconfirmed: string;
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** One provider algorithm name and the strongSwan keyword that negotiates it. */
export interface AlgorithmName {
  readonly provider: string | number;
  readonly strongswan: string;
}

export interface PhaseFacts {
  readonly encryption: Fact<readonly AlgorithmName[]>;
  readonly integrity: Fact<readonly AlgorithmName[]>;
  readonly dh: Fact<readonly AlgorithmName[]>;
  readonly lifetimeSeconds: Fact<Range & { readonly default: number }> | Unconfirmed;
}

export interface InsideFacts {
  /** Where inside networks must come from. */
  readonly within: Fact<readonly string[]>;
  readonly prefixLength: Fact<number>;
  readonly reserved: Fact<readonly string[]> | Unconfirmed;
  /**
   * Which end of the inside /30 the provider takes: "first" = the first usable address (sitewire
   * insideOrder peer-first), "configurable" = you choose both addresses (either order works).
   */
  readonly providerTakes: Fact<"first" | "configurable">;
}

export interface BgpFacts {
  /** The provider side's default ASN. */
  readonly providerDefaultAsn: Fact<number> | Unconfirmed;
  /** ASNs the customer side may use (inclusive ranges). */
  readonly customerAsnRanges: Fact<readonly Range[]>;
  /** ASNs the customer side must not use (inclusive ranges), with why. */
  readonly reservedAsns: Fact<readonly (Range & { readonly why: string })[]>;
  readonly holdTimeSeconds: Fact<number> | Unconfirmed;
  readonly keepaliveSeconds: Fact<number> | Unconfirmed;
}

export interface ProviderFacts {
  readonly platform: CloudPlatform;
  readonly provider: CloudProvider;
  readonly title: string;
  /** Gateways a connection attaches to (intent peers.<p>.cloud.gateway). */
  readonly gateways: Fact<readonly string[]>;
  readonly defaultGateway?: string;
  readonly ikeVersions: Fact<readonly (1 | 2)[]>;
  readonly phase1: PhaseFacts;
  readonly phase2: PhaseFacts;
  readonly dpd: {
    readonly timeoutSeconds: Fact<{ readonly min?: number; readonly max?: number; readonly default: number }> | Unconfirmed;
    readonly actions?: Fact<readonly string[]>;
  };
  readonly inside: InsideFacts;
  readonly bgp: BgpFacts;
  readonly tunnelsPerConnection: Fact<number>;
  /** Does the provider route over the tunnel without BGP? */
  readonly staticRouting: Fact<boolean>;
  /** IPv6 on the provider's tunnels (issue 16; SW166 reads it). */
  readonly ipv6: Ipv6Facts;
}

/** What a cloud VPN does with IPv6: on which gateways, inside, outside, both families at once. */
export interface Ipv6Facts {
  /** Gateways (PeerCloud.gateway values) whose tunnels can carry IPv6 at all; empty: none. */
  readonly gateways: Fact<readonly string[]>;
  /** IPv6 inside a tunnel (IPv6 inside addresses and networks). */
  readonly inside: Fact<boolean>;
  /** Both families in one tunnel (inside6 beside an IPv4 inside); false: one family per connection. */
  readonly dualStack: Fact<boolean>;
  /** IKE/ESP between IPv6 outer addresses. */
  readonly outer: Fact<boolean>;
  /** IPv6 inside networks: where they must come from and their length (absent: not stated). */
  readonly insideWithin?: Fact<{ readonly within: string; readonly prefixLength: number }>;
}

// ---------------------------------------------------------------------------------------------------------
// AWS Site-to-Site VPN
// ---------------------------------------------------------------------------------------------------------

const AWS_TUNNEL_OPTIONS = "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html";
const AWS_API_TUNNEL = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html";
const AWS_API_MODIFY = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpnTunnelOptionsSpecification.html";
const AWS_CGW = "https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html";
const AWS_ROUTING = "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html";
const TF_AWS_VPN = "hashicorp/terraform-provider-aws website/docs/r/vpn_connection.html.markdown";
const AWS_HOW_IT_WORKS = "https://docs.aws.amazon.com/vpn/latest/s2svpn/how_it_works.html";
const AWS_API_OPTIONS = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnConnectionOptionsSpecification.html";
const AWS_TGW_CLI = "https://docs.aws.amazon.com/vpn/latest/s2svpn/create-tgw-cli-api.html";

/** AWS DH group numbers (RFC 3526 / 5114 / 5903 IANA numbers) and the strongSwan keywords for them. */
const AWS_DH = (numbers: readonly number[]): AlgorithmName[] =>
  numbers.map((n) => ({ provider: n, strongswan: IANA_DH[n]! }));

/** IANA IKEv2 Transform Type 4 numbers → strongSwan keywords (strongswan-keywords.ts). */
const IANA_DH: Readonly<Record<number, string>> = {
  1: "modp768",
  2: "modp1024",
  5: "modp1536",
  14: "modp2048",
  15: "modp3072",
  16: "modp4096",
  17: "modp6144",
  18: "modp8192",
  19: "ecp256",
  20: "ecp384",
  21: "ecp521",
  22: "modp1024s160",
  23: "modp2048s224",
  24: "modp2048s256",
  31: "curve25519",
};

const AWS_ENCRYPTION: readonly AlgorithmName[] = [
  { provider: "AES128", strongswan: "aes128" },
  { provider: "AES256", strongswan: "aes256" },
  { provider: "AES128-GCM-16", strongswan: "aes128gcm16" },
  { provider: "AES256-GCM-16", strongswan: "aes256gcm16" },
];
const AWS_INTEGRITY: readonly AlgorithmName[] = [
  { provider: "SHA1", strongswan: "sha1" },
  { provider: "SHA2-256", strongswan: "sha256" },
  { provider: "SHA2-384", strongswan: "sha384" },
  { provider: "SHA2-512", strongswan: "sha512" },
];

export const AWS_VPN: ProviderFacts = {
  platform: "aws-vpn",
  provider: "aws",
  title: "AWS Site-to-Site VPN",
  gateways: { value: ["transit-gateway", "virtual-private-gateway"], source: "https://docs.aws.amazon.com/vpn/latest/s2svpn/how_it_works.html" },
  ikeVersions: { value: [1, 2], source: AWS_API_TUNNEL },
  phase1: {
    encryption: { value: AWS_ENCRYPTION, source: AWS_API_TUNNEL },
    integrity: { value: AWS_INTEGRITY, source: AWS_API_TUNNEL },
    dh: { value: AWS_DH([2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]), source: AWS_API_TUNNEL },
    lifetimeSeconds: { value: { min: 900, max: 28800, default: 28800 }, source: AWS_API_TUNNEL },
  },
  phase2: {
    encryption: { value: AWS_ENCRYPTION, source: AWS_API_TUNNEL },
    integrity: { value: AWS_INTEGRITY, source: AWS_API_TUNNEL },
    dh: { value: AWS_DH([2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]), source: AWS_API_TUNNEL },
    lifetimeSeconds: { value: { min: 900, max: 3600, default: 3600 }, source: AWS_API_TUNNEL },
  },
  dpd: {
    timeoutSeconds: {
      value: { min: 30, default: 40 },
      source: AWS_API_MODIFY,
      note: "API_VpnTunnelOptionsSpecification and the Terraform provider docs (" + TF_AWS_VPN + ") still say default 30; the tunnel options page and ModifyVpnTunnelOptionsSpecification say 40. sitewire always sets it explicitly.",
    },
    actions: { value: ["clear", "none", "restart"], source: AWS_API_TUNNEL },
  },
  inside: {
    within: { value: ["169.254.0.0/16"], source: AWS_API_TUNNEL },
    prefixLength: { value: 30, source: AWS_API_TUNNEL },
    reserved: {
      value: [
        "169.254.0.0/30",
        "169.254.1.0/30",
        "169.254.2.0/30",
        "169.254.3.0/30",
        "169.254.4.0/30",
        "169.254.5.0/30",
        "169.254.169.252/30",
      ],
      source: AWS_API_TUNNEL,
    },
    providerTakes: {
      value: "first",
      source: AWS_TUNNEL_OPTIONS,
      note: "The downloaded configuration gives the virtual private / transit gateway the first usable address of the /30 and the customer gateway the second (Terraform exports them as tunnel1_vgw_inside_address / tunnel1_cgw_inside_address).",
    },
  },
  bgp: {
    providerDefaultAsn: {
      value: 64512,
      source: "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html",
      note: "Amazon side ASN default of a transit gateway and of a virtual private gateway.",
    },
    customerAsnRanges: { value: [{ min: 1, max: 4294967295 }], source: AWS_CGW },
    reservedAsns: {
      value: [
        { min: 7224, max: 7224, why: "reserved by AWS in all Regions" },
        { min: 9059, max: 9059, why: "reserved by AWS in eu-west-1" },
        { min: 10124, max: 10124, why: "reserved by AWS in ap-northeast-1" },
        { min: 17943, max: 17943, why: "reserved by AWS in ap-southeast-1" },
      ],
      source: AWS_CGW,
    },
    holdTimeSeconds: { value: 30, source: AWS_ROUTING, note: "AWS VPN BGP hold time; Terraform exports it as tunnel1_bgp_holdtime." },
    keepaliveSeconds: { value: 10, source: AWS_ROUTING, note: "a third of the hold time (RFC 4271 suggestion)." },
  },
  tunnelsPerConnection: { value: 2, source: AWS_TUNNEL_OPTIONS },
  staticRouting: { value: true, source: AWS_ROUTING },
  ipv6: {
    gateways: {
      value: ["transit-gateway"],
      source: AWS_HOW_IT_WORKS,
      note: "virtual private gateways do not support IPv6 for Site-to-Site VPN connections; transit gateways (and Cloud WAN) do.",
    },
    inside: { value: true, source: AWS_API_OPTIONS, note: "TunnelInsideIpVersion ipv4 | ipv6 (ipv6: transit gateway only)." },
    dualStack: { value: false, source: AWS_API_OPTIONS, note: "TunnelInsideIpVersion says whether a connection's tunnels process IPv4 or IPv6 traffic: one family per connection." },
    outer: { value: true, source: AWS_TGW_CLI, note: "OutsideIPAddressType=Ipv6 on a transit gateway connection; the customer gateway's IPv6 address is supported on transit gateway / Cloud WAN connections only (" + AWS_CGW + ")." },
    insideWithin: { value: { within: "fd00::/8", prefixLength: 126 }, source: AWS_API_TUNNEL, note: "TunnelInsideIpv6Cidr: a size /126 CIDR block from the local fd00::/8 range." },
  },
};

/** Customer gateway default ASN when the intent gives none (static routing). */
export const AWS_CUSTOMER_GATEWAY_DEFAULT_ASN: Fact<number> = { value: 65000, source: AWS_CGW, note: "the console's pre-filled value; any ASN works for static routing" };

// ---------------------------------------------------------------------------------------------------------
// Azure VPN Gateway
// ---------------------------------------------------------------------------------------------------------

const AZ_IPSEC_POLICY = "https://learn.microsoft.com/en-us/azure/vpn-gateway/ipsec-ike-policy-howto";
const AZ_CRYPTO = "https://learn.microsoft.com/en-us/azure/vpn-gateway/vpn-gateway-about-compliance-crypto";
const AZ_BGP = "https://learn.microsoft.com/en-us/azure/vpn-gateway/vpn-gateway-bgp-overview";
const AZ_FAQ = "https://learn.microsoft.com/en-us/azure/vpn-gateway/vpn-gateway-vpn-faq";
const AZ_IPV6 = "https://github.com/mddazure/ipv6-over-vpn-nva (README: the Site-to-site VPN gateway does not support IPv6, May 2024)";
const TF_AZ_CONN = "hashicorp/terraform-provider-azurerm website/docs/r/virtual_network_gateway_connection.html.markdown";

export const AZURE_VPN_GATEWAY: ProviderFacts = {
  platform: "azure-vpn-gateway",
  provider: "azure",
  title: "Azure VPN Gateway",
  gateways: { value: ["vpn-gateway"], source: AZ_BGP },
  defaultGateway: "vpn-gateway",
  ikeVersions: { value: [1, 2], source: TF_AZ_CONN + " (connection_protocol IKEv1 | IKEv2, default IKEv2)" },
  phase1: {
    // The custom IPsec/IKE policy (ipsec_policy block): one algorithm per role.
    encryption: {
      value: [
        { provider: "AES128", strongswan: "aes128" },
        { provider: "AES192", strongswan: "aes192" },
        { provider: "AES256", strongswan: "aes256" },
        { provider: "DES3", strongswan: "3des" },
        { provider: "DES", strongswan: "des" },
        { provider: "GCMAES128", strongswan: "aes128gcm16" },
        { provider: "GCMAES256", strongswan: "aes256gcm16" },
      ],
      source: AZ_IPSEC_POLICY + "; names: " + TF_AZ_CONN + " ipsec_policy.ike_encryption",
    },
    integrity: {
      value: [
        { provider: "SHA384", strongswan: "sha384" },
        { provider: "SHA256", strongswan: "sha256" },
        { provider: "SHA1", strongswan: "sha1" },
        { provider: "MD5", strongswan: "md5" },
      ],
      source: AZ_IPSEC_POLICY + "; names: " + TF_AZ_CONN + " ipsec_policy.ike_integrity",
    },
    dh: {
      value: [
        { provider: "DHGroup1", strongswan: "modp768" },
        { provider: "DHGroup2", strongswan: "modp1024" },
        { provider: "DHGroup14", strongswan: "modp2048" },
        { provider: "DHGroup2048", strongswan: "modp2048" },
        { provider: "DHGroup24", strongswan: "modp2048s256" },
        { provider: "ECP256", strongswan: "ecp256" },
        { provider: "ECP384", strongswan: "ecp384" },
      ],
      source: AZ_IPSEC_POLICY + "; names: " + TF_AZ_CONN + " ipsec_policy.dh_group",
    },
    lifetimeSeconds: {
      unconfirmed:
        "Azure fixes the IKE (main mode) SA lifetime at 28800 s per " + AZ_CRYPTO + "; the custom policy has no IKE lifetime field. Not re-read verbatim here: not checked.",
    },
  },
  phase2: {
    encryption: {
      value: [
        { provider: "GCMAES256", strongswan: "aes256gcm16" },
        { provider: "GCMAES192", strongswan: "aes192gcm16" },
        { provider: "GCMAES128", strongswan: "aes128gcm16" },
        { provider: "AES256", strongswan: "aes256" },
        { provider: "AES192", strongswan: "aes192" },
        { provider: "AES128", strongswan: "aes128" },
        { provider: "DES3", strongswan: "3des" },
        { provider: "DES", strongswan: "des" },
      ],
      source: AZ_IPSEC_POLICY + "; names: " + TF_AZ_CONN + " ipsec_policy.ipsec_encryption",
    },
    integrity: {
      value: [
        { provider: "SHA256", strongswan: "sha256" },
        { provider: "SHA1", strongswan: "sha1" },
        { provider: "MD5", strongswan: "md5" },
      ],
      source: AZ_IPSEC_POLICY + "; names: " + TF_AZ_CONN + " ipsec_policy.ipsec_integrity (GCMAES* there: the integrity of a GCM cipher, same name as the cipher)",
    },
    dh: {
      value: [
        { provider: "PFS1", strongswan: "modp768" },
        { provider: "PFS2", strongswan: "modp1024" },
        { provider: "PFS14", strongswan: "modp2048" },
        { provider: "PFS2048", strongswan: "modp2048" },
        { provider: "PFS24", strongswan: "modp2048s256" },
        { provider: "ECP256", strongswan: "ecp256" },
        { provider: "ECP384", strongswan: "ecp384" },
      ],
      source: AZ_IPSEC_POLICY + "; names: " + TF_AZ_CONN + " ipsec_policy.pfs_group",
    },
    lifetimeSeconds: {
      value: { min: 300, max: 172799, default: 27000 },
      source: TF_AZ_CONN + " (sa_lifetime: at least 300, default 27000)",
      note: "upper bound 172799 s from " + AZ_IPSEC_POLICY + " (not re-read verbatim; the lower bound and default are from the Terraform docs).",
    },
  },
  dpd: {
    timeoutSeconds: {
      value: { min: 9, max: 3600, default: 45 },
      source: AZ_FAQ,
      note: "Terraform: dpd_timeout_seconds (" + TF_AZ_CONN + "). Range and default as stated in the VPN Gateway FAQ; not re-read verbatim here.",
    },
  },
  inside: {
    within: { value: ["169.254.21.0/24", "169.254.22.0/24"], source: AZ_BGP, note: "Azure APIPA BGP addresses: 169.254.21.0 – 169.254.22.255." },
    prefixLength: { value: 30, source: AZ_BGP, note: "Azure takes one APIPA address per gateway instance; sitewire gives each tunnel a /30 in the APIPA range." },
    reserved: { unconfirmed: "Azure documents no reserved blocks inside its APIPA range." },
    providerTakes: { value: "configurable", source: AZ_BGP, note: "You choose the gateway's APIPA address (custom_bgp_addresses / apipa_addresses)." },
  },
  bgp: {
    providerDefaultAsn: { value: 65515, source: AZ_BGP },
    customerAsnRanges: { value: [{ min: 1, max: 4294967295 }], source: AZ_FAQ },
    reservedAsns: {
      value: [
        { min: 8074, max: 8074, why: "reserved by Azure (public ASN)" },
        { min: 8075, max: 8075, why: "reserved by Azure (public ASN)" },
        { min: 12076, max: 12076, why: "reserved by Azure (public ASN)" },
        { min: 65515, max: 65515, why: "reserved by Azure (the gateway's default)" },
        { min: 65517, max: 65520, why: "reserved by Azure" },
        { min: 23456, max: 23456, why: "reserved by IANA (AS_TRANS)" },
        { min: 64496, max: 64511, why: "reserved by IANA (documentation)" },
        { min: 65535, max: 65551, why: "reserved by IANA" },
        { min: 4294967295, max: 4294967295, why: "reserved by IANA" },
      ],
      source: AZ_FAQ,
    },
    holdTimeSeconds: { unconfirmed: "Azure VPN Gateway BGP timers are not configurable and not confirmed from a source here; not checked." },
    keepaliveSeconds: { unconfirmed: "see holdTimeSeconds" },
  },
  tunnelsPerConnection: {
    value: 2,
    source: AZ_BGP,
    note: "an active-active gateway has two instances, each with its own public address and APIPA BGP address; sitewire models them as two tunnels, one connection each.",
  },
  staticRouting: { value: true, source: AZ_BGP },
  ipv6: {
    gateways: {
      value: [],
      source: AZ_IPV6,
      note: "a VPN gateway in a dual-stack virtual network carries IPv4 only over Site-to-Site VPN, and its tunnel endpoints are IPv4 (May 2024); no generally available IPv6 was confirmed from a Microsoft source here.",
    },
    inside: { value: false, source: AZ_IPV6 },
    dualStack: { value: false, source: AZ_IPV6 },
    outer: { value: false, source: AZ_IPV6 },
  },
};

// ---------------------------------------------------------------------------------------------------------
// Google Cloud HA VPN
// ---------------------------------------------------------------------------------------------------------

const GCP_CIPHERS = "https://cloud.google.com/network-connectivity/docs/vpn/concepts/supported-ike-ciphers";
const GCP_CIPHER_CHANGES = "https://cloud.google.com/network-connectivity/docs/vpn/deprecations/cipher-changes";
const GCP_ROUTER_CREATE = "https://cloud.google.com/sdk/gcloud/reference/compute/routers/create";
const GCP_TOPOLOGIES = "https://cloud.google.com/network-connectivity/docs/vpn/concepts/topologies";
const GCP_BGP = "https://cloud.google.com/network-connectivity/docs/router/concepts/overview";
const GCP_VPN_GATEWAY_CREATE = "https://cloud.google.com/sdk/gcloud/reference/compute/vpn-gateways/create";
const GCP_BGP_SESSIONS = "https://cloud.google.com/network-connectivity/docs/router/how-to/configuring-bgp";

const GCP_ENCRYPTION: readonly AlgorithmName[] = [
  { provider: "AES-GCM-16-128", strongswan: "aes128gcm16" },
  { provider: "AES-GCM-16-192", strongswan: "aes192gcm16" },
  { provider: "AES-GCM-16-256", strongswan: "aes256gcm16" },
  { provider: "AES-GCM-12-128", strongswan: "aes128gcm12" },
  { provider: "AES-GCM-12-192", strongswan: "aes192gcm12" },
  { provider: "AES-GCM-12-256", strongswan: "aes256gcm12" },
  { provider: "AES-GCM-8-128", strongswan: "aes128gcm8" },
  { provider: "AES-GCM-8-192", strongswan: "aes192gcm8" },
  { provider: "AES-GCM-8-256", strongswan: "aes256gcm8" },
  { provider: "AES-CBC-128", strongswan: "aes128" },
  { provider: "AES-CBC-192", strongswan: "aes192" },
  { provider: "AES-CBC-256", strongswan: "aes256" },
  { provider: "3DES-CBC", strongswan: "3des" },
];
const GCP_INTEGRITY: readonly AlgorithmName[] = [
  { provider: "HMAC-SHA2-256-128", strongswan: "sha256" },
  { provider: "HMAC-SHA2-384-192", strongswan: "sha384" },
  { provider: "HMAC-SHA2-512-256", strongswan: "sha512" },
  { provider: "HMAC-SHA1-96", strongswan: "sha1" },
  { provider: "HMAC-MD5-96", strongswan: "md5" },
  { provider: "AES-XCBC-96", strongswan: "aesxcbc" },
  { provider: "AES-CMAC-96", strongswan: "aescmac" },
];
/** strongSwan's enum names as Google lists them (cipher-changes page: the IKEv2 DH order). */
const GCP_DH: readonly AlgorithmName[] = [
  { provider: "CURVE_25519", strongswan: "curve25519" },
  { provider: "ECP_256_BIT", strongswan: "ecp256" },
  { provider: "ECP_384_BIT", strongswan: "ecp384" },
  { provider: "ECP_521_BIT", strongswan: "ecp521" },
  { provider: "MODP_3072_BIT", strongswan: "modp3072" },
  { provider: "MODP_4096_BIT", strongswan: "modp4096" },
  { provider: "MODP_6144_BIT", strongswan: "modp6144" },
  { provider: "MODP_8192_BIT", strongswan: "modp8192" },
  { provider: "MODP_2048_BIT", strongswan: "modp2048" },
  { provider: "MODP_2048_224", strongswan: "modp2048s224" },
  { provider: "MODP_2048_256", strongswan: "modp2048s256" },
  { provider: "MODP_1536_BIT", strongswan: "modp1536" },
  { provider: "MODP_1024_BIT", strongswan: "modp1024" },
];

export const GCP_HA_VPN: ProviderFacts = {
  platform: "gcp-ha-vpn",
  provider: "gcp",
  title: "Google Cloud HA VPN",
  gateways: { value: ["ha-vpn-gateway"], source: GCP_TOPOLOGIES },
  defaultGateway: "ha-vpn-gateway",
  ikeVersions: { value: [1, 2], source: "hashicorp/terraform-provider-google website/docs/r/compute_vpn_tunnel.html.markdown (ike_version 1 or 2, default 2)" },
  phase1: {
    encryption: { value: GCP_ENCRYPTION, source: GCP_CIPHERS, note: "the phase 1 and phase 2 cipher tables list the same AES-CBC and AES-GCM ciphers; names as on that page (not re-read verbatim for every row)." },
    integrity: { value: GCP_INTEGRITY, source: GCP_CIPHERS },
    dh: { value: GCP_DH, source: GCP_CIPHER_CHANGES, note: "group 22 (MODP_1024_160) dropped by Google." },
    lifetimeSeconds: { value: { min: 36000, max: 36000, default: 36000 }, source: GCP_CIPHERS, note: "Phase 1 lifetime 36,000 s (10 h), fixed." },
  },
  phase2: {
    encryption: { value: GCP_ENCRYPTION, source: GCP_CIPHERS },
    integrity: { value: GCP_INTEGRITY, source: GCP_CIPHERS },
    dh: { value: GCP_DH, source: GCP_CIPHER_CHANGES },
    lifetimeSeconds: { value: { min: 10800, max: 10800, default: 10800 }, source: GCP_CIPHERS, note: "Phase 2 lifetime 10,800 s (3 h), fixed." },
  },
  dpd: { timeoutSeconds: { unconfirmed: "Cloud VPN's DPD interval/timeout is not documented as a number on the pages consulted; not checked." } },
  inside: {
    within: { value: ["169.254.0.0/16"], source: GCP_ROUTER_CREATE, note: "Cloud Router BGP addresses are link-local." },
    prefixLength: { value: 30, source: GCP_BGP },
    reserved: { unconfirmed: "Cloud Router's reserved link-local blocks were not confirmed from a source here; not checked." },
    providerTakes: { value: "configurable", source: GCP_BGP, note: "You set the Cloud Router's ip_range and the peer's address." },
  },
  bgp: {
    providerDefaultAsn: { unconfirmed: "a Cloud Router has the ASN you give it (a private RFC 6996 ASN); no default." },
    customerAsnRanges: { value: [{ min: 1, max: 4294967295 }], source: GCP_BGP, note: "the peer ASN may be public or private." },
    reservedAsns: { value: [], source: GCP_BGP, note: "none confirmed for the peer ASN; the Cloud Router's own ASN must be private (RFC 6996): " + GCP_ROUTER_CREATE },
    holdTimeSeconds: { value: 60, source: GCP_ROUTER_CREATE, note: "hold time is three keepalive intervals." },
    keepaliveSeconds: { value: 20, source: GCP_ROUTER_CREATE, note: "--keepalive-interval default 20 s (20–60)." },
  },
  tunnelsPerConnection: { value: 2, source: GCP_TOPOLOGIES, note: "an HA VPN gateway has two interfaces; the 99.99% SLA needs a tunnel on each." },
  staticRouting: { value: false, source: GCP_TOPOLOGIES, note: "HA VPN supports dynamic (BGP) routing only." },
  ipv6: {
    gateways: { value: ["ha-vpn-gateway"], source: GCP_VPN_GATEWAY_CREATE },
    inside: { value: true, source: GCP_VPN_GATEWAY_CREATE, note: "--stack-type IPV4_IPV6 (dual stack) lets the gateway's tunnels carry IPv6; Cloud Router exchanges IPv6 routes over IPv6 BGP sessions or MP-BGP (" + GCP_BGP_SESSIONS + ")." },
    dualStack: { value: true, source: GCP_VPN_GATEWAY_CREATE, note: "stack type IPV4_IPV6: both families over the same tunnels." },
    outer: { value: true, source: GCP_VPN_GATEWAY_CREATE, note: "--gateway-ip-version IPV6: the gateway's interfaces get IPv6 addresses." },
  },
};

export const CLOUD_PROVIDERS: Readonly<Record<CloudPlatform, ProviderFacts>> = {
  "aws-vpn": AWS_VPN,
  "azure-vpn-gateway": AZURE_VPN_GATEWAY,
  "gcp-ha-vpn": GCP_HA_VPN,
};

export function providerFacts(platform: string): ProviderFacts | undefined {
  return isCloudPlatform(platform) ? CLOUD_PROVIDERS[platform] : undefined;
}

export function isConfirmed<T>(fact: Fact<T> | Unconfirmed): fact is Fact<T> {
  return !("unconfirmed" in fact);
}

/**
 * The provider's name for a strongSwan keyword in one role (phase 1/2 × encryption/integrity/dh), compared by
 * strongSwan identity so every alias works (aes128gcm128 = aes128gcm16). Undefined: the provider does not
 * support it.
 */
export function providerToken(facts: ProviderFacts, phase: 1 | 2, role: "encryption" | "integrity" | "dh", keyword: string): string | number | undefined {
  const names = (phase === 1 ? facts.phase1 : facts.phase2)[role].value;
  let identity: string;
  try {
    identity = identityOf(keyword);
  } catch {
    return undefined;
  }
  return names.find((n) => identityOf(n.strongswan) === identity)?.provider;
}

/** Is `asn` usable as the customer side's ASN by this provider? The reason when not. */
export function customerAsnProblem(facts: ProviderFacts, asn: number): string | undefined {
  if (!facts.bgp.customerAsnRanges.value.some((r) => asn >= r.min && asn <= r.max)) return `AS ${asn} is outside the ASNs ${facts.title} accepts`;
  const reserved = facts.bgp.reservedAsns.value.find((r) => asn >= r.min && asn <= r.max);
  return reserved ? `AS ${asn} is ${reserved.why}` : undefined;
}

/**
 * Why a tunnel's inside network does not suit the provider (outside its range, wrong size, overlapping a
 * reserved block), or undefined. Unconfirmed reserved blocks are not checked.
 */
export function insideProblem(facts: ProviderFacts, inside: Prefix): string | undefined {
  const within = facts.inside.within.value.map((c) => parseCidr(c).prefix);
  if (!within.some((w) => containsPrefix(w, inside)))
    return `${inside.cidr} is outside the inside range ${facts.title} accepts (${facts.inside.within.value.join(", ")})`;
  if (inside.length !== facts.inside.prefixLength.value) return `${facts.title} takes a /${facts.inside.prefixLength.value} inside network, not /${inside.length}`;
  if (isConfirmed(facts.inside.reserved)) {
    const hit = facts.inside.reserved.value.find((r) => overlaps(parseCidr(r).prefix, inside));
    if (hit) return `${inside.cidr} overlaps ${hit}, which ${facts.title} reserves`;
  }
  return undefined;
}

/** Why a lifetime (seconds) of phase 1 or 2 is outside the provider's range, or undefined (also when unconfirmed). */
export function lifetimeProblem(facts: ProviderFacts, phase: 1 | 2, seconds: number): string | undefined {
  const fact = (phase === 1 ? facts.phase1 : facts.phase2).lifetimeSeconds;
  if (!isConfirmed(fact)) return undefined;
  const { min, max } = fact.value;
  if (seconds < min || seconds > max)
    return min === max
      ? `${facts.title} fixes the phase ${phase} lifetime at ${min}s, not ${seconds}s`
      : `${facts.title} takes a phase ${phase} lifetime of ${min}s to ${max}s, not ${seconds}s`;
  return undefined;
}

/** Why a DPD timeout (seconds) is outside the provider's range, or undefined (also when unconfirmed). */
export function dpdTimeoutProblem(facts: ProviderFacts, seconds: number): string | undefined {
  const fact = facts.dpd.timeoutSeconds;
  if (!isConfirmed(fact)) return undefined;
  const { min, max } = fact.value;
  if (min !== undefined && seconds < min) return `${facts.title} takes a DPD timeout of at least ${min}s, not ${seconds}s`;
  if (max !== undefined && seconds > max) return `${facts.title} takes a DPD timeout of at most ${max}s, not ${seconds}s`;
  return undefined;
}
