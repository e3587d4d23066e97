/**
 * AWS's CustomerGatewayConfiguration: the XML AWS generates for a VPN connection (the `CustomerGatewayConfiguration`
 * string of `aws ec2 describe-vpn-connections`, Terraform's `customer_gateway_configuration`), parsed with
 * fast-xml-parser. Shape, from AWS's generic customer gateway configuration (the "generic" download of the VPN
 * console; the same elements appear in the VPN connection sample of
 * https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html and in hashicorp/terraform-provider-aws
 * internal/service/ec2/vpnsite_connection.go, which reads it for tunnel1_cgw_inside_address and friends):
 *
 *   <vpn_connection id="vpn-…">
 *     <customer_gateway_id>cgw-…</customer_gateway_id> <vpn_gateway_id>vgw-…</vpn_gateway_id>
 *     <vpn_connection_type>ipsec.1</vpn_connection_type>
 *     <ipsec_tunnel>                                   (one per tunnel, two)
 *       <customer_gateway> | <vpn_gateway>
 *         <tunnel_outside_address><ip_address>…</ip_address></tunnel_outside_address>
 *         <tunnel_inside_address><ip_address>…</ip_address><network_mask>255.255.255.252</network_mask>
 *                                <network_cidr>30</network_cidr></tunnel_inside_address>
 *         <bgp><asn>…</asn><hold_time>30</hold_time></bgp>
 *       <ike> authentication_protocol (sha1), encryption_protocol (aes-128-cbc), lifetime (28800),
 *             perfect_forward_secrecy (group2), mode (main), pre_shared_key
 *       <ipsec> protocol (esp), authentication_protocol (hmac-sha1-96), encryption_protocol (aes-128-cbc),
 *             lifetime (3600), perfect_forward_secrecy (group2), mode (tunnel), clear_df_bit,
 *             fragmentation_before_encryption, tcp_mss_adjustment (1379),
 *             dead_peer_detection <interval>10</interval> <retries>3</retries>
 *
 * The pre-shared key is never copied out of the parsed tree: only whether one is there.
 */
import { XMLParser } from "fast-xml-parser";
import { isRecord, num, str } from "../source.js";

export interface XmlEnd {
  readonly outside?: string;
  readonly inside?: string;
  readonly insideLength?: number;
  readonly asn?: number;
  readonly holdTime?: number;
}

export interface XmlPhase {
  readonly authentication?: string;
  readonly encryption?: string;
  readonly lifetime?: number;
  readonly pfs?: string;
  readonly mode?: string;
}

export interface XmlTunnel {
  readonly customer: XmlEnd;
  readonly aws: XmlEnd;
  readonly ike: XmlPhase & { readonly hasKey: boolean };
  readonly ipsec: XmlPhase & {
    readonly protocol?: string;
    readonly mssAdjustment?: number;
    readonly dpdInterval?: number;
    readonly dpdRetries?: number;
  };
}

export interface XmlConnection {
  readonly id?: string;
  readonly type?: string;
  readonly tunnels: readonly XmlTunnel[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  isArray: (name) => name === "ipsec_tunnel",
});

/** The parsed configuration, or why it is not one. */
export function parseCustomerGatewayXml(xml: string): XmlConnection | string {
  let tree: unknown;
  try {
    tree = parser.parse(xml, true);
  } catch (err) {
    const line = /Line: ?(\d+)/i.exec(err instanceof Error ? err.message : "");
    return `CustomerGatewayConfiguration is not well-formed XML${line ? ` (line ${line[1]} of the XML)` : ""}`;
  }
  const root = isRecord(tree) ? tree["vpn_connection"] : undefined;
  if (!isRecord(root)) return "CustomerGatewayConfiguration has no <vpn_connection> element";
  const tunnels = Array.isArray(root["ipsec_tunnel"]) ? root["ipsec_tunnel"] : [];
  return {
    ...(str(root["@id"]) ? { id: str(root["@id"])! } : {}),
    ...(str(root["vpn_connection_type"]) ? { type: str(root["vpn_connection_type"])! } : {}),
    tunnels: tunnels.filter(isRecord).map(tunnelOf),
  };
}

function child(node: unknown, ...names: string[]): unknown {
  let at = node;
  for (const n of names) at = isRecord(at) ? at[n] : undefined;
  return at;
}

function endOf(node: unknown): XmlEnd {
  const get = (...names: string[]) => child(node, ...names);
  return {
    ...(str(get("tunnel_outside_address", "ip_address")) ? { outside: str(get("tunnel_outside_address", "ip_address"))! } : {}),
    ...(str(get("tunnel_inside_address", "ip_address")) ? { inside: str(get("tunnel_inside_address", "ip_address"))! } : {}),
    ...(num(get("tunnel_inside_address", "network_cidr")) !== undefined ? { insideLength: num(get("tunnel_inside_address", "network_cidr"))! } : {}),
    ...(num(get("bgp", "asn")) !== undefined ? { asn: num(get("bgp", "asn"))! } : {}),
    ...(num(get("bgp", "hold_time")) !== undefined ? { holdTime: num(get("bgp", "hold_time"))! } : {}),
  };
}

function phaseOf(node: unknown): XmlPhase {
  const s = (name: string) => str(child(node, name));
  return {
    ...(s("authentication_protocol") ? { authentication: s("authentication_protocol")! } : {}),
    ...(s("encryption_protocol") ? { encryption: s("encryption_protocol")! } : {}),
    ...(num(child(node, "lifetime")) !== undefined ? { lifetime: num(child(node, "lifetime"))! } : {}),
    ...(s("perfect_forward_secrecy") ? { pfs: s("perfect_forward_secrecy")! } : {}),
    ...(s("mode") ? { mode: s("mode")! } : {}),
  };
}

function tunnelOf(node: Record<string, unknown>): XmlTunnel {
  const ipsec = node["ipsec"];
  const dpd = child(ipsec, "dead_peer_detection");
  return {
    customer: endOf(node["customer_gateway"]),
    aws: endOf(node["vpn_gateway"]),
    ike: { ...phaseOf(node["ike"]), hasKey: str(child(node["ike"], "pre_shared_key")) !== undefined },
    ipsec: {
      ...phaseOf(ipsec),
      ...(str(child(ipsec, "protocol")) ? { protocol: str(child(ipsec, "protocol"))! } : {}),
      ...(num(child(ipsec, "tcp_mss_adjustment")) !== undefined ? { mssAdjustment: num(child(ipsec, "tcp_mss_adjustment"))! } : {}),
      ...(num(child(dpd, "interval")) !== undefined ? { dpdInterval: num(child(dpd, "interval"))! } : {}),
      ...(num(child(dpd, "retries")) !== undefined ? { dpdRetries: num(child(dpd, "retries"))! } : {}),
    },
  };
}

/** XML algorithm names → strongSwan keywords (the names AWS's generic configuration uses). */
export const XML_ENCRYPTION: Readonly<Record<string, string>> = {
  "aes-128-cbc": "aes128",
  "aes-256-cbc": "aes256",
  "aes-128-gcm-16": "aes128gcm16",
  "aes-256-gcm-16": "aes256gcm16",
};

export const XML_IKE_INTEGRITY: Readonly<Record<string, string>> = {
  sha1: "sha1",
  "sha2-256": "sha256",
  "sha2-384": "sha384",
  "sha2-512": "sha512",
};

/** ESP HMACs with their truncation, as the XML names them (RFC 2404 / RFC 4868 lengths). */
export const XML_ESP_INTEGRITY: Readonly<Record<string, string>> = {
  "hmac-sha1-96": "sha1",
  "hmac-sha2-256-128": "sha256",
  "hmac-sha2-384-192": "sha384",
  "hmac-sha2-512-256": "sha512",
};

/** `groupN` → IANA group number. */
export function xmlGroup(pfs: string | undefined): number | undefined {
  const m = /^group(\d{1,2})$/.exec(pfs ?? "");
  return m ? Number(m[1]) : undefined;
}
