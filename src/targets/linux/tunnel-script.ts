/**
 * The view behind templates/linux/tunnels.sh.hbs: a host's vti, xfrm and ipip devices, policy rules and routes,
 * with every value checked (./safe.ts) and the patterns the script uses to recognise its own devices.
 */
import type { Family, HostModel, IfAddress, IpipDevice, RouteModel, SiteModel, VtiDevice } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS } from "../host-paths.js";
import { dropInGroups, tunnelDeviceSettings, type SysctlSetting } from "./sysctl.js";
import { DEVICE_PATTERN } from "../../intent/patterns.js";
import { familiesOf } from "../../net/ip.js";
import { cidr, device, ifAddress, integer, ip, ipv4, ipv6, nodeName } from "./safe.js";

/**
 * Routing protocol number the script tags its routes with (`ip route … proto 115`), so `down` and `status`
 * find exactly the routes it installed. Unassigned in iproute2's etc/iproute2/rt_protos and in the kernel's
 * RTPROT_* list (include/uapi/linux/rtnetlink.h); the kernel does not interpret values above RTPROT_STATIC.
 */
export const ROUTE_PROTO = 115;

/**
 * Where the script records what `up` installed (devices, rules, kernel settings with the values they
 * replaced), so that the next `up` removes what the intent no longer has and `down` removes all of it.
 * /var/lib is the FHS place for state a program keeps between runs (FHS 3.0, 5.8 /var/lib).
 */
export const TUNNEL_STATE_FILE = "/var/lib/sitewire/tunnels.state";

/**
 * The state file's lines, as extended regular expressions (bash `=~`): the script writes nothing else and
 * reads nothing else. Keys are the ones sysctl.ts builds: ip_forward, or conf.<all|default|device>.<leaf>
 * with a device's dots written '/' (a segment never starts with '/', so no key names a parent directory).
 */
const STATE_DEVICE = DEVICE_PATTERN.replace(/^\^|\$$/g, "");
const STATE_SYSCTL_KEY = "net\\.ipv4\\.(ip_forward|conf\\.[A-Za-z][A-Za-z0-9_/-]{0,14}\\.[a-z_]{1,40})|net\\.ipv6\\.conf\\.[A-Za-z][A-Za-z0-9_/-]{0,14}\\.[a-z_]{1,40}";
export const STATE_LINE_PATTERNS = {
  device: `^device (${STATE_DEVICE}) (vti|ipip)$`,
  rule: "^rule ([0-9]{1,5}) ([0-9]{1,3})$",
  /** An IPv6 policy rule (`ip -6 rule`): its own list in the kernel, so its own line. */
  rule6: "^rule6 ([0-9]{1,5}) ([0-9]{1,3})$",
  sysctl: `^sysctl (${STATE_SYSCTL_KEY}) (-?[0-9]{1,10}) (-?[0-9]{1,10})$`,
} as const;

/**
 * The state file's lines as the script of a host with XFRM interfaces reads them: device lines may also name
 * xfrm devices. Only those scripts know the kind (the scripts of vti-only hosts stay as they were), so a host
 * that goes back from xfrm to vti finds a state file its script does not read: it says so and removes
 * nothing, and the old xfrm devices stay until removed by hand (`ip link del`).
 */
function statePatterns(kinds: readonly string[]): Record<keyof typeof STATE_LINE_PATTERNS, string> {
  const extra = ["xfrm", "vti6"].filter((k) => kinds.includes(k));
  return extra.length > 0 ? { ...STATE_LINE_PATTERNS, device: `^device (${STATE_DEVICE}) (vti|ipip|${extra.join("|")})$` } : STATE_LINE_PATTERNS;
}

function stateKey(key: string): string {
  if (!new RegExp(`^(${STATE_SYSCTL_KEY})$`).test(key)) throw new Error(`internal: sysctl key ${JSON.stringify(key)} cannot be recorded in the state file`);
  return key;
}

/** `ip -d -o link show` of any device of the kinds the script creates (see vtiView, ipipView). */
export const KIND_PATTERNS = {
  // ip -d link: "vti remote R local L [dev D ]ikey K okey K " (iproute2 ip/link_vti.c vti_print_opt)
  vti: "[[:space:]]vti remote ",
  // ip -d link: "vti6 remote R local L [dev D ]ikey K okey K " (iproute2 ip/link_vti6.c vti6_print_opt;
  // https://github.com/iproute2/iproute2/blob/main/ip/link_vti6.c)
  vti6: "[[:space:]]vti6 remote ",
  // ip -d link: "ipip [ipip ]remote R local L [dev D ]ttl T " (iproute2 ip/link_iptnl.c; the proto word is 4.x+)
  ipip: "[[:space:]]ipip (ipip |any )?remote ",
  // ip -d link: "xfrm if_id 0xN " (iproute2 ip/link_xfrm.c xfrm_print_opt, `if_id %#llx`;
  // https://github.com/iproute2/iproute2/blob/main/ip/link_xfrm.c)
  xfrm: "[[:space:]]xfrm if_id 0x",
} as const;

/** One address of a tunnel device, per family: `ip [-6] addr add` arguments and the address as `ip -o addr show` prints it. */
export interface AddressView {
  readonly family: Family;
  /** "ip" or "ip -6": the command that adds it. */
  readonly ip: string;
  readonly args: string;
  readonly shown: string;
}

export interface DeviceView {
  readonly name: string;
  /** Comment: what the device is for ("tunnel vpn1", "link vpnnic to node-remote") and its description. */
  readonly purpose: string;
  readonly description: string | null;
  readonly local: string;
  readonly remote: string;
  /** ERE matching `ip -d -o link show` of exactly this device. */
  readonly paramsPattern: string;
  /** The device's addresses: IPv4 and/or IPv6 (tunnels.<t>.inside, inside6). */
  readonly addresses: readonly AddressView[];
  readonly mtu: number;
  readonly sysctls: readonly SysctlSetting[];
}

export interface VtiView extends DeviceView {
  readonly key: number;
  /** "vti", or "vti6" for IPv6 outer addresses (ip-link(8): `type vti6`; ADDR := IPV6_ADDRESS). */
  readonly kind: "vti" | "vti6";
}

export interface IpipView extends DeviceView {
  readonly ttl: number;
}

/** An XFRM interface: no outer addresses of its own (local and remote are the tunnel's, for the comments). */
export interface XfrmView extends DeviceView {
  /** if_id: the SAs and policies charon installs with if_id_in/if_id_out = this number go through the device. */
  readonly key: number;
  /** The interface the encrypted packets leave by (`dev`). */
  readonly underlay: string;
}

export interface RouteView {
  readonly family: Family;
  /** "ip" or "ip -6". */
  readonly ip: string;
  /** `ip route replace` arguments without the protocol: "10.10.0.0/16 via 169.254.100.1 dev tunnel1 table 10". */
  readonly route: string;
  /** Table as `ip route show table` takes it. */
  readonly table: string;
  /** "TABLE DESTINATION" as `ip -o route show table all` prints them: main, /32 bare, /0 as default. */
  readonly key: string;
  readonly to: string;
  readonly via: string;
  readonly dev: string;
  readonly origin: string;
}

export interface TunnelScriptView {
  readonly source: string;
  readonly host: string;
  readonly description: string | null;
  readonly routeProto: number;
  readonly stateFile: string;
  readonly sysctlFile: string;
  readonly vtiKind: string;
  readonly ipipKind: string;
  readonly xfrmKind: string;
  readonly vti6Kind: string;
  readonly hasVti6: boolean;
  /** What this version installs, as the script lists it: devices NAME:KIND, rules PRIORITY:TABLE, routes
   * "TABLE DESTINATION" as `ip route show` prints them, every kernel setting's key; IPv6 rules and routes in
   * their own lists (`ip -6 rule`, `ip -6 route` are the kernel's separate IPv6 tables). */
  readonly devices: readonly string[];
  readonly ruleKeys: readonly string[];
  readonly rule6Keys: readonly string[];
  readonly routeKeys: readonly string[];
  readonly route6Keys: readonly string[];
  readonly sysctlKeys: readonly string[];
  /** Host-wide settings and those of the physical interface (the sysctl.d drop-in's). */
  readonly globalSysctls: readonly SysctlSetting[];
  readonly statePatterns: Record<keyof typeof STATE_LINE_PATTERNS, string>;
  /** Outer addresses the devices bind to: each must be an address of this host. */
  readonly locals: readonly string[];
  readonly vtis: readonly VtiView[];
  readonly xfrms: readonly XfrmView[];
  readonly ipips: readonly IpipView[];
  readonly hasDevices: boolean;
  readonly rules: readonly RuleView[];
  readonly tableRoutes: readonly RouteView[];
  readonly mainRoutes: readonly RouteView[];
}

export interface RuleView {
  readonly family: Family;
  readonly ip: string;
  readonly priority: number;
  readonly table: number;
  readonly tunnel: string;
}

/**
 * Does the host need a tunnel script (and its unit)? Also for kernel settings alone: the script applies
 * them live, recording what each replaced, and puts that back when the setting leaves the intent.
 */
export function needsTunnelScript(site: SiteModel, host: HostModel): boolean {
  return host.vtis.length + host.ipips.length + host.routes.length + host.rules.length + dropInGroups(site, host).length > 0;
}

/** An address or integer as a literal in an extended regular expression. */
function literal(text: string | number): string {
  return String(text).replace(/\./g, "\\.");
}

/** iproute2 prints a vti key as a dotted quad (ip/link_vti.c, inet_ntop) or, in some 4.x/5.x releases, in hex. */
function keyForms(key: number): string {
  const dotted = [24, 16, 8, 0].map((s) => Math.floor(key / 2 ** s) % 256).join(".");
  return `(${literal(dotted)}|0x${key.toString(16)})`;
}

/** What every tunnel device has, checked. Outer addresses of one family: IPv4, or IPv6 for a tunnel with IPv6 outer addresses. */
function checked(d: VtiDevice | IpipDevice) {
  const outer = d.local.includes(":") ? ipv6 : ipv4;
  return { name: device(d.device), local: outer(d.local), remote: outer(d.remote), mtu: integer(d.mtu, 68, 65535) };
}

/**
 * The inside addresses of a route-based device, each in its family: IPv4 as "A/L remote P/L" (point-to-point,
 * `ip -o addr show` prints "A peer P/L"), IPv6 as "A/L" (the connected /126 or /127 carries the peer; `ip -6 addr
 * show` prints "A/L").
 */
function insideAddresses(v: VtiDevice): AddressView[] {
  const pairs: [IfAddress, string][] = [[v.address, v.peerAddress], ...(v.address6 && v.peerAddress6 ? [[v.address6, v.peerAddress6] as [IfAddress, string]] : [])];
  return pairs.map(([address, peer]) =>
    address.family === 6
      ? { family: 6, ip: "ip -6", args: ifAddress(address), shown: ifAddress(address) }
      : { family: 4, ip: "ip", args: `${ifAddress(address)} remote ${ipv4(peer)}/${address.length}`, shown: `${ipv4(address.address)} peer ${ipv4(peer)}/${address.length}` },
  );
}

/** The families a route-based device carries: those of its inside addresses. */
function deviceFamilies(v: VtiDevice): Family[] {
  return familiesOf([v.address.network, ...(v.address6 ? [v.address6.network] : [])]);
}

/** The far inside address of `v` in `family`: the next hop of its routes of that family. */
function insidePeer(v: VtiDevice, family: Family): string {
  if (v.address.family === family) return family === 6 ? ipv6(v.peerAddress) : ipv4(v.peerAddress);
  if (family === 6 && v.peerAddress6 !== undefined) return ipv6(v.peerAddress6);
  throw new Error(`internal: tunnel ${v.tunnel} routes IPv${family} networks but has no IPv${family} inside address`);
}

/**
 * A vti device, or with IPv6 outer addresses a vti6 device: `ip link add NAME type vti6 local L remote R key K`
 * (ip-link(8): "type vti6 [ remote ADDR ] [ local ADDR ] [ [i|o]key KEY ]", ADDR := IPV6_ADDRESS; iproute2
 * ip/link_vti6.c). Either carries both inner families.
 */
function vtiView(v: VtiDevice, description: string | undefined): VtiView {
  const { name, local, remote, mtu } = checked(v);
  const key = integer(v.key, 1, 0xffffffff);
  const kind = local.includes(":") ? "vti6" : "vti";
  return {
    name,
    kind,
    purpose: `tunnel ${v.tunnel}`,
    description: description ?? null,
    local,
    remote,
    key,
    // ip -d link: "vti remote R local L [dev D ]ikey K okey K " (iproute2 ip/link_vti.c vti_print_opt), and the
    // same after "vti6" (ip/link_vti6.c vti6_print_opt; addresses as inet_ntop prints them, RFC 5952 form)
    paramsPattern: `[[:space:]]${kind} remote ${literal(remote)} local ${literal(local)} (dev [^ ]+ )?ikey ${keyForms(key)} okey ${keyForms(key)} `,
    addresses: insideAddresses(v),
    mtu,
    sysctls: tunnelDeviceSettings("vti", name, deviceFamilies(v)),
  };
}

/**
 * `ip link add NAME type xfrm dev UNDERLAY if_id KEY` (ip-link(8), "XFRM Type Support"). `ip -d -o link show`
 * prints it as "N: NAME@UNDERLAY: <…> … xfrm if_id 0xKEY " (the kernel reports the underlay as the link,
 * net/xfrm/xfrm_interface.c xfrmi_get_iflink; iproute2 ip/link_xfrm.c prints the if_id in hex). if_id 0 means
 * "no interface" to the kernel (kernel commit 8dce43919566 "xfrm: interface with if_id 0 should return error",
 * net/xfrm/xfrm_interface.c "if_id must be non zero"): keys start at 1 (the schema's tunnels.<t>.key minimum).
 */
function xfrmView(v: VtiDevice, description: string | undefined): XfrmView {
  const { name, local, remote, mtu } = checked(v);
  const key = integer(v.key, 1, 0xffffffff);
  const underlay = device(v.underlay);
  return {
    name,
    purpose: `tunnel ${v.tunnel}`,
    description: description ?? null,
    local,
    remote,
    key,
    underlay,
    paramsPattern: `^[0-9]+: ${literal(name)}@${literal(underlay)}: .*[[:space:]]xfrm if_id 0x${key.toString(16)} `,
    addresses: insideAddresses(v),
    mtu,
    sysctls: tunnelDeviceSettings("xfrm", name),
  };
}

function ipipView(l: IpipDevice, description: string | undefined): IpipView {
  const { name, local, remote, mtu } = checked(l);
  const address = ifAddress(l.address);
  const ttl = integer(l.ttl, 1, 255);
  return {
    name,
    purpose: `link ${l.link} to ${l.peerHost}`,
    description: description ?? null,
    local,
    remote,
    ttl,
    // ip -d link: "ipip [ipip ]remote R local L [dev D ]ttl T " (iproute2 ip/link_iptnl.c; the proto word is 4.x+)
    paramsPattern: `[[:space:]]ipip (ipip )?remote ${literal(remote)} local ${literal(local)} (dev [^ ]+ )?ttl ${ttl} `,
    addresses: [{ family: 4, ip: "ip", args: address, shown: address }],
    mtu,
    sysctls: tunnelDeviceSettings("ipip", name),
  };
}

/** A destination as `ip route show` prints it: "default" for /0, the bare address for a /32 (IPv6: /128). */
function shownDestination(prefix: string): string {
  if (prefix === "0.0.0.0/0" || prefix === "::/0") return "default";
  const single = prefix.includes(":") ? "/128" : "/32";
  return prefix.endsWith(single) ? prefix.slice(0, -single.length) : prefix;
}

function routeView(family: Family, to: string, via: string, dev: string, table: number | undefined, origin: string): RouteView {
  const tableText = table === undefined ? "main" : String(integer(table, 1, 252));
  return {
    family,
    ip: family === 6 ? "ip -6" : "ip",
    key: `${tableText} ${shownDestination(to)}`,
    route: `${to} via ${via} dev ${dev}${table === undefined ? "" : ` table ${tableText}`}`,
    table: tableText,
    to,
    via,
    dev,
    origin,
  };
}

export function tunnelScriptView(site: SiteModel, host: HostModel): TunnelScriptView {
  const tunnelDescription = (name: string) => site.tunnels.find((t) => t.name === name)?.description;
  const linkDescription = (name: string) => site.links.find((l) => l.name === name)?.description;
  const vtis = host.vtis.filter((v) => v.kind === "vti").map((v) => vtiView(v, tunnelDescription(v.tunnel)));
  const xfrms = host.vtis.filter((v) => v.kind === "xfrm").map((v) => xfrmView(v, tunnelDescription(v.tunnel)));
  const ipips = host.ipips.map((l) => ipipView(l, linkDescription(l.link)));
  const tableRoutes = host.vtis.flatMap((v) =>
    v.routes.map((to) => routeView(to.family, cidr(to), insidePeer(v, to.family), device(v.device), v.table, `tunnel ${v.tunnel}`)),
  );
  const mainRoutes = host.routes.map((r: RouteModel) => routeView(r.to.family, cidr(r.to), r.to.family === 6 ? ipv6(r.via) : ipv4(r.via), device(r.device), undefined, r.origin));
  // One rule per family the tunnel's table holds routes of (`ip rule` and `ip -6 rule` are separate lists); a
  // table without routes keeps its IPv4 rule as before.
  const rules = host.rules.flatMap((r): RuleView[] => {
    const v = host.vtis.find((d) => d.tunnel === r.tunnel);
    const families = familiesOf(v?.routes ?? []);
    return (families.length > 0 ? families : [4 as Family]).map((family) => ({
      family,
      ip: family === 6 ? "ip -6" : "ip",
      priority: integer(r.priority, 1, 32765),
      table: integer(r.table, 1, 252),
      tunnel: r.tunnel,
    }));
  });
  const globalSysctls = dropInGroups(site, host).flatMap((g) => g.settings.map((s) => ({ key: s.key, value: integer(s.value, -2147483648, 2147483647) })));
  return {
    source: site.source.file,
    host: nodeName(host.name),
    description: host.description ?? null,
    routeProto: ROUTE_PROTO,
    stateFile: TUNNEL_STATE_FILE,
    sysctlFile: `/${HOST_PATHS[host.os].sysctl}`,
    vtiKind: KIND_PATTERNS.vti,
    ipipKind: KIND_PATTERNS.ipip,
    xfrmKind: KIND_PATTERNS.xfrm,
    vti6Kind: KIND_PATTERNS.vti6,
    hasVti6: vtis.some((v) => v.kind === "vti6"),
    devices: [...vtis.map((v) => `${v.name}:${v.kind}`), ...xfrms.map((x) => `${x.name}:xfrm`), ...ipips.map((l) => `${l.name}:ipip`)],
    ruleKeys: rules.filter((r) => r.family === 4).map((r) => `${r.priority}:${r.table}`),
    rule6Keys: rules.filter((r) => r.family === 6).map((r) => `${r.priority}:${r.table}`),
    routeKeys: [...tableRoutes, ...mainRoutes].filter((r) => r.family === 4).map((r) => r.key),
    route6Keys: [...tableRoutes, ...mainRoutes].filter((r) => r.family === 6).map((r) => r.key),
    sysctlKeys: [...globalSysctls, ...[...vtis, ...xfrms, ...ipips].flatMap((d) => d.sysctls)].map((s) => stateKey(s.key)),
    statePatterns: statePatterns([...(xfrms.length > 0 ? ["xfrm"] : []), ...vtis.map((v) => v.kind)]),
    globalSysctls,
    locals: [...new Set([...vtis, ...xfrms, ...ipips].map((d) => ip(d.local)))].sort(),
    vtis,
    xfrms,
    ipips,
    hasDevices: vtis.length + xfrms.length + ipips.length > 0,
    rules,
    tableRoutes,
    mainRoutes,
  };
}

export function renderTunnelScript(site: SiteModel, host: HostModel): string {
  return render("linux", "tunnels.sh", tunnelScriptView(site, host));
}
