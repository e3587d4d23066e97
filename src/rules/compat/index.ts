/**
 * Two-end compatibility of every tunnel (SW2xx), checked before rendering: named after the failure each
 * prevents, in the spirit of Batfish's IKE_PHASE1_FAILED / IKE_PHASE1_KEY_MISMATCH / IPSEC_PHASE2_FAILED.
 */
import type { Rule } from "../rule.js";

export const COMPAT_RULES: readonly Rule[] = [];
