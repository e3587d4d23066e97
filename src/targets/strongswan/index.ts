/**
 * strongSwan for every host that ends tunnels (in the format the host asks for), and the far side of every
 * tunnel whose peer runs strongSwan too (under devices/<peer>/, Debian paths, both formats).
 */
import type { SiteModel, StrongswanFormat, TunnelEnd, TunnelModel } from "../../model/types.js";
import { HOST_PATHS, hostFile, type HostPaths } from "../host-paths.js";
import type { Artifact, Target } from "../target.js";
import { connView } from "./conn.js";
import { renderConns, type StrongswanFiles } from "./render.js";

export { renderStrongswanEnd } from "./render.js";

/** Peers carry no format setting yet: give their operators both. */
const PEER_FORMAT: StrongswanFormat = "both";

export const strongswanTarget: Target = {
  name: "strongswan",
  description: "strongSwan ipsec.conf, ipsec.secrets, swanctl.conf and charon drop-in per host",
  kinds: {
    "strongswan-ipsec-conf": { text: "strongSwan connections (ipsec.conf, stroke)", handler: "strongswan", mode: 0o644 },
    "strongswan-secrets": { text: "strongSwan pre-shared keys (ipsec.secrets)", handler: "strongswan", mode: 0o600 },
    "swanctl-conf": { text: "strongSwan connections and keys (swanctl.conf, vici)", handler: "strongswan", mode: 0o600 },
    "strongswan-conf": { text: "charon settings (strongswan.d)", handler: "strongswan", mode: 0o644 },
  },
  emit(site: SiteModel): Artifact[] {
    const source = site.source.file;
    const artifacts: Artifact[] = [];
    for (const host of site.hosts) {
      const ends = endsOn(site.tunnels, (t) => t.host, host.name);
      if (ends.length === 0) continue;
      const files = renderConns({ node: host.name, source }, ends.map(([t, e]) => connView(t, e)), host.strongswanFormat);
      artifacts.push(...toArtifacts(files, HOST_PATHS[host.os], (path) => hostFile(host.name, path), { host: host.name }));
    }
    for (const peer of site.peers) {
      if (peer.platform !== "strongswan") continue;
      const ends = endsOn(site.tunnels, (t) => t.peer, peer.name);
      if (ends.length === 0) continue;
      const files = renderConns({ node: peer.name, source }, ends.map(([t, e]) => connView(t, e)), PEER_FORMAT);
      artifacts.push(...toArtifacts(files, HOST_PATHS.debian, (path) => `devices/${peer.name}/${path}`, { device: peer.name }));
    }
    return artifacts;
  },
};

function endsOn(tunnels: readonly TunnelModel[], end: (t: TunnelModel) => TunnelEnd, node: string): [TunnelModel, TunnelEnd][] {
  return tunnels.filter((t) => end(t).node === node).map((t) => [t, end(t)]);
}

/** Secrets-bearing files are 0600 (they hold a placeholder here, the key once materialised on the host). */
function toArtifacts(files: StrongswanFiles, paths: HostPaths, place: (path: string) => string, owner: { host: string } | { device: string }): Artifact[] {
  const out: Artifact[] = [];
  if (files.ipsecConf !== undefined) out.push({ path: place(paths.ipsecConf), content: files.ipsecConf, mode: 0o644, kind: "strongswan-ipsec-conf", ...owner });
  if (files.ipsecSecrets !== undefined) out.push({ path: place(paths.ipsecSecrets), content: files.ipsecSecrets, mode: 0o600, kind: "strongswan-secrets", ...owner });
  if (files.swanctlConf !== undefined) out.push({ path: place(paths.swanctlConf), content: files.swanctlConf, mode: 0o600, kind: "swanctl-conf", ...owner });
  if (files.charonConf !== undefined) out.push({ path: place(paths.charonConf), content: files.charonConf, mode: 0o644, kind: "strongswan-conf", ...owner });
  return out;
}
