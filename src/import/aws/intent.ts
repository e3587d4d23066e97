/**
 * AWS VPN connections (./read.ts) → a sitewire intent: the site file `sitewire import aws-vpn` writes, or the
 * fragment to merge into an existing site (`--site`).
 *
 * - Customer side `host` (default): the customer gateway is a Linux host running strongSwan; each VPN
 *   connection is an `aws-vpn` peer (the outside address of tunnel 1; tunnel 2's in overrides.<peer>.address),
 *   AWS takes the first inside address (the default insideOrder), the cloud side is emitted as Terraform.
 * - Customer side a device platform (cisco-ios, juniper-srx, fortigate, paloalto-panos): sitewire's tunnels run
 *   between a host and a peer, and a peer is what sitewire emits a device configuration for. The customer
 *   device is that peer; AWS's two endpoints of a connection become a host that stands in for AWS (its
 *   outside addresses, inside addresses with insideOrder host-first, Amazon side ASN). Its Linux files are a
 *   stand-in (the lab and the live tests run it as the far end); only devices/<peer>/ is for deployment, and
 *   the written file and a warning say so.
 *
 * Every AWS value lands in the intent or in a diagnostic: proposals from the tunnel options (AWS's permitted
 * lists, crossed in AWS's order) or, where a list is not restricted, from the CustomerGatewayConfiguration
 * XML, lifetimes, DPD (timeout, action, interval), inside networks and which end owns which address, BGP ASNs
 * and hold time, the TCP MSS AWS asks for. Settings without a place in sitewire (rekey margin and fuzz,
 * replay window, CloudWatch logging, acceleration, traffic selectors other than 0.0.0.0/0, …) are SW401;
 * values sitewire needs that AWS's data lacks are SW402 plus a TODO comment.
 */
import { isAead, isWeak } from "../../model/crypto.js";
import { AWS_CUSTOMER_GATEWAY_DEFAULT_ASN, AWS_VPN, type AlgorithmName } from "../../model/cloud-providers.js";
import { PLATFORM_DECLARATIONS } from "../../targets/platforms.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { shellQuote } from "../../render/quote.js";
import { diagnosticAt, duration, isRecord, oneLine, type DataPath, type JsonInput } from "../source.js";
import type { IntentComment } from "../intent-doc.js";
import type { AwsConnection, AwsPhase, AwsTunnel } from "./read.js";
import { XML_ENCRYPTION, XML_ESP_INTEGRITY, XML_IKE_INTEGRITY, xmlGroup, type XmlPhase } from "./xml.js";

/** `--customer`: a Linux host, or a far-side platform by its registry's import name (src/targets/platforms.ts). */
export const CUSTOMER_KINDS: readonly string[] = ["host", ...PLATFORM_DECLARATIONS.map((p) => p.imports.customer)];
export type CustomerKind = string;

export const WEAK_REASON = "imported from AWS";

/** The Amazon side ASN AWS gives a gateway by default (the provider table's fact). */
const AWS_DEFAULT_ASN = "value" in AWS_VPN.bgp.providerDefaultAsn ? AWS_VPN.bgp.providerDefaultAsn.value : 64512;

/** More proposals than this are cut (AWS's lists cross to up to 4 × 4 × 12 combinations). */
export const MAX_PROPOSALS = 16;

export interface AwsIntentOptions {
  readonly site: string;
  readonly customer: CustomerKind;
  /** Name of the customer host or device (default: from the customer gateway id). */
  readonly hostName?: string;
  /** customer host: its interface address, when it sits behind the customer gateway address (1:1 NAT). */
  readonly hostAddress?: string;
  readonly os: "debian" | "rhel";
  /** The customer device's outside interface (juniper-srx, fortigate, paloalto-panos). */
  readonly interface?: string;
  /** --site: the existing site (parsed YAML), to reuse its host and pick unused names and keys. */
  readonly existing?: Record<string, unknown>;
  /** The input file as given (for the export commands), or undefined for stdin. */
  readonly inputPath?: string;
}

export interface SecretExport {
  readonly env: string;
  readonly tunnel: string;
  /** A shell command that sets the variable from AWS's data without printing the key. */
  readonly command: string;
  /** For the cloud side's Terraform file (customer host only): TF_VAR_psk_<tunnel>. */
  readonly terraformVariable?: string;
}

export interface AwsIntent {
  /** The whole site (or the fragment with --site). */
  readonly intent: Record<string, unknown>;
  readonly comments: readonly IntentComment[];
  readonly diagnostics: readonly Diagnostic[];
  readonly secrets: readonly SecretExport[];
  readonly header: readonly string[];
}

interface Ctx {
  readonly input: JsonInput;
  readonly diagnostics: Diagnostic[];
  readonly comments: IntentComment[];
}

export function awsIntent(input: JsonInput, connections: readonly AwsConnection[], options: AwsIntentOptions): AwsIntent {
  const ctx: Ctx = { input, diagnostics: [], comments: [] };
  const standIn = options.customer !== "host";
  const existing = options.existing ?? {};
  const existingHosts = isRecord(existing["hosts"]) ? existing["hosts"] : {};
  const taken = new Set<string>([
    ...Object.keys(existingHosts),
    ...Object.keys(isRecord(existing["peers"]) ? existing["peers"] : {}),
    ...Object.keys(isRecord(existing["tunnels"]) ? existing["tunnels"] : {}),
    ...Object.keys(isRecord(existing["networks"]) ? existing["networks"] : {}),
  ]);
  let nextKey = 1 + Math.max(0, ...Object.values(isRecord(existing["tunnels"]) ? existing["tunnels"] : {}).map((t) => (isRecord(t) && typeof t["key"] === "number" ? t["key"] : 0)));

  const hosts: Record<string, Record<string, unknown>> = {};
  const peers: Record<string, Record<string, unknown>> = {};
  const tunnels: Record<string, Record<string, unknown>> = {};
  const networks: Record<string, string> = {};
  const secrets: SecretExport[] = [];
  /** Customer side name by customer gateway address. */
  const customers = new Map<string, string>();

  const fresh = (wanted: string): string => {
    let name = nameOf(wanted);
    for (let i = 2; taken.has(name); i++) name = nameOf(`${wanted}-${i}`);
    taken.add(name);
    return name;
  };

  for (const c of connections) {
    const usable = c.tunnels.filter((t) => {
      if (t.outside && t.insideCidr) return true;
      ctx.diagnostics.push(diagnosticAt(input, t.path, "SW400", "error", `tunnel ${t.n} of ${c.id} has no ${t.outside ? "inside network (TunnelInsideCidr)" : "outside address (OutsideIpAddress)"}: cannot be imported`));
      return false;
    });
    if (usable.length === 0) continue;
    for (const t of usable) {
      if (t.insideIpv6Cidr)
        ctx.diagnostics.push(diagnosticAt(input, t.path, "SW401", "warning", `tunnel ${t.n} of ${c.id} also has the IPv6 inside network ${t.insideIpv6Cidr}: not imported (add it as inside6 if the tunnel carries IPv6)`));
    }
    const bgp = !c.staticRoutesOnly;

    // ---- the customer side ------------------------------------------------------------------------
    const customerAddress = c.customerAddress ?? (standIn ? undefined : options.hostAddress);
    if (!c.customerAddress && !options.hostAddress) {
      ctx.diagnostics.push(diagnosticAt(input, c.path, "SW402", "error", `${c.id}: the customer gateway's address is not in the data (no CustomerGatewayConfiguration, no aws_customer_gateway)`, "import the full output of describe-vpn-connections, or give --host-address"));
      continue;
    }
    let customer = customers.get(customerAddress ?? options.hostAddress!);
    const existingHost = !standIn ? Object.entries(existingHosts).find(([, h]) => isRecord(h) && (h["publicAddress"] === c.customerAddress || String(h["address"] ?? "").split("/")[0] === c.customerAddress))?.[0] : undefined;
    if (!customer && existingHost) customer = existingHost;
    if (!customer) {
      customer = fresh(options.hostName ?? c.customerGatewayId ?? "customer-gateway");
      customers.set(customerAddress ?? options.hostAddress!, customer);
      if (standIn) peers[customer] = customerDevice(ctx, c, customer, options);
      else hosts[customer] = customerHost(ctx, c, customer, options);
    }

    // ---- the AWS side ------------------------------------------------------------------------------
    const aws = fresh(c.id);
    const awsAsn = usable.find((t) => t.awsAsn !== undefined)?.awsAsn;
    const awsEnd: Record<string, unknown> = standIn
      ? {
          description: `Stands in for AWS's endpoints of VPN connection ${c.id}: not a machine to deploy`,
          os: "debian",
          address: usable[0]!.outside,
          ...(bgp ? { routing: { bgp: { as: awsAsn ?? AWS_DEFAULT_ASN } } } : {}),
        }
      : {
          description: c.name ? `AWS VPN connection ${c.id} (${oneLine(c.name, 120)})` : `AWS VPN connection ${c.id}`,
          platform: "aws-vpn",
          address: usable[0]!.outside,
          cloud: {
            ...(c.gateway ? { gateway: c.gateway.kind, gatewayId: c.gateway.id } : { gateway: "virtual-private-gateway" }),
            ...(c.region ? { region: c.region } : {}),
          },
          ...(bgp ? { routing: { bgp: { as: awsAsn ?? AWS_DEFAULT_ASN } } } : {}),
        };
    if (standIn) {
      hosts[aws] = awsEnd;
      ctx.comments.push({ path: ["hosts", aws], text: `AWS's side of ${c.id}, as sitewire's tunnel host: its files under out/<site>/hosts/${aws}/ are a stand-in (lab, tests), not for a machine. Deploy devices/${customer}/.` });
      ctx.diagnostics.push(diagnosticAt(input, c.path, "SW401", "warning", `${c.id}: sitewire tunnels run between a host and a peer; AWS's endpoints are written as host '${aws}', a stand-in whose files are not deployed (only devices/${customer}/ is)`));
    } else {
      peers[aws] = awsEnd;
      if (!c.gateway) {
        ctx.diagnostics.push(diagnosticAt(input, c.path, "SW402", "warning", `${c.id}: neither TransitGatewayId nor VpnGatewayId in the data; written as a virtual private gateway with a TODO`));
        ctx.comments.push({ path: ["peers", aws, "cloud"], text: "TODO: AWS's data names no gateway: set gateway (transit-gateway or virtual-private-gateway) and gatewayId" });
      }
      if (!c.region) ctx.comments.push({ path: ["peers", aws, "cloud"], text: "TODO: the region is not in describe-vpn-connections' output: add region (e.g. eu-central-1) for the Terraform file" });
    }
    if (bgp && awsAsn === undefined) {
      ctx.diagnostics.push(diagnosticAt(input, c.xmlPath ?? c.path, "SW402", "warning", `${c.id}: the Amazon side ASN is not in the data; written as AWS's default ${AWS_DEFAULT_ASN} with a TODO`));
      ctx.comments.push({ path: [standIn ? "hosts" : "peers", aws, "routing"], text: "TODO: check the Amazon side ASN (AWS's data did not give it; this is AWS's default)" });
    }
    for (const e of c.extras)
      ctx.diagnostics.push(diagnosticAt(input, e.path, "SW401", "warning", `${c.id}: ${e.name} = ${shown(e.value)} has no place in a sitewire intent: not imported`, e.name.toLowerCase().includes("cidr") ? "sitewire's route-based tunnels use 0.0.0.0/0 selectors; the routed networks are routes.toPeer/toHost" : undefined));

    // ---- static routes -----------------------------------------------------------------------------
    const toHost: string[] = [];
    if (!bgp) {
      c.staticRoutes.forEach((r, k) => {
        const name = fresh(`${c.id}-route-${k + 1}`);
        networks[name] = r.cidr;
        toHost.push(name);
      });
    } else if (c.staticRoutes.length > 0) {
      for (const r of c.staticRoutes) ctx.diagnostics.push(diagnosticAt(input, r.path, "SW401", "warning", `${c.id}: route ${r.cidr} is one AWS learned by BGP or a leftover static route: not imported (BGP announces the networks)`));
    }

    // ---- tunnels -----------------------------------------------------------------------------------
    const [hostEnd, peerEnd] = standIn ? [aws, customer] : [customer, aws];
    for (const t of usable) {
      const name = fresh(`${c.id}-t${t.n}`);
      const env = envName(name);
      const tunnel: Record<string, unknown> = {
        description: `AWS ${c.id} tunnel ${t.n}${c.name ? ` (${oneLine(c.name, 80)})` : ""}`,
        between: [hostEnd, peerEnd],
      };
      const { ike, esp, weak } = crypto(ctx, c, t, name);
      tunnel["ike"] = ike;
      tunnel["esp"] = esp;
      tunnel["psk"] = { env };
      tunnel["inside"] = t.insideCidr;
      const order = insideOrder(t);
      if (order === "customer-first") {
        if (!standIn) tunnel["insideOrder"] = "host-first";
      } else if (standIn) tunnel["insideOrder"] = "host-first";
      tunnel["key"] = nextKey++;
      if (t.xml?.ipsec.mssAdjustment !== undefined) {
        tunnel["mtu"] = t.xml.ipsec.mssAdjustment + 40;
        tunnel["mss"] = t.xml.ipsec.mssAdjustment;
        ctx.comments.push({ path: ["tunnels", name, "mtu"], text: `AWS asks for TCP MSS ${t.xml.ipsec.mssAdjustment} (tcp_mss_adjustment); the MTU is that plus 40` });
      }
      const dpd = dpdOf(ctx, c, t, name);
      if (dpd) tunnel["dpd"] = dpd;
      if (weak) tunnel["allowWeak"] = WEAK_REASON;
      if (bgp) tunnel["bgp"] = t.holdTime !== undefined ? { holdTime: `${t.holdTime}s` } : {};
      else {
        tunnel["routes"] = toHost.length > 0 ? (standIn ? { toPeer: toHost } : { toHost }) : {};
        ctx.comments.push({
          path: ["tunnels", name, "routes"],
          text: `TODO: static routing: add the networks behind AWS (your VPC or transit gateway routes) to ${standIn ? "toHost" : "toPeer"}; AWS's data does not list them`,
        });
        ctx.diagnostics.push(diagnosticAt(input, c.path, "SW402", "warning", `${c.id}: static routing, and the networks behind AWS are not in the VPN connection's data: tunnel '${name}' has a TODO for them`));
      }
      const awsOutside = t.outside!;
      if (awsOutside !== usable[0]!.outside) tunnel["overrides"] = { [aws]: { address: awsOutside } };
      if (t.startupAction === "start")
        ctx.diagnostics.push(diagnosticAt(input, [...t.path], "SW401", "warning", `tunnel ${t.n} of ${c.id}: AWS starts the IKE negotiation (StartupAction start); sitewire's ends always initiate too, which works, but the setting is not imported`));
      for (const e of t.extras)
        ctx.diagnostics.push(diagnosticAt(input, e.path, "SW401", "warning", `tunnel ${t.n} of ${c.id}: ${e.name} = ${shown(e.value)} has no place in a sitewire intent: not imported`, e.name.includes("ekey") ? "sitewire rekeys with strongSwan's defaults (margin 9m)" : undefined));
      if (!t.hasKey)
        ctx.diagnostics.push(diagnosticAt(input, t.path, "SW402", "warning", `tunnel ${t.n} of ${c.id}: no pre-shared key in the data; ${env} must hold the one AWS has`));
      tunnels[name] = tunnel;
      secrets.push({
        env,
        tunnel: name,
        command: exportCommand(env, c, t, options.inputPath),
        ...(standIn ? {} : { terraformVariable: `TF_VAR_psk_${name.replace(/-/g, "_")}` }),
      });
    }
  }

  const intent: Record<string, unknown> = options.existing
    ? {
        ...(Object.keys(networks).length > 0 ? { networks } : {}),
        ...(Object.keys(hosts).length > 0 ? { hosts } : {}),
        ...(Object.keys(peers).length > 0 ? { peers } : {}),
        tunnels,
      }
    : {
        site: options.site,
        description: `Imported from AWS: ${connections.map((c) => c.id).join(", ")}`,
        ...(Object.keys(networks).length > 0 ? { networks } : {}),
        hosts,
        ...(Object.keys(peers).length > 0 ? { peers } : {}),
        tunnels,
      };
  const header = [
    ...(options.existing ? [] : ["yaml-language-server: $schema=../schema/site.schema.json", ""]),
    `Imported by \`sitewire import aws-vpn\` from ${connections.map((c) => `${c.id} (${c.source})`).join(", ")}.`,
    ...(options.existing ? ["A fragment: merge each section into the same section of the site file."] : []),
    "Pre-shared keys are environment variable references; the keys stay in AWS (see the export commands the import printed).",
    ...(standIn ? ["AWS's endpoints are stand-in hosts here; deploy only the customer device's files (devices/<peer>/)."] : []),
  ];
  return { intent, comments: ctx.comments, diagnostics: ctx.diagnostics, secrets, header };
}

function customerHost(ctx: Ctx, c: AwsConnection, name: string, options: AwsIntentOptions): Record<string, unknown> {
  const cgw = c.customerAddress;
  const host: Record<string, unknown> = {
    description: `Customer gateway${c.customerGatewayId ? ` ${c.customerGatewayId}` : ""} (strongSwan)`,
    os: options.os,
    address: options.hostAddress ?? cgw,
    ...(options.hostAddress && cgw && options.hostAddress.split("/")[0] !== cgw ? { publicAddress: cgw } : {}),
  };
  if (!options.hostAddress)
    ctx.comments.push({ path: ["hosts", name, "address"], text: "TODO: the gateway's own interface address with its prefix length; AWS only knows the customer gateway address (if that is a 1:1 NAT address, move it to publicAddress)" });
  if (!c.staticRoutesOnly) host["routing"] = { bgp: { as: asnOf(ctx, c, ["hosts", name, "routing"]) } };
  return host;
}

function customerDevice(ctx: Ctx, c: AwsConnection, name: string, options: AwsIntentOptions): Record<string, unknown> {
  const platform = PLATFORM_DECLARATIONS.find((p) => p.imports.customer === options.customer)!;
  const device: Record<string, unknown> = {
    description: `Customer gateway${c.customerGatewayId ? ` ${c.customerGatewayId}` : ""} (${platform.title})`,
    platform: platform.name,
    address: c.customerAddress,
  };
  const outside = platform.capabilities.outsideInterface;
  if (options.interface) device["interface"] = options.interface;
  else if (outside !== "not-used" && outside.default === "required") {
    device["interface"] = outside.examples[0];
    ctx.comments.push({ path: ["peers", name, "interface"], text: `TODO: the device's outside interface (${outside.command}); ${outside.examples[0]} is an example, AWS does not know it` });
    ctx.diagnostics.push(diagnosticAt(ctx.input, c.path, "SW402", "warning", `${c.id}: ${platform.name} needs the outside interface, which AWS's data lacks: written as ${outside.examples[0]} with a TODO (or give --interface)`));
  }
  if (!c.staticRoutesOnly) device["routing"] = { bgp: { as: asnOf(ctx, c, ["peers", name, "routing"]) } };
  return device;
}

function asnOf(ctx: Ctx, c: AwsConnection, path: DataPath): number {
  if (c.customerAsn !== undefined) return c.customerAsn;
  ctx.diagnostics.push(diagnosticAt(ctx.input, c.xmlPath ?? c.path, "SW402", "warning", `${c.id}: the customer gateway's BGP ASN is not in the data; written as ${AWS_CUSTOMER_GATEWAY_DEFAULT_ASN.value} with a TODO`));
  ctx.comments.push({ path, text: "TODO: the customer gateway's BGP ASN (not in AWS's data; this is the console's default)" });
  return AWS_CUSTOMER_GATEWAY_DEFAULT_ASN.value;
}

/** Which end of the /30 AWS gave the first address. */
function insideOrder(t: AwsTunnel): "aws-first" | "customer-first" {
  if (!t.customerInside || !t.awsInside) return "aws-first";
  const last = (a: string) => Number(a.split(".")[3]);
  return last(t.customerInside) < last(t.awsInside) ? "customer-first" : "aws-first";
}

// ---------------------------------------------------------------------------------------------------------
// Crypto

/** strongSwan keyword of an AWS algorithm name, by the provider table the cloud target writes with. */
function fromAws(names: readonly AlgorithmName[], token: string | number): string | undefined {
  return names.find((n) => String(n.provider).toUpperCase() === String(token).toUpperCase())?.strongswan;
}

interface Role {
  readonly words: string[];
  readonly from: "options" | "xml" | "default";
}

function role(
  ctx: Ctx,
  t: AwsTunnel,
  phase: 1 | 2,
  kind: "encryption" | "integrity" | "dh",
  aws: AwsPhase,
  xml: XmlPhase | undefined,
): Role {
  const facts = phase === 1 ? AWS_VPN.phase1 : AWS_VPN.phase2;
  const listed = kind === "dh" ? aws.dh : aws[kind];
  const field = `Phase${phase}${kind === "encryption" ? "EncryptionAlgorithms" : kind === "integrity" ? "IntegrityAlgorithms" : "DHGroupNumbers"}`;
  if (listed.length > 0) {
    const words: string[] = [];
    for (const token of listed) {
      const word = fromAws(facts[kind].value, token);
      if (word) words.push(word);
      else ctx.diagnostics.push(diagnosticAt(ctx.input, t.path, "SW401", "warning", `tunnel ${t.n}: ${field} value ${shown(token)} is not one sitewire knows for AWS: left out`));
    }
    if (words.length > 0) return { words: [...new Set(words)], from: "options" };
  }
  const xmlWord =
    kind === "encryption"
      ? XML_ENCRYPTION[xml?.encryption ?? ""]
      : kind === "integrity"
        ? (phase === 1 ? XML_IKE_INTEGRITY : XML_ESP_INTEGRITY)[xml?.authentication ?? ""]
        : (() => {
            const g = xmlGroup(xml?.pfs);
            return g !== undefined ? fromAws(facts.dh.value, g) : undefined;
          })();
  if (xmlWord) return { words: [xmlWord], from: "xml" };
  const xmlValue = kind === "encryption" ? xml?.encryption : kind === "integrity" ? xml?.authentication : xml?.pfs;
  if (xmlValue) ctx.diagnostics.push(diagnosticAt(ctx.input, t.path, "SW401", "warning", `tunnel ${t.n}: the configuration XML's ${phase === 1 ? "ike" : "ipsec"} ${kind} '${oneLine(xmlValue, 40)}' is not one sitewire knows: AWS's sample default used instead`));
  // AWS's generic configuration sample: aes-128-cbc, sha1 / hmac-sha1-96, group2.
  const fallback = kind === "encryption" ? "aes128" : kind === "integrity" ? "sha1" : "modp1024";
  ctx.diagnostics.push(
    diagnosticAt(ctx.input, t.path, "SW402", "warning", `tunnel ${t.n}: AWS's data restricts no phase ${phase} ${kind} (${field} empty, no configuration XML): imported AWS's sample default ${fallback}`, `restrict ${field} on the AWS side, or edit the proposal`),
  );
  return { words: [fallback], from: "default" };
}

function cross(enc: Role, integ: Role, dh: Role, phase: 1 | 2): string[] {
  const out: string[] = [];
  for (const e of enc.words)
    for (const d of dh.words) {
      if (isAead(e)) {
        if (phase === 1) for (const i of integ.words) out.push(`${e}-prf${i}-${d}`);
        else out.push(`${e}-${d}`);
      } else for (const i of integ.words) out.push(`${e}-${i}-${d}`);
    }
  return [...new Set(out)];
}

function crypto(ctx: Ctx, c: AwsConnection, t: AwsTunnel, name: string): { ike: Record<string, unknown>; esp: Record<string, unknown>; weak: boolean } {
  const x = t.xml;
  const r1 = { e: role(ctx, t, 1, "encryption", t.phase1, x?.ike), i: role(ctx, t, 1, "integrity", t.phase1, x?.ike), d: role(ctx, t, 1, "dh", t.phase1, x?.ike) };
  const r2 = { e: role(ctx, t, 2, "encryption", t.phase2, x?.ipsec), i: role(ctx, t, 2, "integrity", t.phase2, x?.ipsec), d: role(ctx, t, 2, "dh", t.phase2, x?.ipsec) };
  if (t.phase2.integrity.length > 0 && r2.e.words.every((e) => isAead(e)))
    ctx.diagnostics.push(diagnosticAt(ctx.input, [...t.path, ...(c.source === "terraform" ? [`tunnel${t.n}_phase2_integrity_algorithms`] : ["Phase2IntegrityAlgorithms"])], "SW401", "note", `tunnel ${t.n} of ${c.id}: phase 2 integrity ${t.phase2.integrity.join(", ")} has no use with AES-GCM only (an ESP proposal with an AEAD cipher has no integrity algorithm): not imported`));
  const cap = (list: string[], phase: 1 | 2): string[] => {
    if (list.length <= MAX_PROPOSALS) return list;
    ctx.diagnostics.push(diagnosticAt(ctx.input, t.path, "SW401", "note", `tunnel ${t.n} of ${c.id}: AWS permits ${list.length} phase ${phase} combinations; imported the first ${MAX_PROPOSALS} in AWS's order`));
    return list.slice(0, MAX_PROPOSALS);
  };
  const ikeProposals = cap(cross(r1.e, r1.i, r1.d, 1), 1);
  const espProposals = cap(cross(r2.e, r2.i, r2.d, 2), 2);
  const versions = t.ikeVersions.map((v) => (v === "ikev1" ? 1 : v === "ikev2" ? 2 : 0));
  let version: 1 | 2 = 2;
  if (versions.length === 1 && (versions[0] === 1 || versions[0] === 2)) version = versions[0];
  else {
    ctx.comments.push({ path: ["tunnels", name, "ike", "version"], text: "AWS accepts IKEv1 and IKEv2 on this tunnel (IkeVersions not restricted): IKEv2 chosen" });
    ctx.diagnostics.push(diagnosticAt(ctx.input, t.path, "SW401", "note", `tunnel ${t.n} of ${c.id}: AWS accepts IKEv1 and IKEv2; an intent states one: imported as IKEv2`));
  }
  const aggressive = x?.ike.mode === "aggressive";
  const ike: Record<string, unknown> = {
    version,
    proposals: ikeProposals,
    lifetime: duration(t.phase1.lifetime ?? x?.ike.lifetime ?? lifetimeDefault(1)),
    ...(aggressive ? { aggressive: true } : {}),
  };
  const esp: Record<string, unknown> = {
    proposals: espProposals,
    lifetime: duration(t.phase2.lifetime ?? x?.ipsec.lifetime ?? lifetimeDefault(2)),
  };
  const weak = [...ikeProposals, ...espProposals].some((p) => p.split("-").some((w) => isWeak(w))) || aggressive;
  if (weak) ctx.comments.push({ path: ["tunnels", name, "ike"], text: "Weak algorithms AWS offers by default; allowWeak records why they are accepted: restrict them on both sides, then drop allowWeak" });
  return { ike, esp, weak };
}

function lifetimeDefault(phase: 1 | 2): number {
  const fact = (phase === 1 ? AWS_VPN.phase1 : AWS_VPN.phase2).lifetimeSeconds;
  return "value" in fact ? fact.value.default : phase === 1 ? 28800 : 3600;
}

/** AWS DPD → sitewire dpd (the cloud target maps it back: clear↔clear, restart↔restart, hold↔none). */
function dpdOf(ctx: Ctx, c: AwsConnection, t: AwsTunnel, name: string): Record<string, unknown> | undefined {
  const interval = t.xml?.ipsec.dpdInterval;
  const retries = t.xml?.ipsec.dpdRetries;
  const timeout = t.dpdTimeout ?? (interval !== undefined && retries !== undefined ? interval * retries : undefined);
  const action = t.dpdAction ?? "clear";
  const mapped = action === "none" ? "hold" : action === "clear" || action === "restart" ? action : undefined;
  if (!mapped) ctx.diagnostics.push(diagnosticAt(ctx.input, t.path, "SW401", "warning", `tunnel ${t.n} of ${c.id}: DPD timeout action '${oneLine(action, 30)}' is not one sitewire knows: left at sitewire's default`));
  const dpd: Record<string, unknown> = {
    ...(interval !== undefined ? { delay: `${interval}s` } : {}),
    ...(timeout !== undefined ? { timeout: `${timeout}s` } : {}),
    ...(mapped ? { action: mapped } : {}),
  };
  if (timeout === undefined) {
    ctx.diagnostics.push(diagnosticAt(ctx.input, t.path, "SW402", "warning", `tunnel ${t.n} of ${c.id}: no DPD timeout in the data (AWS documents both 30 s and 40 s as its default): set dpd.timeout`));
    ctx.comments.push({ path: ["tunnels", name, "dpd"], text: "TODO: AWS's data gives no DPD timeout; set timeout (AWS's default is documented as 30s and as 40s)" });
  }
  return Object.keys(dpd).length > 0 ? dpd : undefined;
}

// ---------------------------------------------------------------------------------------------------------

/** A sitewire name (NAME_PATTERN) from an id such as vpn-0a1b2c3d4e5f60718 or cgw-…. */
export function nameOf(raw: string): string {
  let n = raw.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^[^a-z]+/, "").replace(/-+$/, "");
  if (n.length > 40) n = n.slice(0, 40).replace(/-+$/, "");
  if (n === "" || /^(?:y|n|yes|no|on|off|true|false|null)$/.test(n)) n = `x-${n || "import"}`;
  return n;
}

/** VPN_0A1B2C3D4E5F60718_T1_PSK for tunnel vpn-0a1b2c3d4e5f60718-t1. */
export function envName(tunnel: string): string {
  return `${tunnel.toUpperCase().replace(/-/g, "_")}_PSK`;
}

function shown(value: unknown): string {
  return oneLine(typeof value === "string" ? value : JSON.stringify(value) ?? String(value), 80);
}

/** jq path of a JSON path: .VpnConnections[0].Options.TunnelOptions[1].PreSharedKey */
function jqPath(path: DataPath): string {
  return path.map((k) => (typeof k === "number" ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `.${JSON.stringify(k)}`)).join("");
}

/**
 * The command that sets `env` to the tunnel's key without showing it: read from the imported file with jq when
 * the key is a JSON field there, else from AWS (describe-vpn-connections) or Terraform (terraform show -json).
 */
function exportCommand(env: string, c: AwsConnection, t: AwsTunnel, inputPath: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const file = inputPath !== undefined && !/[\u0000-\u001f\u007f-\u009f]/.test(inputPath) ? inputPath : undefined;
  if (file && t.keyPath) return `export ${env}="$(jq -r ${shellQuote(jqPath(t.keyPath))} ${shellQuote(file)})"`;
  if (c.source === "terraform") {
    const where = c.address ? `select(.address == ${JSON.stringify(c.address)})` : `select(.values.id == ${JSON.stringify(c.id)})`;
    const jq = `[.values.root_module | .. | objects | select(.type? == "aws_vpn_connection") | ${where}][0].values.tunnel${t.n}_preshared_key`;
    return `export ${env}="$(terraform show -json | jq -r ${shellQuote(jq)})"`;
  }
  return `export ${env}="$(aws ec2 describe-vpn-connections --vpn-connection-ids ${shellQuote(c.id)} --query ${shellQuote(`VpnConnections[0].Options.TunnelOptions[${t.n - 1}].PreSharedKey`)} --output text)"`;
}
