/**
 * Every diagnostic code sitewire can report, with a one-line title. Codes are stable: never renumber, never
 * reuse a retired code. SW0xx: reading and YAML; SW01x: shape (schema); SW1xx: meaning; SW2xx: two-end
 * compatibility of a tunnel. test/readme.test.ts checks the README documents every code.
 */
export const CODES = {
  // Loading the file and YAML
  SW001: "file cannot be read",
  SW002: "file too large",
  SW003: "YAML syntax error",
  SW004: "duplicate key",
  SW005: "empty file",
  SW006: "top level is not a mapping",
  SW007: "too many or too deeply expanded YAML aliases",
  SW008: "more than one YAML document",
  SW009: "nesting too deep",
  SW010: "unsupported YAML feature (custom tag, non-string key)",
  // Shape (JSON Schema)
  SW011: "unknown key",
  SW012: "missing required key",
  SW013: "wrong type",
  SW014: "invalid value",
  SW015: "value not one of the allowed choices",
  SW016: "list or map size out of bounds, or duplicate entries",
  SW017: "literal secret value in an intent file",
  // Meaning
  SW100: "site name does not match the file name",
  SW101: "address or network not aligned",
  SW102: "unknown reference",
  SW103: "name used for two different things",
  SW104: "tunnel or link inside network is not a /30 or /31",
  SW105: "inside networks overlap",
  SW106: "tunnel key (IPsec mark) reused on a host",
  SW107: "routing table id or rule priority reused on a host",
  SW108: "MTU or MSS out of range",
  SW109: "routed prefix overlaps the host's own networks",
  SW110: "ip-masq-agent CIDR list invalid",
  SW111: "port or port range invalid",
  SW112: "weak cryptographic algorithm",
  SW113: "IKEv1 aggressive mode",
  SW114: "unknown algorithm in a proposal",
  SW115: "tunnel or link ends are of the wrong kind",
  SW116: "next hop not reachable from the host",
  SW117: "forwarding flow cannot be built",
  SW118: "failover pair incomplete",
  SW119: "device name clash on a host",
  SW120: "conflicting settings",
  SW121: "setting required by another setting is missing",
  SW122: "duration out of range",
  SW123: "proposal incomplete, inconsistent or partly ignored",
  SW124: "exception outside the destination it narrows",
  SW125: "secret file inside the repository",
  // Two-end compatibility (named after the failure they prevent)
  SW201: "IKE_PHASE1_FAILED: IKE versions or proposals do not intersect",
  SW202: "IKE_PHASE1_KEY_MISMATCH: the two ends use different secrets",
  SW203: "IPSEC_PHASE2_FAILED: ESP proposals or PFS do not agree",
  SW204: "MISSING_END_POINT: endpoints or identities do not mirror each other",
  SW205: "INSIDE_ADDRESS_MISMATCH: inside addresses are not the two ends of one network",
  SW206: "DPD_MISMATCH: the two ends cannot run the same dead peer detection (e.g. IOS probes at most every 10 s)",
  SW207: "MTU_MISMATCH: MTU or MSS differ between the ends",
  SW208: "UNSUPPORTED_ON_PLATFORM: the peer platform cannot express a setting",
} as const;

export type DiagnosticCode = keyof typeof CODES;
