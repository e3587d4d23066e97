/**
 * Palo Alto PAN-OS: one file of `set` commands per paloalto-panos peer, `devices/<peer>/panos.set`, holding
 * everything the firewall needs for its tunnels: IKE and IPsec crypto profiles, IKE gateways, IPsec tunnels with
 * tunnel monitoring, tunnel interfaces in zone sitewire-vpn and the default virtual router, static routes with
 * path monitoring or BGP sessions with import/export policies, and the security rules for the tunnels' flows.
 * What PAN-OS can express is declared in ./platform.ts; the generic rules (SW208, SW206) check every tunnel
 * against it before any target runs, so this only translates.
 */
import type { DevicePlatform } from "../../platform/contract.js";
import { platform } from "./platform.js";
import { renderDevice } from "./render.js";

export const device: DevicePlatform<"paloalto-panos"> = { platform, render: (site, peer) => renderDevice(site, peer) };
