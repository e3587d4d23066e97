/**
 * Two-end compatibility of every tunnel (SW2xx), checked before rendering: named after the failure each
 * prevents, in the spirit of Batfish's IKE_PHASE1_FAILED / IKE_PHASE1_KEY_MISMATCH / IPSEC_PHASE2_FAILED.
 */
import type { Rule } from "../rule.js";
import { endpoints } from "./endpoints.js";
import { espPhase2 } from "./esp-phase2.js";
import { ikePhase1 } from "./ike-phase1.js";
import { insideAddresses } from "./inside-addresses.js";
import { mtuMismatch } from "./mtu-mismatch.js";
import { platformDeviceMonitor } from "./platform-device-monitor.js";
import { platformDpdRange } from "./platform-dpd-range.js";
import { platformExpressible } from "./platform-expressible.js";
import { platformIpv6 } from "./platform-ipv6.js";
import { pskMismatch } from "./psk-mismatch.js";

export const COMPAT_RULES: readonly Rule[] = [
  ikePhase1,
  pskMismatch,
  espPhase2,
  endpoints,
  insideAddresses,
  mtuMismatch,
  platformExpressible,
  platformDpdRange,
  platformDeviceMonitor,
  platformIpv6,
];
