/**
 * The facts of one tunnel as the gateway's strongSwan configuration states them, from ipsec.conf +
 * ipsec.secrets or from swanctl.conf, read by test/readers/strongswan-conf.ts and test/readers/swanctl.ts.
 * Keys per man ipsec.conf and src/swanctl/swanctl.opt.
 */
import { ipsecConns, ipsecSecrets } from "../readers/strongswan-conf.js";
import { swanctlSettings, type SettingsRecord as SwanctlSection } from "../readers/swanctl.js";

export interface HostEndFacts {
  readonly format: "ipsec.conf" | "swanctl.conf";
  readonly ikeVersion?: 1 | 2;
  readonly ikeProposals: readonly string[];
  readonly espProposals: readonly string[];
  readonly local?: string;
  readonly remote?: string;
  readonly localId?: string;
  readonly remoteId?: string;
  readonly psk?: string;
  readonly dpdDelay?: number;
  readonly dpdTimeout?: number;
  readonly mark?: number;
  /** swanctl.conf children.<child>.if_id_in (an XFRM interface's SAs); ipsec.conf has no such keyword. */
  readonly ifId?: number;
  readonly ifIdOut?: number;
  readonly ikeLifetime?: number;
  readonly espLifetime?: number;
  /** Traffic selectors, IPv4 and IPv6 subnets in one list (ipsec.conf leftsubnet/rightsubnet, swanctl.conf local_ts/remote_ts). */
  readonly localTs?: readonly string[];
  readonly remoteTs?: readonly string[];
}

export function fromIpsecConf(confText: string, secretsText: string, conn: string): HostEndFacts | undefined {
  const c = ipsecConns(confText).get(conn);
  if (!c) return undefined;
  const localId = c.leftid ?? c.left;
  const remoteId = c.rightid ?? c.right;
  const secret = ipsecSecrets(secretsText).find((s) => s.type === "PSK" && [localId, remoteId].every((id) => id !== undefined && s.selectors.includes(id)));
  const version = c.keyexchange === "ikev1" ? 1 : c.keyexchange === "ikev2" ? 2 : undefined;
  return {
    format: "ipsec.conf",
    ...(version ? { ikeVersion: version } : {}),
    ikeProposals: list(c.ike),
    espProposals: list(c.esp),
    ...defined({ local: c.left, remote: c.right, localId, remoteId, psk: secret?.secret }),
    ...defined({ dpdDelay: seconds(c.dpddelay), dpdTimeout: seconds(c.dpdtimeout), mark: c.mark ? Number(c.mark.split("/")[0]) : undefined }),
    ...defined({ ikeLifetime: seconds(c.ikelifetime), espLifetime: seconds(c.lifetime) }),
    ...defined({ localTs: subnets(c.leftsubnet), remoteTs: subnets(c.rightsubnet) }),
  };
}

export function fromSwanctl(text: string, conn: string): HostEndFacts | undefined {
  const root = swanctlSettings(text);
  const c = section(section(root, "connections"), conn);
  if (!c) return undefined;
  // One child, or one per family / selector pair (<conn>-1, <conn>-2 …): settings from the first, selectors from all.
  const childSections = section(c, "children") ?? {};
  const children = Object.entries(childSections)
    .filter(([name, v]) => typeof v === "object" && (name === conn || new RegExp(`^${conn.replace(/[-.]/g, "\\$&")}-\\d+$`).test(name)))
    .map(([, v]) => v as SwanctlSection);
  const child = children[0];
  const allTs = (key: string) => {
    const lists = children.map((ch) => subnets(value(ch, key)));
    return lists.every((l) => l === undefined) ? undefined : lists.flatMap((l) => l ?? []);
  };
  const localId = value(section(c, "local"), "id");
  const remoteId = value(section(c, "remote"), "id");
  const secrets = section(root, "secrets") ?? {};
  const secret = Object.values(secrets).find((s): s is SwanctlSection => typeof s === "object" && ids(s).includes(localId ?? "?") && ids(s).includes(remoteId ?? "?"));
  const version = value(c, "version");
  const rekey = seconds(value(c, "rekey_time"));
  const over = seconds(value(c, "over_time"));
  return {
    format: "swanctl.conf",
    ...(version === "1" || version === "2" ? { ikeVersion: Number(version) as 1 | 2 } : {}),
    ikeProposals: list(value(c, "proposals")),
    espProposals: list(value(child, "esp_proposals")),
    ...defined({ local: value(c, "local_addrs"), remote: value(c, "remote_addrs"), localId, remoteId, psk: secret ? value(secret, "secret") : undefined }),
    ...defined({ dpdDelay: seconds(value(c, "dpd_delay")), dpdTimeout: seconds(value(c, "dpd_timeout")), mark: numberOf(value(child, "mark_in")) }),
    ...defined({ ifId: numberOf(value(child, "if_id_in")), ifIdOut: numberOf(value(child, "if_id_out")) }),
    ...defined({ ikeLifetime: rekey !== undefined && over !== undefined ? rekey + over : undefined, espLifetime: seconds(value(child, "life_time")) }),
    ...defined({ localTs: allTs("local_ts"), remoteTs: allTs("remote_ts") }),
  };
}

/** "0.0.0.0/0,::/0" → ["0.0.0.0/0", "::/0"]; undefined when the key is absent. */
function subnets(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(",").map((t) => t.trim()).filter(Boolean);
}

function section(s: SwanctlSection | undefined, key: string): SwanctlSection | undefined {
  const v = s?.[key];
  return typeof v === "object" ? v : undefined;
}

function value(s: SwanctlSection | undefined, key: string): string | undefined {
  const v = s?.[key];
  return typeof v === "string" ? v : undefined;
}

function ids(secret: SwanctlSection): string[] {
  return Object.entries(secret).flatMap(([k, v]) => (k.startsWith("id") && typeof v === "string" ? [v] : []));
}

/** "aes256-sha256-modp3072!, aes128-…" → proposals without the strict marker. */
function list(text: string | undefined): string[] {
  return (text ?? "").split(",").map((p) => p.trim().replace(/!$/, "")).filter(Boolean);
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function seconds(text: string | undefined): number | undefined {
  const m = /^(\d+)([smhd]?)$/.exec(text ?? "");
  return m ? Number(m[1]) * (UNIT[m[2] || "s"] ?? 1) : undefined;
}

function numberOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text.split("/")[0]);
}

function defined<T extends Record<string, unknown>>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
