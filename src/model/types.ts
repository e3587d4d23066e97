/**
 * The resolved site model: the only input of every target.
 *
 * Plain, deeply frozen data. Names are replaced by prefixes and addresses, every default is filled, and both
 * ends of every tunnel and link are derived from their single definition. Lists are sorted by name so that
 * output never depends on the order of the intent file. A target that needs something not here adds it here
 * (computed once, in src/model), instead of recomputing it from the intent.
 */
import type { PLATFORMS } from "../targets/platforms.js";

/** IPv4 or IPv6. */
export type Family = 4 | 6;

/**
 * An IPv4 or IPv6 network, its text canonical (IPv6 in RFC 5952 form). `name` is the intent name it came from
 * (network or host), for comments.
 */
export interface Prefix {
  readonly cidr: string; // "10.10.0.0/16", "2001:db8:10::/48"
  readonly network: string; // "10.10.0.0"
  readonly length: number; // 16
  /** Dotted-quad netmask for IPv4 ("255.255.0.0"); for IPv6 the mask as an address ("ffff:ffff:ffff::"). */
  readonly mask: string;
  readonly family: Family;
  readonly name?: string;
}

/** An address on an interface, with its connected network. */
export interface IfAddress {
  readonly address: string; // "169.254.100.2"
  readonly length: number; // 30
  readonly cidr: string; // "169.254.100.2/30"
  readonly network: Prefix; // 169.254.100.0/30
  readonly family: Family;
}

export interface Duration {
  readonly text: string; // "8h"
  readonly seconds: number; // 28800
}

export interface PortRange {
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly from: number;
  readonly to: number; // == from for a single port
}

export interface SecretModel {
  readonly kind: "env" | "file";
  /** The environment variable name or file path (a reference, never the value). */
  readonly ref: string;
  /** Stable text put in committed artifacts in place of the value; `sitewire secrets` replaces it. */
  readonly placeholder: string;
}

/** One strongSwan proposal with its tokens classified (see src/model/crypto.ts). */
export interface Proposal {
  readonly text: string; // "aes256-sha256-modp3072"
  readonly encryption: readonly string[];
  readonly integrity: readonly string[];
  readonly prf: readonly string[];
  readonly dh: readonly string[];
}

export type Os = "debian" | "rhel";
export type FirewallBackend = "nftables" | "iptables";
/** The Linux device of a route-based tunnel: an XFRM interface (if_id) or a VTI device (key = mark). */
export type DeviceKind = "xfrm" | "vti";
export type StrongswanFormat = "ipsec-conf" | "swanctl" | "both";

// ---------------------------------------------------------------------------------------------------------

export interface SiteModel {
  readonly name: string;
  readonly description?: string;
  readonly source: { readonly file: string; readonly sha256: string };
  readonly networks: readonly { readonly name: string; readonly prefix: Prefix }[];
  readonly hosts: readonly HostModel[];
  readonly peers: readonly PeerModel[];
  readonly tunnels: readonly TunnelModel[];
  readonly links: readonly LinkModel[];
  readonly flows: readonly FlowModel[];
  readonly failover: readonly FailoverModel[];
  readonly cluster?: ClusterModel;
}

// ---------------------------------------------------------------------------------------------------------
// Hosts: everything a Linux machine needs, computed per host
// ---------------------------------------------------------------------------------------------------------

export interface HostModel {
  readonly name: string;
  readonly description?: string;
  readonly os: Os;
  /** hosts.<h>.release: the OS's major release, when the intent gives it. */
  readonly release?: number;
  /** What loads sitewire's firewall rules here (hosts.<h>.firewall.backend, default by os and release). */
  readonly firewallBackend: FirewallBackend;
  /** Default kind of this host's route-based tunnel devices (hosts.<h>.device.kind, default by os and release). */
  readonly deviceKind: DeviceKind;
  readonly address: IfAddress;
  /** Every address of the host's interface: `address`, then hosts.<h>.address6 (dual stack). */
  readonly addresses: readonly IfAddress[];
  readonly interface: string;
  readonly publicAddress?: string;
  /** IKE identity this host sends. */
  readonly identity: string;
  readonly strongswanFormat: StrongswanFormat;
  readonly cloud?: CloudModel;
  readonly externalInterfaces: readonly { readonly device: string; readonly address: IfAddress; readonly description?: string }[];
  /** Route-based tunnel devices (vti or xfrm), one per route-based tunnel ending here (sorted by tunnel name). */
  readonly vtis: readonly VtiDevice[];
  /** ipip devices, one per link ending here (sorted by link name). */
  readonly ipips: readonly IpipDevice[];
  /** Tunnels ending on this host (names; see SiteModel.tunnels). */
  readonly tunnels: readonly string[];
  /** Static routes in the main table (explicit ones and those derived from flows), sorted. */
  readonly routes: readonly RouteModel[];
  /** Policy routing: `ip rule add priority P lookup T`, one per vti table. */
  readonly rules: readonly { readonly priority: number; readonly table: number; readonly tunnel: string }[];
  /** Source NAT rules (nat POSTROUTING). */
  readonly nat: readonly NatRule[];
  /** FORWARD accept rules (chain SITEWIRE-FORWARD, replies of known connections accepted first). */
  readonly forward: readonly ForwardRule[];
  /**
   * Forwarded traffic sitewire's rules do not accept: "host" returns it to the host's own FORWARD rules and
   * policy; "drop" ends SITEWIRE-FORWARD with a DROP (hosts.<h>.firewall.forwardDefault). Never a policy.
   */
  readonly forwardDefault: "host" | "drop";
  /**
   * TCP MSS clamping per device (mangle FORWARD): a fixed MSS, or clamp to path MTU when mss is absent. `mss6`:
   * the fixed clamp for IPv6 SYNs (MSS − 20, the larger IPv6 header). `families`: the families the device
   * carries, whose SYNs are clamped.
   */
  readonly mssClamp: readonly { readonly device: string; readonly mss?: number; readonly mss6?: number; readonly families: readonly Family[] }[];
  /** Does this host forward packets (ip_forward=1, redirects off)? */
  readonly forwards: boolean;
  readonly failover?: HostFailover;
  /** hosts.<h>.routing.bgp: FRRouting bgpd on this host (routerId default: the host's address). */
  readonly bgp?: { readonly as: number; readonly routerId: string };
}

export interface CloudModel {
  readonly provider: "aws";
  readonly region?: string;
  readonly instanceId: string;
  readonly eni?: string;
  readonly routeTables: readonly string[];
}

export interface VtiDevice {
  readonly tunnel: string;
  readonly device: string;
  /**
   * vti: `ip link add … type vti key <key>`, the SAs carry mark <key>. xfrm: `ip link add … type xfrm dev
   * <underlay> if_id <key>`, the SAs carry if_id <key> (strongSwan if_id_in/if_id_out).
   */
  readonly kind: DeviceKind;
  /** The key: vti key and IPsec mark, or the XFRM interface's if_id. Unique per host. */
  readonly key: number;
  /** The interface the encrypted packets leave by (xfrm `dev`): the host's interface. */
  readonly underlay: string;
  /** Outer addresses: local is an address of this host, remote the peer's reachable address. */
  readonly local: string;
  readonly remote: string;
  readonly address: IfAddress;
  readonly peerAddress: string;
  /** The second family's inside addresses (tunnels.<t>.inside6). */
  readonly address6?: IfAddress;
  readonly peerAddress6?: string;
  readonly mtu: number;
  readonly mss: number;
  readonly table: number;
  readonly rulePriority: number;
  /** Routes in `table` through the device: the peer's networks. Empty when the tunnel runs BGP. */
  readonly routes: readonly Prefix[];
  /**
   * The tunnel runs BGP (TunnelModel.bgp): routes come from bgpd into the main table, so the host installs no
   * static routes, table or ip rule for it (`routes` is empty and HostModel.rules has no entry for it).
   */
  readonly bgp: boolean;
}

export interface IpipDevice {
  readonly link: string;
  readonly device: string;
  readonly local: string;
  readonly remote: string;
  readonly address: IfAddress;
  readonly peerAddress: string;
  /** The host at the other end. */
  readonly peerHost: string;
  readonly mtu: number;
  readonly ttl: number;
}

export interface RouteModel {
  readonly to: Prefix;
  readonly via: string;
  readonly device: string;
  /** Where the route comes from, for comments: "flow partner-api", "route", … */
  readonly origin: string;
}

export interface NatRule {
  readonly source: Prefix;
  readonly destination?: Prefix;
  readonly outInterface: string;
  readonly action: "masquerade";
  readonly origin: string;
}

export interface ForwardRule {
  readonly inInterface?: string;
  readonly outInterface?: string;
  readonly source: Prefix;
  readonly destination: Prefix;
  /** Empty: all protocols and ports. */
  readonly ports: readonly PortRange[];
  readonly origin: string;
}

export interface HostFailover {
  readonly pair: string;
  readonly partner: string;
  /** Address probed to see whether the partner is alive. */
  readonly partnerAddress: string;
  readonly partnerInstanceId?: string;
  /** Far inside address of this host's tunnel: probed to see whether its own tunnel is up. */
  readonly tunnelProbe: string;
  readonly tunnel: string;
  /** The vti device of that tunnel on this host (probes are sent through it). */
  readonly tunnelDevice: string;
  /** Route tables this host serves normally, and those its partner serves. */
  readonly ownRouteTables: readonly string[];
  readonly partnerRouteTables: readonly string[];
  /** Destinations whose routes move (the peer networks of the tunnel). */
  readonly destinations: readonly Prefix[];
  /** Where the routes point when this host carries them. */
  readonly target: { readonly eni?: string; readonly instanceId?: string };
  readonly partnerTarget: { readonly eni?: string; readonly instanceId?: string };
  readonly action: "aws" | "command";
  readonly command?: string;
  readonly region?: string;
  readonly interval: Duration;
  readonly failures: number;
  readonly recoveries: number;
  readonly restartPartner: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Peers and tunnels
// ---------------------------------------------------------------------------------------------------------

export type CloudPlatform = "aws-vpn" | "azure-vpn-gateway" | "gcp-ha-vpn";
/** A far-side device platform's intent name, from the registry (src/targets/platforms.ts). */
export type DevicePlatformName = (typeof PLATFORMS)[number]["name"];
export type PeerPlatform = DevicePlatformName | "strongswan" | CloudPlatform;
export const CLOUD_PLATFORMS: readonly CloudPlatform[] = ["aws-vpn", "azure-vpn-gateway", "gcp-ha-vpn"];
export function isCloudPlatform(p: string): p is CloudPlatform {
  return (CLOUD_PLATFORMS as readonly string[]).includes(p);
}

/** A managed cloud gateway (peers with a cloud platform). */
export interface PeerCloud {
  readonly provider: "aws" | "azure" | "gcp";
  /**
   * aws: "transit-gateway" | "virtual-private-gateway" as given (absent when the intent omits it: SW166);
   * azure: "vpn-gateway"; gcp: "ha-vpn-gateway" (defaults). May also hold a value of another provider when the
   * intent says so (SW166 reports it).
   */
  readonly gateway?: "transit-gateway" | "virtual-private-gateway" | "vpn-gateway" | "ha-vpn-gateway";
  readonly region?: string;
  readonly gatewayId?: string;
}

export interface PeerModel {
  readonly name: string;
  readonly description?: string;
  readonly platform: PeerPlatform;
  readonly address: string;
  readonly publicAddress?: string;
  readonly identity: string;
  /**
   * The device's outside interface (`peers.<p>.interface`), else the default its platform declares
   * (PlatformCapabilities.outsideInterface). Absent where the platform declares none (SW208 asks for it) or binds
   * IKE to the address alone, and for strongSwan and cloud peers.
   */
  readonly interface?: string;
  readonly ospf?: { readonly process: number; readonly routerId?: string };
  readonly bgp?: { readonly as: number; readonly routerId?: string };
  /** Only for cloud platforms, and only when the intent has a cloud block (else SW166). */
  readonly cloud?: PeerCloud;
  /** Tunnels ending on this peer (names). */
  readonly tunnels: readonly string[];
}

/** One end of a tunnel, fully resolved: what that end's own configuration must say. */
export interface TunnelEnd {
  readonly node: string;
  readonly role: "host" | "peer";
  readonly platform: "linux" | PeerPlatform;
  /** Address this end binds IKE to (strongSwan left / IOS local-address, tunnel source). */
  readonly localAddress: string;
  /** Address the other end connects to this end at (its public address when behind NAT). */
  readonly reachableAddress: string;
  /** Identity this end sends. */
  readonly identity: string;
  /** What this end connects to, and the identity it expects from the other end. */
  readonly remoteAddress: string;
  readonly remoteIdentity: string;
  /** Inside addresses (route-based tunnels only). */
  readonly insideAddress?: IfAddress;
  readonly insidePeerAddress?: string;
  /** The second family's inside addresses (tunnels.<t>.inside6: IPv6 beside an IPv4 `inside`). */
  readonly insideAddress6?: IfAddress;
  readonly insidePeerAddress6?: string;
  readonly ike: { readonly version: 1 | 2; readonly proposals: readonly Proposal[]; readonly lifetime: Duration; readonly aggressive: boolean };
  readonly esp: { readonly proposals: readonly Proposal[]; readonly lifetime: Duration; readonly pfsGroup?: string };
  readonly psk: SecretModel;
  readonly dpd: { readonly delay: Duration; readonly timeout: Duration; readonly action: "restart" | "clear" | "hold" };
  readonly mtu: number;
  /** TCP MSS for IPv4: MTU − 40 unless set. */
  readonly mss: number;
  /** TCP MSS for IPv6: `mss` − 20 (the IPv6 header is 40 bytes, IPv4's 20). */
  readonly mss6: number;
  /** Traffic selectors / routed networks from this end's point of view. */
  readonly localNetworks: readonly Prefix[];
  readonly remoteNetworks: readonly Prefix[];
}

export interface TunnelModel {
  readonly name: string;
  readonly description?: string;
  readonly kind: "ipsec-vti" | "ipsec-policy";
  readonly host: TunnelEnd;
  readonly peer: TunnelEnd;
  /** vti key = IPsec mark, or xfrm if_id (route-based only). */
  readonly key?: number;
  readonly device?: string;
  /** The kind of `device` (route-based only): tunnels.<t>.device.kind, else the host's device.kind. */
  readonly deviceKind?: DeviceKind;
  readonly inside?: Prefix;
  /** tunnels.<t>.inside6: the IPv6 inside network beside an IPv4 `inside`. */
  readonly inside6?: Prefix;
  /** The family of the outer (IKE/ESP) addresses. */
  readonly outerFamily: Family;
  /** The families the tunnel carries: those of its inside networks and routed networks (sorted: 4, 6). */
  readonly families: readonly Family[];
  readonly startAction: "start" | "trap" | "none";
  /** Networks behind the peer (host routes them into the tunnel) and behind the host. */
  readonly toPeer: readonly Prefix[];
  readonly toHost: readonly Prefix[];
  readonly monitor: {
    readonly interval: Duration;
    /** One probe's timeout (IOS ip sla `timeout`): default min(interval, 5s). */
    readonly timeout: Duration;
    readonly failures: number;
    readonly slaId: number;
    readonly trackId: number;
    readonly tag: number;
  };
  /** Stable per-tunnel number on devices (IOS Tunnel<n>, isakmp policy): `number`, else the key, else derived from the name. */
  readonly number: number;
  /** Which end takes the first usable inside address (peer-first: today's behaviour). */
  readonly insideOrder: "peer-first" | "host-first";
  /** Why weak crypto is accepted on this tunnel (SW112 becomes a note). */
  readonly allowWeak?: string;
  /**
   * BGP over this tunnel's inside addresses. Present only when complete: the intent has `bgp`, the tunnel is
   * route-based with inside addresses, and both ends have routing.bgp. Otherwise absent (rules SW160/SW162 read
   * the intent and report why).
   */
  readonly bgp?: TunnelBgp;
  /** Host policy routing for route-based tunnels: `ip rule add priority <rulePriority> lookup <table>`. */
  readonly table?: number;
  readonly rulePriority?: number;
}

/** One end's BGP session over a tunnel. */
export interface BgpSide {
  /** This end's AS (hosts/peers.<n>.routing.bgp.as). */
  readonly as: number;
  /** The other end's AS: the session's remote-as (= the other side's `as`). */
  readonly remoteAs: number;
  /** This end's router id (routing.bgp.routerId; default: the host's address / the peer's address). */
  readonly routerId: string;
  /** This end's own inside address (update-source). */
  readonly address: string;
  /** The other end's inside address: the neighbour. */
  readonly neighbor: string;
  /**
   * With tunnels.<t>.inside6 beside an IPv4 inside: a second session over the IPv6 inside addresses, for the
   * IPv6 unicast address family (this end's address and the neighbour).
   */
  readonly address6?: string;
  readonly neighbor6?: string;
  /** Networks this end announces (bgp.announce.<end>, default the tunnel's routed networks behind it). */
  readonly announce: readonly Prefix[];
  /** Networks this end accepts (bgp.accept.<end>, default the other end's announce). */
  readonly accept: readonly Prefix[];
}

export interface TunnelBgp {
  readonly holdTime: Duration;
  readonly keepalive: Duration;
  readonly bfd: boolean;
  readonly preference: "primary" | "secondary";
  /** Local preference set on routes learned over this tunnel (primary 200, secondary 100). */
  readonly localPref: number;
  /** How many times each end prepends its own AS on announcements (primary 0, secondary 2). */
  readonly prepend: number;
  /** MED on announcements (primary 100, secondary 200). */
  readonly med: number;
  readonly host: BgpSide;
  readonly peer: BgpSide;
}

export interface LinkModel {
  readonly name: string;
  readonly description?: string;
  readonly kind: "ipip";
  readonly device: string;
  readonly inside: Prefix;
  readonly mtu: number;
  readonly ttl: number;
  /** Hosts in `between` order. */
  readonly hosts: readonly [string, string];
}

export interface FlowModel {
  readonly name: string;
  readonly description?: string;
  readonly via: string;
  readonly out: string;
  readonly nat: "masquerade" | "none";
  readonly ports: readonly PortRange[];
  readonly to: readonly Prefix[];
  /** Each source as the gateway sees it: a host's address on the path to the gateway, or a network. */
  readonly sources: readonly { readonly prefix: Prefix; readonly host?: string; readonly inInterface?: string }[];
}

export interface FailoverModel {
  readonly name: string;
  readonly description?: string;
  readonly gateways: readonly [string, string];
  readonly action: "aws" | "command";
}

// ---------------------------------------------------------------------------------------------------------
// Cluster
// ---------------------------------------------------------------------------------------------------------

export type Labels = Readonly<Record<string, string>>;

/** ip-masq-agent's command-line flags (kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go). */
export interface MasqAgentFlags {
  readonly masqChain: string;
  readonly nomasqAllReservedRanges: boolean;
  readonly randomFully: boolean;
  /** --to-ports: one port range for TCP, UDP and SCTP; absent = the agent's default (no --to-ports). */
  readonly toPorts?: { readonly first: number; readonly last: number };
}

export interface ClusterModel {
  readonly description?: string;
  readonly masquerade?: {
    readonly nonMasqueradeCIDRs: readonly Prefix[] | "agent-defaults";
    readonly masqLinkLocal: boolean;
    readonly masqLinkLocalIPv6?: boolean;
    readonly resyncInterval: Duration;
    readonly cidrLimit?: number;
    /** The flags the agent DaemonSet is assumed to run with, defaults filled (masq-agent target, SW150/SW151). */
    readonly agent: MasqAgentFlags;
  };
  readonly isolation?: {
    readonly namespaces: readonly string[];
    readonly allowFrom: readonly Prefix[];
    readonly externalTrafficPolicy?: "Cluster" | "Local";
    /** Why admitting 0.0.0.0/0 is deliberate (intent `allowAll`; rule SW142). */
    readonly allowAll?: string;
  };
  readonly dns: { readonly namespace: string; readonly pods: Labels };
  readonly egress: readonly {
    readonly namespace: string;
    readonly pods?: Labels;
    /** Why applying the allowlist to every pod is deliberate (intent `allowAll`; rule SW142). */
    readonly allowAll?: string;
    /** `allowAll`: why a destination of 0.0.0.0/0 is deliberate. */
    readonly allow: readonly { readonly to: Prefix; readonly except: readonly Prefix[]; readonly ports: readonly PortRange[]; readonly allowAll?: string }[];
  }[];
  readonly osmEdge: readonly {
    readonly name: string;
    readonly namespace: string;
    readonly serviceAccounts: readonly string[];
    readonly hosts: readonly string[];
    readonly ipAddresses: readonly Prefix[];
    readonly ports: readonly { readonly number: number; readonly protocol: "http" | "https" | "tcp" | "tcp-server-first" }[];
  }[];
  readonly ciliumEgressGateways: readonly {
    readonly name: string;
    readonly namespaces: readonly string[];
    readonly pods?: Labels;
    readonly to: readonly Prefix[];
    readonly except: readonly Prefix[];
    readonly nodeSelector: Labels;
    readonly egressIP?: string;
    readonly interface?: string;
    /** Why an empty nodeSelector (every node) is deliberate (intent `allowAll`; rule SW142). */
    readonly allowAll?: string;
  }[];
}
