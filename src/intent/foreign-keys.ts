/**
 * Keys engineers bring from the formats sitewire generates (strongSwan ipsec.conf/swanctl.conf, IOS,
 * ip-masq-agent). An unknown key that is, or nearly is, one of these gets a hint saying where that setting
 * lives in an intent, instead of a list of allowed keys.
 */
import { editDistance } from "../model/report.js";

const FOREIGN: Readonly<Record<string, string>> = {
  left: "the host's address comes from hosts.<host>.address; the tunnel names its ends in between: [host, peer]",
  right: "the peer's address comes from peers.<peer>.publicAddress (or address); the tunnel names its ends in between: [host, peer]",
  leftid: "the host's IKE identity is hosts.<host>.identity (default: its publicAddress, else its address)",
  rightid: "the peer's IKE identity is peers.<peer>.identity (default: its address)",
  leftsubnet: "networks behind the host are routes.toHost (route-based tunnels use 0.0.0.0/0 selectors automatically)",
  rightsubnet: "networks behind the peer are routes.toPeer (route-based tunnels use 0.0.0.0/0 selectors automatically)",
  local_ts: "networks behind the host are routes.toHost",
  remote_ts: "networks behind the peer are routes.toPeer",
  keyexchange: "the IKE version is ike.version (1 or 2)",
  version: "the IKE version is ike.version (1 or 2)",
  ike: "IKE proposals are ike.proposals",
  esp: "ESP proposals are esp.proposals",
  esp_proposals: "ESP proposals are esp.proposals",
  proposals: "IKE proposals are ike.proposals, ESP proposals esp.proposals",
  ikelifetime: "the IKE SA lifetime is ike.lifetime",
  lifetime: "lifetimes are ike.lifetime and esp.lifetime",
  mark: "the IPsec mark is the tunnel's key (it is also the vti key)",
  authby: "authentication is always by pre-shared key: psk: { env: NAME }",
  secret: "secrets are references: psk: { env: NAME } or psk: { file: /path }",
  dpddelay: "dead peer detection is dpd: { delay, timeout, action }",
  dpdtimeout: "dead peer detection is dpd: { delay, timeout, action }",
  dpdaction: "dead peer detection is dpd: { delay, timeout, action }",
  auto: "what the host does at load time is startAction: start | trap | none",
  pfs: "PFS is on when the ESP proposal has a DH group: esp.proposals: [aes256-sha256-modp3072]",
  mask: "masks are derived from the prefix length of inside (a /30 is 255.255.255.252)",
  netmask: "masks are derived from the prefix length (a /30 is 255.255.255.252)",
  "adjust-mss": "the MSS is mss (derived from mtu − 40 unless set)",
  tag: "route tags are monitor.tag (default: the tunnel key)",
  track: "track ids are monitor.trackId (default: the tunnel key)",
  sla: "IP SLA ids are monitor.slaId (default: the tunnel key)",
};

/** A hint for `key` when it is (close to) a keyword of a generated format, else undefined. */
export function foreignKeyHint(key: string): string | undefined {
  const lower = key.toLowerCase();
  if (FOREIGN[lower]) return `'${key}' is ${describe(lower)}: in sitewire, ${FOREIGN[lower]}`;
  for (const [word, hint] of Object.entries(FOREIGN))
    if (word.length >= 6 && editDistance(lower, word) <= 2) return `'${key}' looks like ${describe(word)} '${word}': in sitewire, ${hint}`;
  return undefined;
}

function describe(word: string): string {
  if (/_/.test(word)) return "a swanctl.conf setting";
  if (["tag", "track", "sla", "adjust-mss", "mask", "netmask"].includes(word)) return "an IOS setting";
  return "a strongSwan setting";
}
