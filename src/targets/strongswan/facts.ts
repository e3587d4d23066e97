/**
 * The emitted files read back into one fact record per CHILD_SA, with a keyword mapping of its own (man
 * ipsec.conf, swanctl.opt) rather than the renderer's, so tests can prove that ipsec.conf and swanctl.conf
 * say the same thing, and other targets' checks (the IOS snippet) can compare against the strongSwan side.
 */
import { parseIpsecConf, parseIpsecSecrets, parseSwanctl, sectionAt, valuesOf, type Section } from "./readback.js";

export interface ChildFacts {
  readonly version: number;
  readonly aggressive: boolean;
  readonly local: string;
  readonly remote: string;
  readonly localId: string;
  readonly remoteId: string;
  readonly ike: string;
  readonly esp: string;
  readonly ikeRekey: number;
  readonly ikeOver: number;
  readonly childLife: number;
  readonly childRekey: number;
  readonly dpdDelay: number;
  readonly dpdTimeout: number | null;
  readonly dpdAction: string;
  readonly start: string;
  readonly markIn: string | null;
  readonly markOut: string | null;
  /** XFRM interface ids (swanctl.conf children.<child>.if_id_in / if_id_out); ipsec.conf has no such keyword. */
  readonly ifIdIn: string | null;
  readonly ifIdOut: string | null;
  readonly localTs: string;
  readonly remoteTs: string;
  readonly mode: string;
  readonly policies: string;
  readonly mobike: string;
  readonly keyingtries: string;
  readonly psk: string;
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function seconds(time: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(time);
  if (!m) throw new Error(`not a strongSwan time: ${time}`);
  return Number(m[1]) * UNIT[m[2] || "s"]!;
}

function strict(list: string): string {
  if (!list.endsWith("!")) throw new Error(`proposal list ${list} is not strict`);
  return list.slice(0, -1);
}

/** ipsec.conf + ipsec.secrets → facts per conn (ipsec.conf's defaults applied where sitewire omits a key). */
export function ipsecConfFacts(conf: string, secrets: string): Map<string, ChildFacts> {
  const keys = parseIpsecSecrets(secrets);
  const out = new Map<string, ChildFacts>();
  for (const [name, c] of parseIpsecConf(conf).conns) {
    const get = (k: string) => {
      const v = c[k];
      if (v === undefined) throw new Error(`conn ${name}: no ${k}`);
      return v;
    };
    const margin = seconds(c.margintime ?? "9m");
    if ((c.reauth ?? "yes") !== "no") throw new Error(`conn ${name}: reauthenticates instead of rekeying (swanctl rekeys)`);
    const psk = keys.find((k) => k.selectors.join(" ") === `${get("leftid")} ${get("rightid")}`);
    out.set(name, {
      version: { ikev1: 1, ikev2: 2 }[get("keyexchange")] ?? 0,
      aggressive: c.aggressive === "yes",
      local: get("left"),
      remote: get("right"),
      localId: get("leftid"),
      remoteId: get("rightid"),
      ike: strict(get("ike")),
      esp: strict(get("esp")),
      ikeRekey: seconds(get("ikelifetime")) - margin,
      ikeOver: margin,
      childLife: seconds(get("lifetime")),
      childRekey: seconds(get("lifetime")) - margin,
      dpdDelay: seconds(get("dpddelay")),
      dpdTimeout: c.dpdtimeout === undefined ? null : seconds(c.dpdtimeout),
      dpdAction: { restart: "restart", clear: "clear", hold: "trap" }[get("dpdaction")] ?? "?",
      start: { start: "start", route: "trap", add: "none" }[get("auto")] ?? "?",
      markIn: c.mark ?? null,
      markOut: c.mark ?? null,
      ifIdIn: null,
      ifIdOut: null,
      localTs: get("leftsubnet"),
      remoteTs: get("rightsubnet"),
      mode: get("type"),
      policies: get("installpolicy"),
      mobike: get("mobike"),
      keyingtries: get("keyingtries") === "%forever" ? "0" : get("keyingtries"),
      psk: psk?.type === "PSK" ? psk.secret : "(none)",
    });
  }
  return out;
}

/** swanctl.conf → facts per child. */
export function swanctlFacts(text: string): Map<string, ChildFacts> {
  const root = parseSwanctl(text);
  const secrets = Object.values(sectionAt(root, "secrets")).filter((s): s is Section => typeof s === "object");
  const out = new Map<string, ChildFacts>();
  for (const [connName, conn] of Object.entries(sectionAt(root, "connections"))) {
    if (typeof conn === "string") throw new Error(`connections.${connName} is a value`);
    const c = valuesOf(conn);
    const local = valuesOf(sectionAt(conn, "local"));
    const remote = valuesOf(sectionAt(conn, "remote"));
    if (local.auth !== "psk" || remote.auth !== "psk") throw new Error(`${connName}: not PSK authentication`);
    const secret = secrets.map(valuesOf).find((s) => s["id-1"] === local.id && s["id-2"] === remote.id);
    for (const [childName, child] of Object.entries(sectionAt(conn, "children"))) {
      if (typeof child === "string") throw new Error(`children.${childName} is a value`);
      const ch = valuesOf(child);
      const need = (record: Record<string, string>, k: string) => {
        const v = record[k];
        if (v === undefined) throw new Error(`${connName}.${childName}: no ${k}`);
        return v;
      };
      out.set(childName, {
        version: Number(need(c, "version")),
        aggressive: c.aggressive === "yes",
        local: need(c, "local_addrs"),
        remote: need(c, "remote_addrs"),
        localId: need(local, "id"),
        remoteId: need(remote, "id"),
        ike: need(c, "proposals"),
        esp: need(ch, "esp_proposals"),
        ikeRekey: seconds(need(c, "rekey_time")),
        ikeOver: seconds(need(c, "over_time")),
        childLife: seconds(need(ch, "life_time")),
        childRekey: seconds(need(ch, "rekey_time")),
        dpdDelay: seconds(need(c, "dpd_delay")),
        dpdTimeout: c.dpd_timeout === undefined ? null : seconds(c.dpd_timeout),
        dpdAction: need(ch, "dpd_action"),
        start: need(ch, "start_action"),
        markIn: ch.mark_in ?? null,
        markOut: ch.mark_out ?? null,
        ifIdIn: ch.if_id_in ?? null,
        ifIdOut: ch.if_id_out ?? null,
        localTs: need(ch, "local_ts"),
        remoteTs: need(ch, "remote_ts"),
        mode: need(ch, "mode"),
        policies: need(ch, "policies"),
        mobike: need(c, "mobike"),
        keyingtries: need(c, "keyingtries"),
        psk: secret?.secret ?? "(none)",
      });
    }
  }
  return out;
}
