/**
 * AWS Site-to-Site VPN connections, read from what AWS itself returns, into one neutral shape (AwsConnection).
 *
 * 1. `aws ec2 describe-vpn-connections` JSON: `{ "VpnConnections": [VpnConnection…] }`. VpnConnection
 *    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnConnection.html): VpnConnectionId,
 *    CustomerGatewayId, CustomerGatewayConfiguration (the XML, ./xml.ts), TransitGatewayId | VpnGatewayId,
 *    Category, State, Type, Options (VpnConnectionOptions: EnableAcceleration, StaticRoutesOnly,
 *    LocalIpv4NetworkCidr, RemoteIpv4NetworkCidr, OutsideIpAddressType, TunnelInsideIpVersion, TunnelOptions),
 *    Routes [{DestinationCidrBlock, Source, State}], Tags [{Key, Value}], VgwTelemetry.
 *    TunnelOption (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TunnelOption.html), as the CLI
 *    prints it: OutsideIpAddress, TunnelInsideCidr, TunnelInsideIpv6Cidr, PreSharedKey, Phase1LifetimeSeconds,
 *    Phase2LifetimeSeconds, RekeyMarginTimeSeconds, RekeyFuzzPercentage, ReplayWindowSize, DpdTimeoutSeconds,
 *    DpdTimeoutAction, Phase1/2EncryptionAlgorithms [{Value: "AES128"}], Phase1/2IntegrityAlgorithms
 *    [{Value: "SHA2-256"}], Phase1/2DHGroupNumbers [{Value: 14}], IkeVersions [{Value: "ikev2"}],
 *    StartupAction, LogOptions, EnableTunnelLifecycleControl. Lists absent = AWS's defaults (everything allowed).
 * 2. `terraform show -json` (https://developer.hashicorp.com/terraform/internals/json-format, "values"
 *    representation): `values.root_module.resources[]` and `child_modules[]` recursively; resources of type
 *    `aws_vpn_connection` with the attributes of hashicorp/terraform-provider-aws
 *    website/docs/r/vpn_connection.html.markdown: tunnel1_address, tunnel1_inside_cidr,
 *    tunnel1_cgw_inside_address, tunnel1_vgw_inside_address, tunnel1_bgp_asn, tunnel1_bgp_holdtime,
 *    tunnel1_preshared_key, tunnel1_phase1_encryption_algorithms ["AES128"…], …_integrity_algorithms,
 *    …_dh_group_numbers [14…], tunnel1_phase1/2_lifetime_seconds, tunnel1_ike_versions, tunnel1_dpd_timeout_seconds,
 *    tunnel1_dpd_timeout_action, tunnel1_startup_action, tunnel1_rekey_margin_time_seconds, …; and the
 *    `aws_customer_gateway` it points to (ip_address, bgp_asn), when the same state holds it.
 *
 * Pre-shared keys are never read into the neutral shape: only where each one is (its JSON path), so that the
 * export command can name it. Nothing here keeps or returns a key value.
 */
import { parseCustomerGatewayXml, type XmlConnection, type XmlTunnel } from "./xml.js";
import { diagnosticAt, isRecord, list, num, str, type DataPath, type JsonInput } from "../source.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";

export interface AwsPhase {
  /** AWS's names (AES128, SHA2-256, 14), in AWS's order; empty = not restricted (AWS's defaults). */
  readonly encryption: readonly string[];
  readonly integrity: readonly string[];
  readonly dh: readonly number[];
  readonly lifetime?: number;
}

/** A tunnel setting sitewire has no place for, with where it is and AWS's default for it. */
export interface AwsExtra {
  readonly name: string;
  readonly value: unknown;
  readonly path: DataPath;
}

export interface AwsTunnel {
  readonly n: number;
  /** Where this tunnel's options are in the input (TunnelOptions[i], or the resource's values). */
  readonly path: DataPath;
  readonly outside?: string;
  readonly insideCidr?: string;
  readonly insideIpv6Cidr?: string;
  readonly awsInside?: string;
  readonly customerInside?: string;
  readonly awsAsn?: number;
  readonly holdTime?: number;
  /** Path of this tunnel's PreSharedKey in the input JSON, when it has one there (for the export command). */
  readonly keyPath?: DataPath;
  /** Some key is in the data (JSON or XML). */
  readonly hasKey: boolean;
  readonly ikeVersions: readonly string[];
  readonly phase1: AwsPhase;
  readonly phase2: AwsPhase;
  readonly dpdTimeout?: number;
  readonly dpdAction?: string;
  readonly startupAction?: string;
  readonly extras: readonly AwsExtra[];
  readonly xml?: XmlTunnel;
}

export interface AwsConnection {
  readonly id: string;
  readonly path: DataPath;
  readonly source: "describe-vpn-connections" | "terraform";
  /** Terraform resource address (aws_vpn_connection.main), for the export command. */
  readonly address?: string;
  readonly name?: string;
  readonly customerGatewayId?: string;
  readonly customerAddress?: string;
  readonly customerAsn?: number;
  readonly gateway?: { readonly kind: "transit-gateway" | "virtual-private-gateway"; readonly id: string };
  readonly region?: string;
  readonly staticRoutesOnly: boolean;
  readonly staticRoutes: readonly { readonly cidr: string; readonly path: DataPath }[];
  readonly tunnels: readonly AwsTunnel[];
  /** Connection-level settings sitewire has no place for. */
  readonly extras: readonly AwsExtra[];
  readonly xmlPath?: DataPath;
}

export interface AwsRead {
  readonly connections: readonly AwsConnection[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Which of the two shapes `value` is, then its connections. */
export function readAws(input: JsonInput): AwsRead {
  const v = input.value;
  if (isRecord(v) && Array.isArray(v["VpnConnections"])) return readDescribe(input, v["VpnConnections"]);
  if (isRecord(v) && "VpnConnection" in v && isRecord(v["VpnConnection"])) return readDescribe(input, [v["VpnConnection"]], ["VpnConnection"]);
  if (isRecord(v) && (isRecord(v["values"]) || typeof v["format_version"] === "string")) return readTerraform(input, v);
  return {
    connections: [],
    diagnostics: [
      diagnosticAt(input, [], "SW400", "error", "neither `aws ec2 describe-vpn-connections` output (VpnConnections) nor `terraform show -json` output (values.root_module)", "aws ec2 describe-vpn-connections --vpn-connection-ids vpn-… > vpn.json, or terraform show -json > state.json"),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// describe-vpn-connections

const values = (v: unknown): unknown[] => list(v).map((x) => (isRecord(x) ? x["Value"] : undefined)).filter((x) => x !== undefined);

function readDescribe(input: JsonInput, items: unknown[], base: DataPath = ["VpnConnections"]): AwsRead {
  const diagnostics: Diagnostic[] = [];
  const connections: AwsConnection[] = [];
  items.forEach((item, i) => {
    const path = base.length === 1 && base[0] === "VpnConnection" ? base : [...base, i];
    if (!isRecord(item)) {
      diagnostics.push(diagnosticAt(input, path, "SW400", "error", "a VPN connection that is not an object"));
      return;
    }
    const id = str(item["VpnConnectionId"]);
    if (!id) {
      diagnostics.push(diagnosticAt(input, path, "SW400", "error", "VPN connection without VpnConnectionId"));
      return;
    }
    const state = str(item["State"]);
    if (state === "deleted" || state === "deleting") {
      diagnostics.push(diagnosticAt(input, [...path, "State"], "SW401", "warning", `VPN connection ${id} is ${state}: not imported`));
      return;
    }
    const xml = xmlOf(input, item["CustomerGatewayConfiguration"], [...path, "CustomerGatewayConfiguration"], diagnostics);
    const options = isRecord(item["Options"]) ? item["Options"] : {};
    const optionTunnels = list(options["TunnelOptions"]);
    const count = Math.max(optionTunnels.length, xml?.tunnels.length ?? 0);
    const tunnels: AwsTunnel[] = [];
    for (let t = 0; t < count; t++) {
      const o = isRecord(optionTunnels[t]) ? (optionTunnels[t] as Record<string, unknown>) : {};
      const tPath: DataPath = [...path, "Options", "TunnelOptions", t];
      const outside = str(o["OutsideIpAddress"]);
      const x = matchXml(xml, outside, t);
      const extras: AwsExtra[] = [];
      const extra = (key: string, isDefault: (v: unknown) => boolean) => {
        if (key in o && o[key] !== null && !isDefault(o[key])) extras.push({ name: key, value: o[key], path: [...tPath, key] });
      };
      extra("RekeyMarginTimeSeconds", (v) => v === 540);
      extra("RekeyFuzzPercentage", (v) => v === 100);
      extra("ReplayWindowSize", (v) => v === 1024);
      extra("EnableTunnelLifecycleControl", (v) => v === false);
      if (isRecord(o["LogOptions"]) && isRecord(o["LogOptions"]["CloudWatchLogOptions"]) && o["LogOptions"]["CloudWatchLogOptions"]["LogEnabled"] === true)
        extras.push({ name: "LogOptions.CloudWatchLogOptions.LogEnabled", value: true, path: [...tPath, "LogOptions", "CloudWatchLogOptions", "LogEnabled"] });
      tunnels.push({
        n: t + 1,
        path: optionTunnels[t] !== undefined ? tPath : [...path, "CustomerGatewayConfiguration"],
        ...opt("outside", outside ?? x?.aws.outside),
        ...opt("insideCidr", str(o["TunnelInsideCidr"]) ?? cidrOf(x)),
        ...opt("insideIpv6Cidr", str(o["TunnelInsideIpv6Cidr"])),
        ...opt("awsInside", x?.aws.inside),
        ...opt("customerInside", x?.customer.inside),
        ...opt("awsAsn", x?.aws.asn),
        ...opt("holdTime", x?.aws.holdTime),
        ...(str(o["PreSharedKey"]) ? { keyPath: [...tPath, "PreSharedKey"] } : {}),
        hasKey: str(o["PreSharedKey"]) !== undefined || x?.ike.hasKey === true,
        ikeVersions: values(o["IkeVersions"]).filter((v): v is string => typeof v === "string"),
        phase1: phase(o, "Phase1", values),
        phase2: phase(o, "Phase2", values),
        ...opt("dpdTimeout", num(o["DpdTimeoutSeconds"])),
        ...opt("dpdAction", str(o["DpdTimeoutAction"])),
        ...opt("startupAction", str(o["StartupAction"])),
        extras,
        ...(x ? { xml: x } : {}),
      });
    }
    const name = list(item["Tags"]).find((tag) => isRecord(tag) && tag["Key"] === "Name");
    const extras: AwsExtra[] = [];
    if (options["EnableAcceleration"] === true) extras.push({ name: "EnableAcceleration", value: true, path: [...path, "Options", "EnableAcceleration"] });
    for (const key of ["LocalIpv4NetworkCidr", "RemoteIpv4NetworkCidr"])
      if (str(options[key]) && options[key] !== "0.0.0.0/0") extras.push({ name: key, value: options[key], path: [...path, "Options", key] });
    const routes = list(item["Routes"]).flatMap((r, k) =>
      isRecord(r) && str(r["DestinationCidrBlock"]) && r["State"] !== "deleted" ? [{ cidr: str(r["DestinationCidrBlock"])!, path: [...path, "Routes", k] as DataPath }] : [],
    );
    const gateway = str(item["TransitGatewayId"])
      ? { kind: "transit-gateway" as const, id: str(item["TransitGatewayId"])! }
      : str(item["VpnGatewayId"])
        ? { kind: "virtual-private-gateway" as const, id: str(item["VpnGatewayId"])! }
        : undefined;
    const first = xml?.tunnels[0];
    connections.push({
      id,
      path,
      source: "describe-vpn-connections",
      ...opt("name", isRecord(name) ? str(name["Value"]) : undefined),
      ...opt("customerGatewayId", str(item["CustomerGatewayId"])),
      ...opt("customerAddress", first?.customer.outside),
      ...opt("customerAsn", first?.customer.asn),
      ...(gateway ? { gateway } : {}),
      staticRoutesOnly: options["StaticRoutesOnly"] === true,
      staticRoutes: routes,
      tunnels,
      extras,
      ...(xml ? { xmlPath: [...path, "CustomerGatewayConfiguration"] } : {}),
    });
  });
  if (items.length === 0) diagnostics.push(diagnosticAt(input, base, "SW400", "error", "VpnConnections is empty: no VPN connection to import"));
  return { connections, diagnostics };
}

function phase(o: Record<string, unknown>, prefix: "Phase1" | "Phase2", read: (v: unknown) => unknown[]): AwsPhase {
  return {
    encryption: read(o[`${prefix}EncryptionAlgorithms`]).filter((v): v is string => typeof v === "string"),
    integrity: read(o[`${prefix}IntegrityAlgorithms`]).filter((v): v is string => typeof v === "string"),
    dh: read(o[`${prefix}DHGroupNumbers`]).map(num).filter((v): v is number => v !== undefined),
    ...opt("lifetime", positive(num(o[`${prefix}LifetimeSeconds`]))),
  };
}

// ---------------------------------------------------------------------------------------------------------
// terraform show -json

interface TfResource {
  readonly r: Record<string, unknown>;
  readonly path: DataPath;
}

function tfResources(module: unknown, path: DataPath, out: TfResource[]): void {
  if (!isRecord(module)) return;
  list(module["resources"]).forEach((r, i) => {
    if (isRecord(r)) out.push({ r, path: [...path, "resources", i] });
  });
  list(module["child_modules"]).forEach((m, i) => tfResources(m, [...path, "child_modules", i], out));
}

function readTerraform(input: JsonInput, doc: Record<string, unknown>): AwsRead {
  const diagnostics: Diagnostic[] = [];
  const all: TfResource[] = [];
  tfResources(isRecord(doc["values"]) ? doc["values"]["root_module"] : undefined, ["values", "root_module"], all);
  const vpns = all.filter((x) => x.r["type"] === "aws_vpn_connection" && x.r["mode"] !== "data");
  if (vpns.length === 0) {
    diagnostics.push(diagnosticAt(input, ["values"], "SW400", "error", "no aws_vpn_connection resource in this Terraform state", "run `terraform show -json` in the configuration that manages the VPN connection"));
    return { connections: [], diagnostics };
  }
  const gateways = all.filter((x) => x.r["type"] === "aws_customer_gateway");
  const connections = vpns.flatMap((res): AwsConnection[] => {
    const v = isRecord(res.r["values"]) ? res.r["values"] : {};
    const vPath: DataPath = [...res.path, "values"];
    const id = str(v["id"]);
    const address = str(res.r["address"]);
    if (!id) {
      diagnostics.push(diagnosticAt(input, res.path, "SW400", "error", `${address ?? "aws_vpn_connection"} has no id (not created yet?): import the state after apply`));
      return [];
    }
    const xml = xmlOf(input, v["customer_gateway_configuration"], [...vPath, "customer_gateway_configuration"], diagnostics);
    const tunnels: AwsTunnel[] = [1, 2].map((n) => {
      const k = (name: string) => `tunnel${n}_${name}`;
      const outside = str(v[k("address")]);
      const x = matchXml(xml, outside, n - 1);
      const strings = (name: string) => list(v[k(name)]).filter((s): s is string => typeof s === "string");
      const numbers = (name: string) => list(v[k(name)]).map(num).filter((s): s is number => s !== undefined);
      const extras: AwsExtra[] = [];
      const extra = (name: string, isDefault: (x: unknown) => boolean) => {
        const value = v[k(name)];
        if (value !== undefined && value !== null && value !== "" && value !== 0 && !isDefault(value)) extras.push({ name: k(name), value, path: [...vPath, k(name)] });
      };
      extra("rekey_margin_time_seconds", (x) => x === 540);
      extra("rekey_fuzz_percentage", (x) => x === 100);
      extra("replay_window_size", (x) => x === 1024);
      extra("enable_tunnel_lifecycle_control", (x) => x === false);
      const logs = list(v[k("log_options")]);
      if (logs.some((l) => isRecord(l) && list(l["cloudwatch_log_options"]).some((c) => isRecord(c) && c["log_enabled"] === true)))
        extras.push({ name: k("log_options"), value: true, path: [...vPath, k("log_options")] });
      return {
        n,
        path: vPath,
        ...opt("outside", outside ?? x?.aws.outside),
        ...opt("insideCidr", str(v[k("inside_cidr")]) ?? cidrOf(x)),
        ...opt("insideIpv6Cidr", str(v[k("inside_ipv6_cidr")])),
        ...opt("awsInside", str(v[k("vgw_inside_address")]) ?? x?.aws.inside),
        ...opt("customerInside", str(v[k("cgw_inside_address")]) ?? x?.customer.inside),
        ...opt("awsAsn", num(v[k("bgp_asn")]) ?? x?.aws.asn),
        ...opt("holdTime", positive(num(v[k("bgp_holdtime")])) ?? x?.aws.holdTime),
        ...(str(v[k("preshared_key")]) ? { keyPath: [...vPath, k("preshared_key")] } : {}),
        hasKey: str(v[k("preshared_key")]) !== undefined || x?.ike.hasKey === true,
        ikeVersions: strings("ike_versions"),
        phase1: {
          encryption: strings("phase1_encryption_algorithms"),
          integrity: strings("phase1_integrity_algorithms"),
          dh: numbers("phase1_dh_group_numbers"),
          ...opt("lifetime", positive(num(v[k("phase1_lifetime_seconds")]))),
        },
        phase2: {
          encryption: strings("phase2_encryption_algorithms"),
          integrity: strings("phase2_integrity_algorithms"),
          dh: numbers("phase2_dh_group_numbers"),
          ...opt("lifetime", positive(num(v[k("phase2_lifetime_seconds")]))),
        },
        ...opt("dpdTimeout", positive(num(v[k("dpd_timeout_seconds")]))),
        ...opt("dpdAction", str(v[k("dpd_timeout_action")])),
        ...opt("startupAction", str(v[k("startup_action")])),
        extras,
        ...(x ? { xml: x } : {}),
      };
    });
    const cgwId = str(v["customer_gateway_id"]);
    const cgw = gateways.find((g) => isRecord(g.r["values"]) && g.r["values"]["id"] === cgwId);
    const cgwValues = cgw && isRecord(cgw.r["values"]) ? cgw.r["values"] : {};
    const tags = isRecord(v["tags"]) ? v["tags"] : {};
    const gateway = str(v["transit_gateway_id"])
      ? { kind: "transit-gateway" as const, id: str(v["transit_gateway_id"])! }
      : str(v["vpn_gateway_id"])
        ? { kind: "virtual-private-gateway" as const, id: str(v["vpn_gateway_id"])! }
        : undefined;
    const region = /^arn:aws[a-z-]*:ec2:([a-z0-9-]+):/.exec(str(v["arn"]) ?? "")?.[1];
    const extras: AwsExtra[] = [];
    if (v["enable_acceleration"] === true) extras.push({ name: "enable_acceleration", value: true, path: [...vPath, "enable_acceleration"] });
    for (const key of ["local_ipv4_network_cidr", "remote_ipv4_network_cidr"])
      if (str(v[key]) && v[key] !== "0.0.0.0/0") extras.push({ name: key, value: v[key], path: [...vPath, key] });
    const routes = list(v["routes"]).flatMap((r, i) =>
      isRecord(r) && str(r["destination_cidr_block"]) ? [{ cidr: str(r["destination_cidr_block"])!, path: [...vPath, "routes", i] as DataPath }] : [],
    );
    const first = xml?.tunnels[0];
    return [
      {
        id,
        path: res.path,
        source: "terraform",
        ...opt("address", address),
        ...opt("name", str(tags["Name"])),
        ...opt("customerGatewayId", cgwId),
        ...opt("customerAddress", str(cgwValues["ip_address"]) ?? first?.customer.outside),
        ...opt("customerAsn", num(cgwValues["bgp_asn"]) ?? first?.customer.asn),
        ...(gateway ? { gateway } : {}),
        ...opt("region", region),
        staticRoutesOnly: v["static_routes_only"] === true,
        staticRoutes: routes,
        tunnels,
        extras,
        ...(xml ? { xmlPath: [...vPath, "customer_gateway_configuration"] } : {}),
      },
    ];
  });
  return { connections, diagnostics };
}

// ---------------------------------------------------------------------------------------------------------

function xmlOf(input: JsonInput, value: unknown, path: DataPath, diagnostics: Diagnostic[]): XmlConnection | undefined {
  const text = str(value);
  if (!text) return undefined;
  const parsed = parseCustomerGatewayXml(text);
  if (typeof parsed === "string") {
    diagnostics.push(diagnosticAt(input, path, "SW400", "warning", `${parsed}: imported from the JSON fields only`));
    return undefined;
  }
  return parsed;
}

/** The XML tunnel with AWS's outside address `outside`, else the one at the same position. */
function matchXml(xml: XmlConnection | undefined, outside: string | undefined, index: number): XmlTunnel | undefined {
  if (!xml) return undefined;
  return (outside ? xml.tunnels.find((t) => t.aws.outside === outside) : undefined) ?? (outside ? undefined : xml.tunnels[index]);
}

/** The inside network from the XML's AWS inside address and length (AWS takes the first address). */
function cidrOf(x: XmlTunnel | undefined): string | undefined {
  const a = x?.aws.inside;
  const len = x?.aws.insideLength;
  if (!a || len !== 30) return undefined;
  const parts = a.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  parts[3] = parts[3]! & 0xfc;
  return `${parts.join(".")}/30`;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
