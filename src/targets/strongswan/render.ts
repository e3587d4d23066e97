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
  // Only vti tunnels need charon's install_routes = no: for SAs with an if_id (XFRM interfaces) charon installs
  // no routes anyway (swanctl.conf(5), connections.<conn>.children.<child>.if_id_out, strongSwan 5.9.8).
  const routeBased = conns.filter((c) => c.mark !== undefined).map((c) => c.name);
  // ipsec.conf (stroke) has no if_id keyword (ipsec.conf(5); src/starter/keywords.txt has mark_in/mark_out only):
  // rule SW144 refuses an xfrm tunnel on a host whose format includes ipsec.conf before anything is rendered.
  const xfrm = conns.filter((c) => c.ifId !== undefined).map((c) => c.name);
  if (wantsIpsecConf(format) && xfrm.length > 0)
    throw new Error(`internal: ipsec.conf cannot express the XFRM interface of ${xfrm.join(", ")} (if_id); rule SW144 should have refused format ${format}`);
  return {
    ...(wantsIpsecConf(format)
      ? { ipsecConf: renderTemplate("ipsec.conf", data), ipsecSecrets: renderTemplate("ipsec.secrets", data) }
      : {}),
    ...(wantsSwanctl(format) ? { swanctlConf: renderTemplate("swanctl.conf", data) } : {}),
    ...(routeBased.length > 0 ? { charonConf: renderTemplate("charon.conf", { ...context, tunnels: routeBased, selectors: routeSelectors(conns) }) } : {}),
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

/** The selectors of the vti tunnels among `conns` (0.0.0.0/0, ::/0), for the charon drop-in's comment. */
function routeSelectors(conns: readonly ConnView[]): string[] {
  return [...new Set(conns.filter((c) => c.mark !== undefined).flatMap((c) => c.children.flatMap((child) => child.localTs)))];
}

/** Handlebars runs in strict mode: optional facts are present as null so `{{#if}}` can test them. */
function templateData(c: ConnView) {
  return {
    ...c,
    description: c.description ?? null,
    mark: c.mark ?? null,
    // swanctl.conf children.<child>.if_id_in / if_id_out: on the CHILD_SA, beside mark_in/mark_out (the
    // connection-level keys are only defaults for the children). swanctl.conf(5), strongSwan 5.9.8;
    // https://github.com/strongswan/strongswan/blob/master/src/swanctl/swanctl.opt
    ifId: c.ifId ?? null,
    dpd: { ...c.dpd, timeout: c.dpd.timeout ?? null },
    keyexchange: c.version === 1 ? "ikev1" : "ikev2",
    auto: AUTO[c.startAction],
    dpdaction: c.dpd.action,
    dpdAction: SWANCTL_DPD_ACTION[c.dpd.action],
  };
}
