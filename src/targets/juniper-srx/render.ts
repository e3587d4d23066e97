/**
 * One juniper-srx device's configuration text. The template renderer is a parameter so that a test can render with
 * an altered template and prove the parse-back check notices (test/parse-back/juniper-srx.test.ts).
 */
import type { PeerModel, SiteModel } from "../../model/types.js";
import { templatesOf, type TemplateRenderer } from "../../render/templates.js";
import { deviceView } from "./view.js";

export type { TemplateRenderer };

export const JUNOS_TEMPLATE = "device";

const defaultRenderer = templatesOf("juniper-srx");

export function renderDevice(site: SiteModel, peer: PeerModel, renderTemplate: TemplateRenderer = defaultRenderer): string {
  return renderTemplate(JUNOS_TEMPLATE, deviceView(site, peer));
}
