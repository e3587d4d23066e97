/**
 * strongSwan time values and the rekeying schedule both formats must agree on.
 *
 * Time syntax (ipsec.conf and swanctl.conf alike): an integer with one optional unit s, m, h or d; no
 * fractions, no combinations ("7h51m" is not a time). Source: strongSwan src/starter/confread.c and
 * src/libstrongswan/settings/settings.c (settings_value_as_time).
 */
import type { Duration } from "../../model/types.js";

const UNITS: readonly [suffix: string, seconds: number][] = [
  ["d", 86400],
  ["h", 3600],
  ["m", 60],
  ["s", 1],
];

/** Whole seconds (at least 1; sub-second intent values round up) in the largest unit that is exact. */
export function strongswanTime(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  const [suffix, size] = UNITS.find(([, size]) => whole % size === 0)!;
  return `${whole / size}${suffix}`;
}

/** strongSwan's default rekey margin (ipsec.conf margintime), 9 minutes. */
export const DEFAULT_MARGIN_SECONDS = 540;

export interface RekeySchedule {
  /** Hard lifetimes, as the intent says them. */
  readonly ikeLifetime: number;
  readonly childLifetime: number;
  /** Rekeying starts this long before a lifetime ends (minus a random part of up to the margin). */
  readonly margin: number;
  readonly ikeRekey: number;
  readonly childRekey: number;
}

/**
 * The schedule ipsec.conf produces from ikelifetime/lifetime/margintime, written out so swanctl.conf can
 * say exactly the same: rekey = lifetime − margin, hard limit = lifetime, jitter up to the margin.
 * (strongSwan src/libcharon/plugins/stroke/stroke_config.c: rekey = ike_lifetime − margin,
 * over = margin; child rekey = ipsec_lifetime − margin.) The margin is strongSwan's default unless the
 * shorter lifetime is under three margins, then a third of it, so rekeying never starts at time zero.
 */
export function rekeySchedule(ike: Duration, child: Duration): RekeySchedule {
  const ikeLifetime = Math.max(1, Math.ceil(ike.seconds));
  const childLifetime = Math.max(1, Math.ceil(child.seconds));
  const margin = Math.max(1, Math.min(DEFAULT_MARGIN_SECONDS, Math.floor(Math.min(ikeLifetime, childLifetime) / 3)));
  return { ikeLifetime, childLifetime, margin, ikeRekey: ikeLifetime - margin, childRekey: childLifetime - margin };
}
