/**
 * Renders tunnel ends into strongSwan files: ipsec.conf + ipsec.secrets (starter/stroke), a swanctl.conf
 * drop-in (vici), and the charon drop-in route-based tunnels need. The same ConnView feeds both formats;
 * only the keyword spelling differs (mapping tables below, from man ipsec.conf and swanctl.opt).
 * The template renderer is a parameter so that a test can render one end with an altered template and prove
 * the live tests notice (test/live/broken-template.test.ts).
 */
import type { StrongswanFormat, TunnelEnd, TunnelModel } from "../../model/types.js";
import { templatesOf, type TemplateRenderer } from "../../render/templates.js";
export type { TemplateRenderer };
import { connView, type ConnView } from "./conn.js";

export interface StrongswanFiles {
  readonly ipsecConf?: string;
  readonly ipsecSecrets?: string;
  readonly swanctlConf?: string;
  /** strongswan.d drop-in; only when a route-based tunnel is among the conns. */
  readonly charonConf?: string;
}

/** Renders templates/strongswan/<name>.hbs ("ipsec.conf", "ipsec.secrets", "swanctl.conf", "charon.conf"). */

const defaultRenderer = templatesOf("strongswan");

export interface RenderContext {
  /** Host or device the files are for (comments only). */
  readonly node: string;
  /** Site file the files come from (header comment). */
  readonly source: string;
}

/** ipsec.conf `auto=` for a start action (man ipsec.conf: auto=add|route|start). */
const AUTO: Readonly<Record<ConnView["startAction"], string>> = { start: "start", trap: "route", none: "add" };

/** swanctl.conf `dpd_action`: swanctl calls ipsec.conf's `hold` `trap` (swanctl.opt children.<child>.dpd_action). */
const SWANCTL_DPD_ACTION: Readonly<Record<ConnView["dpd"]["action"], string>> = { restart: "restart", clear: "clear", hold: "trap" };

export function wantsIpsecConf(format: StrongswanFormat): boolean {
  return format !== "swanctl";
}

export function wantsSwanctl(format: StrongswanFormat): boolean {
  return format !== "ipsec-conf";
}

/** Render the files of several tunnel ends that share one strongSwan daemon. */
export function renderConns(
  context: RenderContext,
  conns: readonly ConnView[],
  format: StrongswanFormat,
  renderTemplate: TemplateRenderer = defaultRenderer,
): StrongswanFiles {
  const views = conns.map(templateData);
  const data = { ...context, conns: views, ipsecConns: views.flatMap((c) => c.children.map((child) => ({ ...c, ...child, tunnel: c.name }))) };
  const routeBased = conns.filter((c) => c.mark !== undefined).map((c) => c.name);
  return {
    ...(wantsIpsecConf(format)
      ? { ipsecConf: renderTemplate("ipsec.conf", data), ipsecSecrets: renderTemplate("ipsec.secrets", data) }
      : {}),
    ...(wantsSwanctl(format) ? { swanctlConf: renderTemplate("swanctl.conf", data) } : {}),
    ...(routeBased.length > 0 ? { charonConf: renderTemplate("charon.conf", { ...context, tunnels: routeBased }) } : {}),
  };
}

/**
 * One end of one tunnel, as complete files: the far side of a `platform: strongswan` peer, or a strongSwan
 * stand-in for any peer in a live test.
 */
export function renderStrongswanEnd(
  tunnel: TunnelModel,
  end: TunnelEnd,
  format: StrongswanFormat,
  source = "the site model",
  renderTemplate: TemplateRenderer = defaultRenderer,
): StrongswanFiles {
  return renderConns({ node: end.node, source }, [connView(tunnel, end)], format, renderTemplate);
}

/** Handlebars runs in strict mode: optional facts are present as null so `{{#if}}` can test them. */
function templateData(c: ConnView) {
  return {
    ...c,
    description: c.description ?? null,
    mark: c.mark ?? null,
    dpd: { ...c.dpd, timeout: c.dpd.timeout ?? null },
    keyexchange: c.version === 1 ? "ikev1" : "ikev2",
    auto: AUTO[c.startAction],
    dpdaction: c.dpd.action,
    dpdAction: SWANCTL_DPD_ACTION[c.dpd.action],
  };
}
