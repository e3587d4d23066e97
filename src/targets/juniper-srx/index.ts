/**
 * Juniper SRX: one Junos `set` file per juniper-srx peer, `devices/<peer>/junos.set`, holding everything the
 * firewall needs for its route-based tunnels (IKE and IPsec proposals/policies, gateways, VPNs bound to st0 units,
 * vpn-monitor, the tunnels' zone and global security policies, static routes or BGP). What Junos can express is
 * declared in ./platform.ts; the generic rules (SW208, SW206) check every tunnel against it before any target
 * runs, so this only translates.
 */
import type { DevicePlatform } from "../../platform/contract.js";
import { platform } from "./platform.js";
import { renderDevice } from "./render.js";

export const device: DevicePlatform<"juniper-srx"> = { platform, render: (site, peer) => renderDevice(site, peer) };
