/**
 * One firewall's configuration text. The template renderer is a parameter so that a test can render with an
 * altered template and prove the parse-back check notices (test/parse-back/paloalto-panos.test.ts).
 */
import type { PeerModel, SiteModel } from "../../model/types.js";
import { templatesOf, type TemplateRenderer } from "../../render/templates.js";
import { deviceView } from "./view.js";

export type { TemplateRenderer };

export const PANOS_TEMPLATE = "device";

const defaultRenderer = templatesOf("paloalto-panos");

export function renderDevice(site: SiteModel, peer: PeerModel, renderTemplate: TemplateRenderer = defaultRenderer): string {
  return renderTemplate(PANOS_TEMPLATE, deviceView(site, peer));
}
