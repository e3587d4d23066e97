/**
 * Cisco IOS: one configuration snippet per cisco-ios peer, `devices/<peer>/ios.cfg`, holding everything the
 * far-side router needs for its tunnels (crypto, tunnel interfaces, IP SLA + track, tagged static routes,
 * redistribution, BGP). What IOS can express is declared in ./platform.ts; the generic rules (SW208, SW206)
 * check every tunnel against it before any target runs, so this only translates.
 */
import type { DevicePlatform } from "../../platform/contract.js";
import { platform } from "./platform.js";
import { renderDevice } from "./render.js";

export const device: DevicePlatform<"cisco-ios"> = { platform, render: (site, peer) => renderDevice(site, peer) };
