/**
 * Cisco IOS: one configuration snippet per cisco-ios peer, `devices/<peer>/ios.cfg`, holding everything the
 * far-side router needs for its tunnels (crypto, tunnel interfaces, IP SLA + track, tagged static routes,
 * redistribution). Tunnels are checked for IOS expressibility (SW208) and two-end compatibility (SW201-SW207)
 * before any target runs; this target only translates.
 */
import type { SiteModel } from "../../model/types.js";
import type { Artifact, Target } from "../target.js";
import { renderDevice } from "./render.js";

export function devicePath(peer: string): string {
  return `devices/${peer}/ios.cfg`;
}

export const iosTarget: Target = {
  name: "ios",
  description: "Cisco IOS configuration per cisco-ios peer",
  emit(site: SiteModel): Artifact[] {
    return site.peers
      .filter((p) => p.platform === "cisco-ios" && p.tunnels.length > 0)
      .map((peer) => ({ path: devicePath(peer.name), content: renderDevice(site, peer), mode: 0o644, kind: "cisco-ios", device: peer.name }));
  },
};
