/**
 * One device's configuration text. The template renderer is a parameter so that a test can render with an
 * altered template and prove the parse-back check notices (test/parse-back/agreement.test.ts).
 */
import type { PeerModel, SiteModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { deviceView } from "./view.js";

export type TemplateRenderer = (name: string, data: object) => string;

export const IOS_TEMPLATE = "device";

const defaultRenderer: TemplateRenderer = (name, data) => render("ios", name, data);

export function renderDevice(site: SiteModel, peer: PeerModel, renderTemplate: TemplateRenderer = defaultRenderer): string {
  return renderTemplate(IOS_TEMPLATE, deviceView(site, peer));
}
