/**
 * FortiGate: one FortiOS CLI file per fortigate peer, `devices/<peer>/fortios.conf`, holding everything the
 * firewall needs for its tunnels (phase 1 / phase 2, tunnel interface addresses, address objects and firewall
 * policies, static routes withdrawn by a link-monitor, prefix lists, route maps and BGP). What FortiOS can
 * express is declared in ./platform.ts; the generic rules (SW208, SW206) check every tunnel against it before any
 * target runs, so this only translates.
 */
import type { DevicePlatform } from "../../platform/contract.js";
import type { PeerModel, SiteModel } from "../../model/types.js";
import { templatesOf, type TemplateRenderer } from "../../render/templates.js";
import { platform } from "./platform.js";
import { deviceView } from "./view.js";

export type { TemplateRenderer };

export const FORTIGATE_TEMPLATE = "device";

const defaultRenderer = templatesOf("fortigate");

/** The device's whole configuration. The renderer is a parameter so a test can prove a broken template is caught. */
export function renderDevice(site: SiteModel, peer: PeerModel, renderTemplate: TemplateRenderer = defaultRenderer): string {
  return renderTemplate(FORTIGATE_TEMPLATE, deviceView(site, peer));
}

export const device: DevicePlatform<"fortigate"> = { platform, render: (site, peer) => renderDevice(site, peer) };
