/**
 * The end's crypto in IOS words: the generic translation (src/platform/crypto.ts) driven by the IOS capability
 * data (./platform.ts), arranged the way IOS holds it (isakmp policies, IKEv2 proposals, transform sets, one
 * `set pfs`). The SW208 rule reports the problems of the same translation before rendering, so the renderer
 * only ever sees a translation without problems.
 */
import { platformDpd, translateCrypto as translate, type PlatformProblem } from "../../platform/crypto.js";
import type { TunnelEnd } from "../../model/types.js";
import { platform } from "./platform.js";

export interface IsakmpPolicy {
  readonly encryption: string;
  readonly hash: string;
  readonly group: number;
}

export interface Ikev2Proposal {
  readonly encryption: readonly string[];
  readonly integrity: readonly string[];
  readonly prf: readonly string[];
  readonly groups: readonly number[];
}

/** `crypto ipsec transform-set NAME <transforms>`: one encryption and at most one authentication transform. */
export interface TransformSet {
  readonly transforms: string;
}

/** The end's crypto, in IOS words. */
export interface IosCrypto {
  readonly isakmp: readonly IsakmpPolicy[];
  readonly ikev2: readonly Ikev2Proposal[];
  readonly transformSets: readonly TransformSet[];
  /** `set pfs groupN`; absent when the ESP proposals carry no DH group. */
  readonly pfsGroup?: number;
}

/** Translate the crypto of one tunnel end (the peer end of a cisco-ios peer). */
export function translateCrypto(end: TunnelEnd): { crypto: IosCrypto; problems: PlatformProblem[] } {
  const { words, problems } = translate(end, platform);
  const v1 = end.ike.version === 1;
  const isakmp = v1 ? words.ike.map((p) => ({ encryption: p.encryption[0]!, hash: p.integrity[0]!, group: Number(p.dh[0]) })) : [];
  const ikev2 = v1 ? [] : words.ike.map((p) => ({ encryption: p.encryption, integrity: p.integrity, prf: p.prf, groups: p.dh.map(Number) }));
  const transformSets = words.esp.map((p) => ({ transforms: [p.encryption[0]!, ...p.integrity].join(" ") }));
  return { crypto: { isakmp, ikev2, transformSets, ...(words.pfs !== undefined ? { pfsGroup: Number(words.pfs) } : {}) }, problems };
}

/**
 * Dead peer detection on IOS: `keepalive <seconds> retry <retry>` (isakmp profile) or `dpd <seconds> <retry>
 * on-demand` (ikev2 profile), from the capability data's ranges and IOS's five retries.
 */
export function iosDpd(dpd: TunnelEnd["dpd"]): { seconds: number; retry: number; clamped: boolean } {
  const { seconds, retry, clamped } = platformDpd(dpd, platform);
  return { seconds, retry, clamped };
}
