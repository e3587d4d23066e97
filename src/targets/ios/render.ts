/**
 * One device's configuration text. The template renderer is a parameter so that a test can render with an
 * altered template and prove the parse-back check notices (test/parse-back/agreement.test.ts).
 */
import type { PeerModel, SiteModel } from "../../model/types.js";
import { templatesOf, type TemplateRenderer } from "../../render/templates.js";
export type { TemplateRenderer };
import { iosText } from "./quote.js";
import { deviceView } from "./view.js";


export const IOS_TEMPLATE = "device";

const defaultRenderer = templatesOf("ios", { ios: iosText });

export function renderDevice(site: SiteModel, peer: PeerModel, renderTemplate: TemplateRenderer = defaultRenderer): string {
  return renderTemplate(IOS_TEMPLATE, deviceView(site, peer));
}
