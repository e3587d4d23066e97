/**
 * `sitewire import netbox`: NetBox's devices, interfaces, IP addresses and VPN objects of one site or tag
 * (./fetch.ts) → a sitewire intent.
 *
 * Object shapes are NetBox's REST serializers (netbox-community/netbox, NetBox 3.7–4.x; the OpenAPI schema at
 * /api/schema/ is generated from them): netbox/dcim/api/serializers_/devices.py (Device: id, name, site
 * {slug}, platform {slug} | null, primary_ip4 {address} | null, tags [{slug}]), …/interfaces.py (Interface:
 * id, name, device {id}), netbox/ipam/api/serializers_/ip.py (IPAddress: address "a.b.c.d/len",
 * assigned_object_type "dcim.interface", assigned_object_id), netbox/vpn/api/serializers_/tunnels.py (Tunnel:
 * id, name, status {value}, encapsulation {value}, ipsec_profile {id} | null, tunnel_id, group, tenant;
 * TunnelTermination: tunnel {id}, role {value}, termination_type, termination_id, termination {device {id}},
 * outside_ip {address} | null) and …/crypto.py (IKEProposal: authentication_method, encryption_algorithm,
 * authentication_algorithm, group, sa_lifetime; IKEPolicy: version, mode, proposals, preshared_key;
 * IPSecProposal: encryption_algorithm, authentication_algorithm, sa_lifetime_seconds, sa_lifetime_data;
 * IPSecPolicy: proposals, pfs_group; IPSecProfile: mode, ike_policy, ipsec_policy). Choice values:
 * netbox/vpn/choices.py (encryption aes-128-cbc … des-cbc, authentication hmac-sha1 … hmac-md5, DH groups by
 * IANA number, encapsulation ipsec-tunnel / ipsec-transport / ip-ip / gre).
 *
 * Mapping: a device whose platform is Linux-like (linux, debian, ubuntu, rhel, centos, rocky, alma,
 * strongswan) is a sitewire host; the other end of each of its tunnels is a peer whose platform comes from
 * the NetBox platform slug (cisco/ios → cisco-ios, junos/srx → juniper-srx, fortios/fortigate → fortigate,
 * panos/palo → paloalto-panos, Linux-like → strongswan). A tunnel with IP addresses on its termination
 * interfaces is route-based (inside = their /30 or /31, key = NetBox's tunnel_id); without, policy-based.
 * The IKE policy's pre-shared key becomes an env: reference; its value is never read into the result.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { isAead } from "../../model/crypto.js";
import { shellQuote } from "../../render/quote.js";
import { renderIntent, type IntentComment } from "../intent-doc.js";
import { diagnosticAt, duration, importDiagnostic, isRecord, num, oneLine, str } from "../source.js";
import { nameOf } from "../aws/intent.js";
import { PLATFORM_DECLARATIONS, platformNamed } from "../../targets/platforms.js";
import { fetchNetbox, NetboxError, type Item, type Source } from "./fetch.js";

export { NetboxError };

/** Where to read NetBox from (./fetch.ts Source), and what to call and build the imported site. */
export interface NetboxImportOptions extends Source {
  readonly siteName: string;
  readonly os: "debian" | "rhel";
}

export interface NetboxSecret {
  readonly env: string;
  readonly tunnel: string;
  readonly command: string;
}

export interface NetboxResult {
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly secrets: readonly NetboxSecret[];
  readonly imported: readonly string[];
  readonly tunnels: number;
}

// netbox/vpn/choices.py → strongSwan keywords
const ENCRYPTION: Readonly<Record<string, string>> = {
  "aes-128-cbc": "aes128",
  "aes-192-cbc": "aes192",
  "aes-256-cbc": "aes256",
  "aes-128-gcm": "aes128gcm16",
  "aes-192-gcm": "aes192gcm16",
  "aes-256-gcm": "aes256gcm16",
  "3des-cbc": "3des",
  "des-cbc": "des",
};
const AUTHENTICATION: Readonly<Record<string, string>> = {
  "hmac-sha1": "sha1",
  "hmac-sha256": "sha256",
  "hmac-sha384": "sha384",
  "hmac-sha512": "sha512",
  "hmac-md5": "md5",
};
/** IANA DH group numbers (NetBox's DHGroupChoices) → strongSwan keywords. */
const GROUP: Readonly<Record<number, string>> = {
  1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096", 17: "modp6144", 18: "modp8192",
  19: "ecp256", 20: "ecp384", 21: "ecp521", 22: "modp1024s160", 23: "modp2048s224", 24: "modp2048s256", 25: "ecp192", 26: "ecp224",
  27: "ecp224bp", 28: "ecp256bp", 29: "ecp384bp", 30: "ecp512bp", 31: "curve25519", 32: "curve448",
};

const LINUX = /linux|debian|ubuntu|rhel|red-?hat|centos|rocky|alma|fedora|strongswan/;
const RHEL = /rhel|red-?hat|centos|rocky|alma|fedora/;
/** Each registered platform's NetBox pattern (src/targets/platforms.ts), then Linux; first match wins. */
const PEER_PLATFORMS: readonly [RegExp, string][] = [...PLATFORM_DECLARATIONS.map((p) => [p.imports.netbox, p.name] as [RegExp, string]), [LINUX, "strongswan"]];

const choice = (v: unknown): unknown => (isRecord(v) ? v["value"] : v);
const id = (v: unknown): number | undefined => (isRecord(v) ? num(v["id"]) : num(v));

export async function importNetbox(options: NetboxImportOptions): Promise<NetboxResult> {
  const fetched = await fetchNetbox(options);
  const diagnostics: Diagnostic[] = [...fetched.diagnostics];
  const comments: IntentComment[] = [];
  const secrets: NetboxSecret[] = [];
  const { items } = fetched;
  const at: At = (item, code, severity, message, key, hint) =>
    diagnostics.push(diagnosticAt(item.input, key === undefined ? item.path : [...item.path, ...(typeof key === "string" ? [key] : key)], code, severity, message, hint));
  const shownSource = options.fromDir !== undefined ? (options.fromDirShown ?? options.fromDir) : (options.url ?? "NetBox");
  if (items.devices.length === 0)
    throw new NetboxError(`no device in NetBox ${options.site !== undefined ? `site '${options.site}'` : `tag '${options.tag}'`} (${shownSource})`);

  const byId = (list: readonly Item[]) => new Map(list.flatMap((i) => (num(i.value["id"]) !== undefined ? [[num(i.value["id"])!, i] as const] : [])));
  const devices = byId(items.devices);
  const allDevices = byId([...items.devices, ...items.farDevices]);
  const interfaces = byId(items.interfaces);
  const tunnelsById = byId(items.tunnels);
  const ikeProposals = byId(items.ikeProposals);
  const ikePolicies = byId(items.ikePolicies);
  const ipsecProposals = byId(items.ipsecProposals);
  const ipsecPolicies = byId(items.ipsecPolicies);
  const profiles = byId(items.ipsecProfiles);
  /** Addresses by interface id. */
  const addresses = new Map<number, Item[]>();
  for (const a of items.ipAddresses) {
    if (a.value["assigned_object_type"] !== "dcim.interface") continue;
    const iface = num(a.value["assigned_object_id"]);
    if (iface !== undefined) addresses.set(iface, [...(addresses.get(iface) ?? []), a]);
  }

  const hosts: Record<string, Record<string, unknown>> = {};
  const peers: Record<string, Record<string, unknown>> = {};
  const tunnels: Record<string, Record<string, unknown>> = {};
  const names = new Map<number, string>();
  const taken = new Set<string>();
  const nameFor = (deviceId: number, raw: string): string => {
    const known = names.get(deviceId);
    if (known) return known;
    let n = nameOf(raw);
    for (let i = 2; taken.has(n); i++) n = nameOf(`${raw}-${i}`);
    taken.add(n);
    names.set(deviceId, n);
    return n;
  };
  const platformSlug = (device: Record<string, unknown>) => (isRecord(device["platform"]) ? String(device["platform"]["slug"] ?? "") : "").toLowerCase();
  const deviceAddress = (device: Record<string, unknown>) => (isRecord(device["primary_ip4"]) ? str(device["primary_ip4"]["address"]) : undefined);

  // Terminations by tunnel.
  const terms = new Map<number, Item[]>();
  for (const t of items.terminations) {
    const tid = id(t.value["tunnel"]);
    if (tid !== undefined) terms.set(tid, [...(terms.get(tid) ?? []), t]);
  }
  const deviceOf = (term: Item): number | undefined => {
    const termination = term.value["termination"];
    const fromNested = isRecord(termination) ? id(termination["device"]) : undefined;
    return fromNested ?? (num(term.value["termination_id"]) !== undefined ? id(interfaces.get(num(term.value["termination_id"])!)?.value["device"]) : undefined);
  };

  let key = 0;
  const selectedIds = new Set(devices.keys());
  for (const [tunnelId, tunnelItem] of [...tunnelsById].sort((a, b) => a[0] - b[0])) {
    const ends = terms.get(tunnelId) ?? [];
    const local = ends.filter((e) => selectedIds.has(deviceOf(e) ?? -1));
    if (local.length === 0) continue;
    const t = tunnelItem.value;
    const tName = String(t["name"] ?? `tunnel-${tunnelId}`);
    const status = choice(t["status"]);
    if (status !== "active") at(tunnelItem, "SW401", "warning", `tunnel '${oneLine(tName, 60)}' is ${String(status)} in NetBox: imported as if active`, ["status", "value"]);
    const encapsulation = choice(t["encapsulation"]);
    if (encapsulation !== "ipsec-tunnel" && encapsulation !== "ipsec-transport") {
      at(tunnelItem, "SW401", "warning", `tunnel '${oneLine(tName, 60)}': encapsulation ${String(encapsulation)} is not an IPsec tunnel sitewire builds between a host and a peer: not imported`, ["encapsulation", "value"]);
      continue;
    }
    if (encapsulation === "ipsec-transport") at(tunnelItem, "SW401", "warning", `tunnel '${oneLine(tName, 60)}': IPsec transport mode is written as sitewire's tunnel mode`, "encapsulation");
    for (const k of ["group", "tenant"]) if (t[k] !== null && t[k] !== undefined) at(tunnelItem, "SW401", "note", `tunnel '${oneLine(tName, 60)}': its ${k} in NetBox has no place in a sitewire intent: not imported`, k);
    // The host end: a selected Linux device; the peer end: the other termination.
    const hostEnd = local.find((e) => LINUX.test(platformSlug(devices.get(deviceOf(e)!)!.value)));
    if (!hostEnd) {
      at(tunnelItem, "SW401", "warning", `tunnel '${oneLine(tName, 60)}': none of its ends in the selection is a Linux device (NetBox platform linux, debian, ubuntu, rhel…): sitewire configures a Linux host on one end`);
      continue;
    }
    const farEnd = ends.find((e) => e !== hostEnd);
    if (!farEnd) {
      at(tunnelItem, "SW402", "warning", `tunnel '${oneLine(tName, 60)}' has one termination in NetBox: the far end is unknown, not imported`, undefined, "add the far end's termination (its device and outside IP) in NetBox");
      continue;
    }
    if (ends.length > 2) at(tunnelItem, "SW401", "warning", `tunnel '${oneLine(tName, 60)}' has ${ends.length} terminations (hub and spokes): only the first other end is imported`);
    const hostDevice = devices.get(deviceOf(hostEnd)!)!;
    const hostName = nameFor(num(hostDevice.value["id"])!, String(hostDevice.value["name"] ?? "host"));
    if (!hosts[hostName]) {
      const address = deviceAddress(hostDevice.value) ?? str(isRecord(hostEnd.value["outside_ip"]) ? hostEnd.value["outside_ip"]["address"] : undefined);
      if (!address) {
        at(hostDevice, "SW402", "error", `device '${oneLine(String(hostDevice.value["name"]), 60)}' has no primary IPv4 address and its termination no outside IP: sitewire needs the host's address`, "primary_ip4");
        continue;
      }
      hosts[hostName] = {
        ...(str(hostDevice.value["description"]) ? { description: oneLine(str(hostDevice.value["description"])!, 200) } : {}),
        os: RHEL.test(platformSlug(hostDevice.value)) ? "rhel" : options.os,
        address,
      };
      comments.push({ path: ["hosts", hostName], text: `NetBox device ${oneLine(String(hostDevice.value["name"]), 80)} (id ${String(hostDevice.value["id"])}); IKE identity: NetBox has none, sitewire uses the host's address` });
    }
    const hostOutside = isRecord(hostEnd.value["outside_ip"]) ? str(hostEnd.value["outside_ip"]["address"])?.split("/")[0] : undefined;
    if (hostOutside && hostOutside !== String(hosts[hostName]!["address"]).split("/")[0] && !hosts[hostName]!["publicAddress"]) hosts[hostName]!["publicAddress"] = hostOutside;

    // The peer.
    const farDeviceId = deviceOf(farEnd);
    const farDevice = farDeviceId !== undefined ? allDevices.get(farDeviceId) : undefined;
    const farRaw = isRecord(farEnd.value["termination"]) && isRecord(farEnd.value["termination"]["device"]) ? farEnd.value["termination"]["device"] : farDevice?.value;
    const farLabel = String((isRecord(farRaw) ? (farRaw["name"] ?? farRaw["display"]) : undefined) ?? `peer-${tunnelId}`);
    const peerName = nameFor(farDeviceId ?? -tunnelId, farLabel);
    const farOutside = isRecord(farEnd.value["outside_ip"]) ? str(farEnd.value["outside_ip"]["address"])?.split("/")[0] : undefined;
    const peerAddress = farOutside ?? (farDevice ? deviceAddress(farDevice.value)?.split("/")[0] : undefined);
    if (!peerAddress) {
      at(farEnd, "SW402", "warning", `tunnel '${oneLine(tName, 60)}': the far end has no outside IP in NetBox: not imported`, "outside_ip", "set the termination's outside IP");
      continue;
    }
    if (!peers[peerName]) {
      const slug = farDevice ? platformSlug(farDevice.value) : "";
      const platform = PEER_PLATFORMS.find(([re]) => slug !== "" && re.test(slug))?.[1];
      peers[peerName] = { platform: platform ?? "strongswan", address: peerAddress };
      if (!platform) {
        comments.push({ path: ["peers", peerName, "platform"], text: `TODO: NetBox ${farDevice ? `platform '${oneLine(slug || "none", 40)}'` : "has only the far end's address (its device is outside the selection)"}: set the far end's platform` });
        diagnostics.push(diagnosticAt(farEnd.input, farEnd.path, "SW402", "warning", `tunnel '${oneLine(tName, 60)}': the far end's platform is not known from NetBox: written as strongswan with a TODO`));
      }
    }

    // Crypto from the IPsec profile.
    const tunnel: Record<string, unknown> = { ...(str(t["description"]) ? { description: oneLine(str(t["description"])!, 200) } : {}), between: [hostName, peerName] };
    const profile = profiles.get(id(t["ipsec_profile"]) ?? -1);
    const sitewireName = nameOf(tName);
    let tunnelKey = sitewireName;
    for (let i = 2; taken.has(tunnelKey) || tunnels[tunnelKey]; i++) tunnelKey = nameOf(`${tName}-${i}`);
    taken.add(tunnelKey);
    const env = `${tunnelKey.toUpperCase().replace(/-/g, "_")}_PSK`;
    let secret: NetboxSecret | undefined;
    if (!profile) {
      at(tunnelItem, "SW402", "warning", `tunnel '${oneLine(tName, 60)}' has no IPsec profile in NetBox: proposals written as TODO defaults`, "ipsec_profile", "assign an IPsec profile to the tunnel in NetBox");
      tunnel["ike"] = { version: 2, proposals: ["aes256-sha256-modp3072"] };
      tunnel["esp"] = { proposals: ["aes256-sha256-modp3072"] };
      comments.push({ path: ["tunnels", tunnelKey, "ike"], text: "TODO: NetBox has no IPsec profile for this tunnel: these proposals are sitewire's suggestion, not NetBox's" });
    } else {
      if (choice(profile.value["mode"]) === "ah") at(profile, "SW401", "warning", `IPsec profile '${oneLine(String(profile.value["name"]), 60)}' uses AH: sitewire builds ESP`, "mode");
      const ike = ikePolicies.get(id(profile.value["ike_policy"]) ?? -1);
      const ipsec = ipsecPolicies.get(id(profile.value["ipsec_policy"]) ?? -1);
      tunnel["ike"] = ikeOf(ike, ikeProposals, at, tName);
      tunnel["esp"] = espOf(ipsec, ipsecProposals, at, tName);
      if (ike && typeof ike.value["preshared_key"] === "string" && ike.value["preshared_key"] !== "") {
        secret = { env, tunnel: tunnelKey, command: exportCommand(env, options, num(ike.value["id"])!) };
      } else {
        comments.push({ path: ["tunnels", tunnelKey, "psk"], text: `TODO: NetBox holds no pre-shared key for this tunnel: put it in ${env}` });
        if (ike) at(ike, "SW402", "warning", `IKE policy '${oneLine(String(ike.value["name"]), 60)}' has no pre-shared key: ${env} must be set by hand`, "preshared_key");
      }
    }
    tunnel["psk"] = { env };
    // Inside addresses: the IPs on the two termination interfaces.
    // A tunnel interface's inside address: the /30 or /31 on it (not a /32 outside or a LAN address).
    const ipOf = (e: Item) =>
      num(e.value["termination_id"]) !== undefined ? addresses.get(num(e.value["termination_id"])!)?.find((a) => /\/3[01]$/.test(str(a.value["address"]) ?? "")) : undefined;
    const hostIp = ipOf(hostEnd);
    const farIp = ipOf(farEnd);
    const inside = hostIp ? str(hostIp.value["address"]) : undefined;
    if (inside) {
      const [addr, len] = inside.split("/");
      const network = networkOf(addr!, Number(len));
      tunnel["kind"] = "ipsec-vti";
      tunnel["inside"] = network;
      const hostFirst = isFirst(addr!, Number(len));
      if (hostFirst) tunnel["insideOrder"] = "host-first";
      const tid = num(t["tunnel_id"]);
      tunnel["key"] = tid !== undefined && tid > 0 ? tid : ++key + 1000;
      if (tid === undefined) comments.push({ path: ["tunnels", tunnelKey, "key"], text: "NetBox's tunnel has no tunnel ID: a key was numbered here" });
      const farAddress = farIp ? str(farIp.value["address"]) : undefined;
      if (farIp && farAddress) {
        const [fa, fl] = farAddress.split("/");
        if (networkOf(fa!, Number(fl)) !== network)
          at(farIp, "SW401", "warning", `tunnel '${oneLine(tName, 60)}': the far end's tunnel address ${farAddress} is not in the host's ${network}: the far end gets the other address of ${network}`, "address");
      }
    } else {
      const device = platformNamed(String(peers[peerName]!["platform"]));
      if (device && !(device.capabilities.tunnelKinds as readonly string[]).includes("ipsec-policy")) {
        at(tunnelItem, "SW402", "warning", `tunnel '${oneLine(tName, 60)}': no IP address on its termination interfaces, and ${device.name} builds route-based tunnels only (they need an inside network): not imported`, undefined, "assign the /30 or /31 inside addresses to both tunnel interfaces in NetBox");
        taken.delete(tunnelKey);
        for (let i = comments.length - 1; i >= 0; i--) if (comments[i]!.path[0] === "tunnels" && comments[i]!.path[1] === tunnelKey) comments.splice(i, 1);
        continue;
      }
      tunnel["kind"] = "ipsec-policy";
      tunnel["routes"] = {};
      comments.push({ path: ["tunnels", tunnelKey, "routes"], text: "TODO: NetBox has no addresses on the tunnel interfaces (policy-based): add the networks behind each end (toPeer, toHost)" });
      at(tunnelItem, "SW402", "warning", `tunnel '${oneLine(tName, 60)}': no IP address on its termination interfaces, so no inside network: written as policy-based with a TODO for the routed networks`);
    }
    tunnels[tunnelKey] = tunnel;
    if (secret) secrets.push(secret);
  }

  const used = new Set([...names.keys()]);
  for (const [deviceId, d] of devices)
    if (!used.has(deviceId))
      diagnostics.push(diagnosticAt(d.input, d.path, "SW401", "note", `device '${oneLine(String(d.value["name"] ?? deviceId), 60)}' has no IPsec tunnel to import${LINUX.test(platformSlug(d.value)) ? "" : " from a Linux device"}: not imported`));
  const sorted = sortDiagnostics(diagnostics);
  const count = Object.keys(tunnels).length;
  if (hasErrors(sorted) || count === 0) {
    return {
      diagnostics: hasErrors(sorted) ? sorted : [...sorted, importDiagnostic("SW400", "error", `no IPsec tunnel of a Linux device in the selection (${items.devices.length} device${items.devices.length === 1 ? "" : "s"} read)`, shownSource)],
      secrets: [],
      imported: [],
      tunnels: 0,
    };
  }
  const intent = {
    site: options.siteName,
    description: `Imported from NetBox ${options.site !== undefined ? `site ${options.site}` : `tag ${options.tag}`}`,
    hosts,
    peers,
    tunnels,
  };
  const header = [
    "yaml-language-server: $schema=../schema/site.schema.json",
    "",
    `Imported by \`sitewire import netbox\` from ${options.url !== undefined ? options.url : "saved API responses"} (${options.site !== undefined ? `site ${options.site}` : `tag ${options.tag}`}).`,
    "Pre-shared keys are environment variable references; the keys stay in NetBox (see the export commands the import printed).",
  ];
  return {
    text: renderIntent(header, intent, comments),
    diagnostics: sorted,
    secrets,
    imported: [`NetBox ${options.site !== undefined ? `site ${options.site}` : `tag ${options.tag}`}`],
    tunnels: count,
  };
}

type At = (item: Item, code: "SW400" | "SW401" | "SW402", severity: Diagnostic["severity"], message: string, key?: string | readonly (string | number)[], hint?: string) => void;

function ikeOf(policy: Item | undefined, proposals: Map<number, Item>, at: At, tunnel: string): Record<string, unknown> {
  if (!policy) return { version: 2, proposals: ["aes256-sha256-modp3072"] };
  const version = num(choice(policy.value["version"])) === 1 ? 1 : 2;
  const list: string[] = [];
  let lifetime: number | undefined;
  for (const ref of Array.isArray(policy.value["proposals"]) ? policy.value["proposals"] : []) {
    const p = proposals.get(id(ref) ?? -1);
    if (!p) continue;
    const method = choice(p.value["authentication_method"]);
    if (method !== "preshared-keys") at(p, "SW401", "warning", `IKE proposal '${oneLine(String(p.value["name"]), 60)}' authenticates with ${String(method)}: sitewire uses pre-shared keys`, "authentication_method");
    const enc = ENCRYPTION[String(choice(p.value["encryption_algorithm"]))];
    const auth = AUTHENTICATION[String(choice(p.value["authentication_algorithm"]))];
    const dh = GROUP[num(choice(p.value["group"])) ?? -1];
    if (!enc || !dh || (!auth && !(enc && isAead(enc)))) {
      at(p, "SW401", "warning", `IKE proposal '${oneLine(String(p.value["name"]), 60)}' has an algorithm sitewire does not know: left out`);
      continue;
    }
    list.push(isAead(enc) ? `${enc}-prf${auth ?? "sha256"}-${dh}` : `${enc}-${auth}-${dh}`);
    lifetime ??= num(p.value["sa_lifetime"]);
  }
  if (list.length === 0) at(policy, "SW402", "warning", `IKE policy '${oneLine(String(policy.value["name"]), 60)}' of tunnel '${oneLine(tunnel, 60)}' has no usable proposal: sitewire's suggestion written`, "proposals");
  return {
    version,
    proposals: list.length > 0 ? [...new Set(list)] : ["aes256-sha256-modp3072"],
    ...(lifetime ? { lifetime: duration(lifetime) } : {}),
    ...(choice(policy.value["mode"]) === "aggressive" ? { aggressive: true } : {}),
  };
}

function espOf(policy: Item | undefined, proposals: Map<number, Item>, at: At, tunnel: string): Record<string, unknown> {
  if (!policy) return { proposals: ["aes256-sha256-modp3072"] };
  const pfs = GROUP[num(choice(policy.value["pfs_group"])) ?? -1];
  const list: string[] = [];
  let lifetime: number | undefined;
  for (const ref of Array.isArray(policy.value["proposals"]) ? policy.value["proposals"] : []) {
    const p = proposals.get(id(ref) ?? -1);
    if (!p) continue;
    const enc = ENCRYPTION[String(choice(p.value["encryption_algorithm"]))];
    const auth = AUTHENTICATION[String(choice(p.value["authentication_algorithm"]))];
    if (!enc || (!auth && !isAead(enc))) {
      at(p, "SW401", "warning", `IPsec proposal '${oneLine(String(p.value["name"]), 60)}' has an algorithm sitewire does not know (or none): left out`);
      continue;
    }
    if (num(p.value["sa_lifetime_data"])) at(p, "SW401", "warning", `IPsec proposal '${oneLine(String(p.value["name"]), 60)}': a lifetime in kilobytes has no place in a sitewire intent: not imported`, "sa_lifetime_data");
    list.push([enc, ...(isAead(enc) ? [] : [auth!]), ...(pfs ? [pfs] : [])].join("-"));
    lifetime ??= num(p.value["sa_lifetime_seconds"]);
  }
  if (list.length === 0) at(policy, "SW402", "warning", `IPsec policy '${oneLine(String(policy.value["name"]), 60)}' of tunnel '${oneLine(tunnel, 60)}' has no usable proposal: sitewire's suggestion written`, "proposals");
  return { proposals: list.length > 0 ? [...new Set(list)] : ["aes256-sha256-modp3072"], ...(lifetime ? { lifetime: duration(lifetime) } : {}) };
}

function toInt(a: string): number {
  return a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}

function networkOf(address: string, length: number): string {
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const n = (toInt(address) & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".")}/${length}`;
}

/** Is `address` the first usable address of its /30 (or the first of a /31)? */
function isFirst(address: string, length: number): boolean {
  const offset = toInt(address) - toInt(networkOf(address, length).split("/")[0]!);
  return length === 31 ? offset === 0 : offset === 1;
}

/** Sets the variable from NetBox's IKE policy without printing the key (curl + jq). */
function exportCommand(env: string, options: NetboxImportOptions, policyId: number): string {
  if (options.url !== undefined) {
    const url = new URL(`/api/vpn/ike-policies/${policyId}/`, options.url).toString();
    const token = options.tokenEnv ?? "NETBOX_TOKEN";
    return `export ${env}="$(curl -fsS -H "Authorization: Token $${token}" ${shellQuote(url)} | jq -r .preshared_key)"`;
  }
  const dir = options.fromDirShown ?? options.fromDir ?? ".";
  // eslint-disable-next-line no-control-regex
  const file = /[\u0000-\u001f]/.test(dir) ? "vpn-ike-policies.json" : `${dir.replace(/\/+$/, "")}/vpn-ike-policies.json`;
  return `export ${env}="$(jq -r ${shellQuote(`.results[] | select(.id == ${policyId}) | .preshared_key`)} ${shellQuote(file)})"`;
}
