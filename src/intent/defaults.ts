/**
 * Every default of the intent, in one table: what the resolver fills in when a key is omitted, and why.
 *
 * Read by the resolver (src/model/*.ts takes fixed values from here, never from a literal of its own), by the
 * schema (src/intent/schema.ts appends "Default: …" to the key's description, so editors show it on hover)
 * and by the README (the table between `<!-- defaults:start -->` and `<!-- defaults:end -->` is
 * `defaultsMarkdown()`; test/defaults.test.ts proves all three agree).
 *
 * An entry has a `value` when the default is one fixed value, or `derived` when it is computed from other
 * settings (the resolver holds that computation; the text here says what it is). Keys are intent paths with
 * `<h>`, `<p>`, `<t>`, `<l>`, `<f>` and `<pair>` standing for a host, peer, tunnel, link, flow and failover
 * pair name.
 */

export interface DefaultEntry {
  /** The value the resolver fills in, when the default is one fixed value. */
  readonly value?: string | number | boolean | Readonly<Record<string, string>>;
  /** How the default is computed from other settings, when it is not one fixed value. */
  readonly derived?: string;
  /** How a `value` is shown when its plain form would not read well (a map, say). */
  readonly shown?: string;
  /** Why this default: one line, no final period. */
  readonly why: string;
}

// Provider facts cited below are the ones src/model/cloud-providers.ts holds with their sources:
// AWS tunnel options: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html
// AWS BGP hold time: https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html
// ip-masq-agent flags and config defaults: kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go
export const DEFAULTS = {
  // Site and hosts
  "strongswan.format": { value: "swanctl", why: "swanctl.conf (vici) is strongSwan's current interface; ipsec.conf (stroke) is the legacy one" },
  "hosts.<h>.interface": { value: "eth0", why: "the first interface of most Linux VMs and cloud images" },
  "hosts.<h>.identity": { derived: "publicAddress, else address", why: "the address the peer sees this host's IKE packets come from" },
  "hosts.<h>.strongswan.format": { derived: "the site's strongswan.format", why: "one format per site unless a host needs another" },
  "hosts.<h>.firewall.forwardDefault": { value: "host", why: "sitewire never overrides what the host's own FORWARD rules and policy decide" },
  "hosts.<h>.firewall.backend": {
    derived: "nftables on debian release ≥ 12 and rhel release ≥ 9; iptables otherwise, and when release is not given",
    why: "nftables is those releases' firewall (iptables there is a compatibility layer over it); iptables runs on every release",
  },
  "hosts.<h>.device.kind": {
    derived: "xfrm on debian release ≥ 11 and rhel release ≥ 9; vti otherwise, and when release is not given",
    why: "XFRM interfaces need kernel ≥ 4.19 and strongSwan ≥ 5.8 (strongSwan's RouteBasedVPN docs recommend them); vti runs on every release",
  },
  "hosts.<h>.routing.bgp.routerId": { derived: "the host's address", why: "unique per host and stable" },

  // Peers
  "peers.<p>.publicAddress": { derived: "address", why: "a device not behind 1:1 NAT is reached at the address it terminates IKE on" },
  "peers.<p>.identity": {
    derived: "address (IOS sends its local address); for strongswan peers publicAddress, else address",
    why: "what each platform sends when not told otherwise",
  },
  "peers.<p>.interface": {
    derived: "the outside interface the peer's platform declares (Far-side platforms); required where the platform declares none",
    why: "the usual first outside port of that platform's devices; a platform whose factory ports are not routed has no safe default",
  },
  "peers.<p>.routing.bgp.routerId": { derived: "the device's address", why: "unique per device and stable" },
  "peers.<p>.cloud.gateway": {
    value: { "azure-vpn-gateway": "vpn-gateway", "gcp-ha-vpn": "ha-vpn-gateway" },
    shown: "vpn-gateway for azure-vpn-gateway, ha-vpn-gateway for gcp-ha-vpn (aws-vpn: required)",
    why: "Azure and Google Cloud have one gateway kind each; AWS has two",
  },

  // Tunnels
  "tunnels.<t>.kind": { value: "ipsec-vti", why: "route-based: one vti device per tunnel, routes decide what enters it" },
  "tunnels.<t>.ike.version": { value: 2, why: "IKEv2 is the current protocol; IKEv1 only for devices that need it" },
  "tunnels.<t>.ike.lifetime": { value: "8h", why: "28800 s, the phase 1 lifetime AWS uses by default (IOS isakmp lifetime 28800)" },
  "tunnels.<t>.ike.aggressive": { value: false, why: "main mode: aggressive mode exposes a hash of the PSK to offline guessing" },
  "tunnels.<t>.esp.lifetime": { value: "1h", why: "3600 s, the phase 2 lifetime AWS uses by default" },
  "tunnels.<t>.dpd.delay": { value: "10s", why: "a dead peer is noticed within seconds without flooding a slow link" },
  "tunnels.<t>.dpd.timeout": { value: "30s", why: "three missed checks before the peer is declared dead" },
  "tunnels.<t>.dpd.action": { value: "restart", why: "a route-based tunnel should come back by itself" },
  "tunnels.<t>.mtu": { value: 1400, why: "Cisco's recommendation for IPsec tunnel interfaces (ip mtu 1400, ip tcp adjust-mss 1360): room for up to ~73 bytes of IPsec overhead" },
  "tunnels.<t>.mss": { derived: "MTU − 40", why: "the IPv4 (20) and TCP (20) headers; an end's own MTU override derives its own MSS" },
  "tunnels.<t>.device": { derived: "vti<key> or xfrm<key>, after the device kind", why: "unique per host, since keys are" },
  "tunnels.<t>.device.kind": { derived: "the host's device.kind", why: "one kind per host unless a tunnel needs another" },
  "tunnels.<t>.startAction": { value: "start", why: "the host initiates as soon as the configuration loads" },
  "tunnels.<t>.insideOrder": { value: "peer-first", why: "what AWS assigns: the provider end takes the first usable inside address" },
  "tunnels.<t>.number": { derived: "the key (without a key: a number derived from the tunnel name)", why: "one number identifies the tunnel on the device" },
  "tunnels.<t>.table": { derived: "the key, when it is 1..252 (otherwise required)", why: "one number identifies the tunnel on the host" },
  "tunnels.<t>.rulePriority": { derived: "the table id", why: "one `ip rule` per table, ordered like the tables" },
  "tunnels.<t>.monitor.interval": { value: "5s", why: "a failed tunnel is noticed within seconds" },
  "tunnels.<t>.monitor.timeout": { value: "5s", shown: "the interval, at most 5s", why: "IOS's own ip sla timeout is 5000 ms, and a probe must not outlast the interval" },
  "tunnels.<t>.monitor.failures": { value: 3, why: "one lost probe is not a failure" },
  "tunnels.<t>.monitor.slaId": { derived: "the tunnel key", why: "one number identifies the tunnel on the device" },
  "tunnels.<t>.monitor.trackId": { derived: "the tunnel key", why: "one number identifies the tunnel on the device" },
  "tunnels.<t>.monitor.tag": { derived: "the tunnel key", why: "one number identifies the tunnel on the device" },
  "tunnels.<t>.bgp.holdTime": { value: "30s", why: "the BGP hold time AWS Site-to-Site VPN uses" },
  "tunnels.<t>.bgp.keepalive": { derived: "a third of the hold time", why: "RFC 4271's suggested ratio" },
  "tunnels.<t>.bgp.bfd": { value: false, why: "BFD needs support on both ends; the hold time detects failures without it" },
  "tunnels.<t>.bgp.preference": { value: "primary", why: "a single tunnel is the primary one" },
  "tunnels.<t>.bgp.announce.host": { derived: "routes.toHost", why: "the host announces what the static routes would have carried" },
  "tunnels.<t>.bgp.announce.peer": { derived: "routes.toPeer", why: "the peer announces what the static routes would have carried" },
  "tunnels.<t>.bgp.accept.host": { derived: "what the peer announces", why: "each end accepts exactly what the other announces" },
  "tunnels.<t>.bgp.accept.peer": { derived: "what the host announces", why: "each end accepts exactly what the other announces" },

  // Links, flows, failover
  "links.<l>.device": { derived: "the link name (at most 15 characters)", why: "the name in the intent is the name on the host" },
  "links.<l>.mtu": { value: 1480, why: "1500 minus the 20-byte outer IPv4 header" },
  "links.<l>.ttl": { value: 64, why: "Linux's default TTL" },
  "flows.<f>.nat": { value: "masquerade", why: "the far side routes replies to the gateway's out address only" },
  "flows.<f>.ports": { derived: "all protocols and ports", why: "a flow forwards everything unless narrowed" },
  "failover.<pair>.action": { value: "aws", why: "the failover monitor was written for AWS route tables (seed 004)" },
  "failover.<pair>.interval": { value: "5s", why: "a failed gateway is noticed within seconds" },
  "failover.<pair>.failures": { value: 3, why: "one lost probe is not a failure" },
  "failover.<pair>.recoveries": { value: 3, why: "routes move back only once the gateway is steadily up" },
  "failover.<pair>.restartPartner": { value: false, why: "restarting an instance is left to an explicit choice" },

  // Cluster
  "cluster.masquerade.masqLinkLocal": { value: false, why: "ip-masq-agent's own default" },
  "cluster.masquerade.masqLinkLocalIPv6": { derived: "unset: the agent's own default, false", why: "sitewire writes the key only when the intent sets it" },
  "cluster.masquerade.resyncInterval": { value: "60s", why: "ip-masq-agent's own default" },
  "cluster.masquerade.cidrLimit": { derived: "unset: the agent's own limit, 64", why: "sitewire writes the key only when the intent sets it" },
  "cluster.masquerade.agent.masqChain": { value: "IP-MASQ-AGENT", why: "ip-masq-agent's --masq-chain default" },
  "cluster.masquerade.agent.nomasqAllReservedRanges": { value: false, why: "ip-masq-agent's --nomasq-all-reserved-ranges default" },
  "cluster.masquerade.agent.randomFully": { value: true, why: "ip-masq-agent's --random-fully default" },
  "cluster.masquerade.agent.toPorts": { derived: "unset: any source port", why: "ip-masq-agent's --to-ports default" },
  "cluster.dns.namespace": { value: "kube-system", why: "where kubeadm and most distributions run the cluster DNS" },
  "cluster.dns.pods": { value: { "k8s-app": "kube-dns" }, shown: "k8s-app: kube-dns", why: "the label CoreDNS keeps for compatibility with kube-dns" },
  "cluster.egress[].pods": { derived: "every pod in the namespace", why: "an allowlist without labels covers the whole namespace (warning SW142 without allowAll)" },
  "cluster.egress[].allow[].ports": { derived: "all ports", why: "a destination without ports is reachable on every port" },
  "cluster.cilium.egressGateways[].namespaces": { derived: "all namespaces", why: "Cilium's own meaning of an empty namespace selector" },
  "cluster.cilium.egressGateways[].pods": { derived: "all pods of the namespaces", why: "Cilium's own meaning of an empty pod selector" },
} as const satisfies Readonly<Record<string, DefaultEntry>>;

export type DefaultKey = keyof typeof DEFAULTS;

type WithValue = { [K in DefaultKey]: (typeof DEFAULTS)[K] extends { readonly value: unknown } ? K : never }[DefaultKey];

/** The fixed value of a default (only keys that have one). */
export function defaultValue<K extends WithValue>(key: K): (typeof DEFAULTS)[K]["value"] {
  return (DEFAULTS[key] as { readonly value: (typeof DEFAULTS)[K]["value"] }).value;
}

/** The default as a reader sees it: the value, or the rule that derives it. */
export function shownDefault(key: DefaultKey): string {
  const entry: DefaultEntry = DEFAULTS[key];
  if (entry.shown !== undefined) return entry.shown;
  if (entry.derived !== undefined) return entry.derived;
  return String(entry.value);
}

/** The sentence a schema description ends with: "Default: 10s (why)." */
export function defaultSentence(key: DefaultKey): string {
  return `Default: ${shownDefault(key)} (${DEFAULTS[key].why}).`;
}

/** The README's defaults table (between its `<!-- defaults:start -->` and `<!-- defaults:end -->` markers). */
export function defaultsMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = (Object.keys(DEFAULTS) as DefaultKey[]).map((key) => `| \`${key}\` | ${cell(shownDefault(key))} | ${cell(DEFAULTS[key].why)} |`);
  return ["| key | default | why |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
}
