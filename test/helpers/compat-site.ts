/**
 * The small site the compat rule tests (src/rules/compat/*.test.ts) start from: one gateway, one cisco-ios
 * router, one IKEv1 tunnel that passes every check. Tests replace one line or append overrides, so the
 * positions they assert are stable: the tunnel `vpn1` starts at line 16 and its last line (routes) is line 24.
 */
export interface SiteParts {
  readonly ike?: string;
  readonly esp?: string;
  readonly dpd?: string;
  readonly inside?: string;
  readonly key?: string;
  /** Lines appended to peer `rtr` (indented by 4). */
  readonly peer?: string;
  /** Lines appended to tunnel `vpn1`, e.g. an overrides block (indented by 4). */
  readonly tunnel?: string;
  /** Lines appended at the top level (more hosts, peers, tunnels). */
  readonly more?: string;
}

export function compatSite(parts: SiteParts = {}): string {
  return [
    "site: test",
    "networks:",
    "  vpc: 172.16.0.0/16",
    "  onprem: 10.10.0.0/16",
    "hosts:",
    "  gw:",
    "    os: debian",
    "    address: 172.16.1.10/24",
    "    publicAddress: 54.0.0.1",
    "peers:",
    "  rtr:",
    "    platform: cisco-ios",
    "    address: 10.10.1.1",
    "    publicAddress: 52.0.0.1",
    ...lines(parts.peer),
    "tunnels:",
    "  vpn1:",
    "    between: [gw, rtr]",
    `    ike: ${parts.ike ?? "{ version: 1, proposals: [aes256-sha256-modp3072] }"}`,
    `    esp: ${parts.esp ?? "{ proposals: [aes256-sha256-modp3072] }"}`,
    "    psk: { env: VPN1_PSK }",
    `    inside: ${parts.inside ?? "169.254.10.0/30"}`,
    `    key: ${parts.key ?? "10"}`,
    `    dpd: ${parts.dpd ?? "{ delay: 10s, timeout: 30s }"}`,
    // An IPv6-only tunnel routes IPv6 networks (no IPv4 inside address to route IPv4 over: SW180).
    parts.inside?.includes(":") ? "    routes: { toPeer: [2001:db8:10::/48], toHost: [2001:db8:20::/48] }" : "    routes: { toPeer: [onprem], toHost: [vpc] }",
    ...lines(parts.tunnel),
    ...lines(parts.more),
  ].join("\n") + "\n";
}

function lines(text: string | undefined): string[] {
  return text === undefined ? [] : text.replace(/\n$/, "").split("\n");
}

/** Adds a second gateway `gw2` under `hosts:` (4 lines, so everything after `hosts:` moves down by 4). */
export function withSecondGateway(site: string): string {
  return site.replace("hosts:\n", "hosts:\n  gw2:\n    os: debian\n    address: 172.16.2.10/24\n    publicAddress: 54.0.0.2\n");
}

/** A second IKEv1 tunnel `vpn2` from `from` to `rtr`, for `more` (its key is on the 7th line). */
export function secondTunnel(from: string, key: number): string {
  return [
    "  vpn2:",
    `    between: [${from}, rtr]`,
    "    ike: { version: 1, proposals: [aes256-sha256-modp3072] }",
    "    esp: { proposals: [aes256-sha256-modp3072] }",
    "    psk: { env: VPN2_PSK }",
    "    inside: 169.254.20.0/30",
    `    key: ${key}`,
  ].join("\n");
}
