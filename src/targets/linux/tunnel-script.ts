/**
 * The view behind templates/linux/tunnels.sh.hbs: a host's vti, xfrm and ipip devices, policy rules and routes,
 * with every value checked (./safe.ts) and the patterns the script uses to recognise its own devices.
 */
import type { HostModel, IpipDevice, RouteModel, SiteModel, VtiDevice } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS } from "../host-paths.js";
import { dropInGroups, tunnelDeviceSettings, type SysctlSetting } from "./sysctl.js";
import { DEVICE_PATTERN } from "../../intent/patterns.js";
import { cidr, device, ifAddress, integer, ipv4, nodeName } from "./safe.js";

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
const STATE_SYSCTL_KEY = "net\\.ipv4\\.(ip_forward|conf\\.[A-Za-z][A-Za-z0-9_/-]{0,14}\\.[a-z_]{1,40})";
export const STATE_LINE_PATTERNS = {
  device: `^device (${STATE_DEVICE}) (vti|ipip)$`,
  rule: "^rule ([0-9]{1,5}) ([0-9]{1,3})$",
  sysctl: `^sysctl (${STATE_SYSCTL_KEY}) (-?[0-9]{1,10}) (-?[0-9]{1,10})$`,
} as const;

/**
 * The state file's lines as the script of a host with XFRM interfaces reads them: device lines may also name
 * xfrm devices. Only those scripts know the kind (the scripts of vti-only hosts stay as they were), so a host
 * that goes back from xfrm to vti finds a state file its script does not read: it says so and removes
 * nothing, and the old xfrm devices stay until removed by hand (`ip link del`).
 */
function statePatterns(withXfrm: boolean): Record<keyof typeof STATE_LINE_PATTERNS, string> {
  return withXfrm ? { ...STATE_LINE_PATTERNS, device: `^device (${STATE_DEVICE}) (vti|ipip|xfrm)$` } : STATE_LINE_PATTERNS;
}

function stateKey(key: string): string {
  if (!new RegExp(`^${STATE_SYSCTL_KEY}$`).test(key)) throw new Error(`internal: sysctl key ${JSON.stringify(key)} cannot be recorded in the state file`);
  return key;
}

/** `ip -d -o link show` of any device of the kinds the script creates (see vtiView, ipipView). */
export const KIND_PATTERNS = {
  // ip -d link: "vti remote R local L [dev D ]ikey K okey K " (iproute2 ip/link_vti.c vti_print_opt)
  vti: "[[:space:]]vti remote ",
  // ip -d link: "ipip [ipip ]remote R local L [dev D ]ttl T " (iproute2 ip/link_iptnl.c; the proto word is 4.x+)
  ipip: "[[:space:]]ipip (ipip |any )?remote ",
  // ip -d link: "xfrm if_id 0xN " (iproute2 ip/link_xfrm.c xfrm_print_opt, `if_id %#llx`;
  // https://github.com/iproute2/iproute2/blob/main/ip/link_xfrm.c)
  xfrm: "[[:space:]]xfrm if_id 0x",
} as const;

export interface DeviceView {
  readonly name: string;
  /** Comment: what the device is for ("tunnel vpn1", "link vpnnic to node-remote") and its description. */
  readonly purpose: string;
  readonly description: string | null;
  readonly local: string;
  readonly remote: string;
  /** ERE matching `ip -d -o link show` of exactly this device. */
  readonly paramsPattern: string;
  /** `ip addr add` arguments, and the address as `ip -o addr show` prints it. */
  readonly addressArgs: string;
  readonly addressShown: string;
  readonly mtu: number;
  readonly sysctls: readonly SysctlSetting[];
}

export interface VtiView extends DeviceView {
  readonly key: number;
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
  /** What this version installs, as the script lists it: devices NAME:KIND, rules PRIORITY:TABLE, routes
   * "TABLE DESTINATION" as `ip route show` prints them, every kernel setting's key. */
  readonly devices: readonly string[];
  readonly ruleKeys: readonly string[];
  readonly routeKeys: readonly string[];
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
  readonly rules: readonly { readonly priority: number; readonly table: number; readonly tunnel: string }[];
  readonly tableRoutes: readonly RouteView[];
  readonly mainRoutes: readonly RouteView[];
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

/** What every tunnel device has, checked. */
function checked(d: VtiDevice | IpipDevice) {
  return { name: device(d.device), local: ipv4(d.local), remote: ipv4(d.remote), address: ifAddress(d.address), mtu: integer(d.mtu, 68, 65535) };
}

function vtiView(v: VtiDevice, description: string | undefined): VtiView {
  const { name, local, remote, address, mtu } = checked(v);
  const key = integer(v.key, 1, 0xffffffff);
  const peer = `${ipv4(v.peerAddress)}/${v.address.length}`;
  return {
    name,
    purpose: `tunnel ${v.tunnel}`,
    description: description ?? null,
    local,
    remote,
    key,
    // ip -d link: "vti remote R local L [dev D ]ikey K okey K " (iproute2 ip/link_vti.c vti_print_opt)
    paramsPattern: `[[:space:]]vti remote ${literal(remote)} local ${literal(local)} (dev [^ ]+ )?ikey ${keyForms(key)} okey ${keyForms(key)} `,
    addressArgs: `${address} remote ${peer}`,
    addressShown: `${ipv4(v.address.address)} peer ${peer}`,
    mtu,
    sysctls: tunnelDeviceSettings("vti", name),
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
  const { name, local, remote, address, mtu } = checked(v);
  const key = integer(v.key, 1, 0xffffffff);
  const underlay = device(v.underlay);
  const peer = `${ipv4(v.peerAddress)}/${v.address.length}`;
  return {
    name,
    purpose: `tunnel ${v.tunnel}`,
    description: description ?? null,
    local,
    remote,
    key,
    underlay,
    paramsPattern: `^[0-9]+: ${literal(name)}@${literal(underlay)}: .*[[:space:]]xfrm if_id 0x${key.toString(16)} `,
    addressArgs: `${address} remote ${peer}`,
    addressShown: `${ipv4(v.address.address)} peer ${peer}`,
    mtu,
    sysctls: tunnelDeviceSettings("xfrm", name),
  };
}

function ipipView(l: IpipDevice, description: string | undefined): IpipView {
  const { name, local, remote, address, mtu } = checked(l);
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
    addressArgs: address,
    addressShown: address,
    mtu,
    sysctls: tunnelDeviceSettings("ipip", name),
  };
}

/** A destination as `ip route show` prints it: "default" for /0, the bare address for a /32. */
function shownDestination(prefix: string): string {
  return prefix === "0.0.0.0/0" ? "default" : prefix.endsWith("/32") ? prefix.slice(0, -3) : prefix;
}

function routeView(to: string, via: string, dev: string, table: number | undefined, origin: string): RouteView {
  const tableText = table === undefined ? "main" : String(integer(table, 1, 252));
  return {
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
    v.routes.map((to) => routeView(cidr(to), ipv4(v.peerAddress), device(v.device), v.table, `tunnel ${v.tunnel}`)),
  );
  const mainRoutes = host.routes.map((r: RouteModel) => routeView(cidr(r.to), ipv4(r.via), device(r.device), undefined, r.origin));
  const rules = host.rules.map((r) => ({ priority: integer(r.priority, 1, 32765), table: integer(r.table, 1, 252), tunnel: r.tunnel }));
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
    devices: [...vtis.map((v) => `${v.name}:vti`), ...xfrms.map((x) => `${x.name}:xfrm`), ...ipips.map((l) => `${l.name}:ipip`)],
    ruleKeys: rules.map((r) => `${r.priority}:${r.table}`),
    routeKeys: [...tableRoutes, ...mainRoutes].map((r) => r.key),
    sysctlKeys: [...globalSysctls, ...[...vtis, ...xfrms, ...ipips].flatMap((d) => d.sysctls)].map((s) => stateKey(s.key)),
    statePatterns: statePatterns(xfrms.length > 0),
    globalSysctls,
    locals: [...new Set([...vtis, ...xfrms, ...ipips].map((d) => d.local))].sort(),
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
