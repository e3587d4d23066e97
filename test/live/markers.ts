/**
 * What charon (strongSwan 5.9) logs on each end when a negotiation fails, by cause and IKE version: the host
 * initiates, the peer answers. Observed in these tests; the causes are those verify.md lists.
 */
import type { FailureMarkers } from "./tunnel-case.js";

type ByVersion = Readonly<Record<1 | 2, FailureMarkers>>;

export const MARKERS: Readonly<Record<"psk" | "ikeProposals" | "espProposals" | "identity", ByVersion>> = {
  /** IKEv1 main mode encrypts the identities with a key derived from the PSK: neither end can read them. */
  psk: {
    1: { host: /decryption failed/, peer: /decryption failed/ },
    2: { host: /received AUTHENTICATION_FAILED notify error/, peer: /shared key for .* but MAC mismatched/ },
  },
  ikeProposals: {
    1: { host: /received NO_PROPOSAL_CHOSEN error notify/, peer: /no proposal found/ },
    2: { host: /received NO_PROPOSAL_CHOSEN notify error/, peer: /received proposals unacceptable/ },
  },
  /** Also a PFS group mismatch (the group is part of the ESP proposal); with IKEv2 only once a CHILD SA rekeys. */
  espProposals: {
    1: { host: /received NO_PROPOSAL_CHOSEN error notify/, peer: /no matching proposal found, sending NO_PROPOSAL_CHOSEN/ },
    2: { host: /received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built/, peer: /no acceptable proposal found/ },
  },
  /** The peer finds no conn for the identity the host sends. */
  identity: {
    1: { host: /received AUTHENTICATION_FAILED error notify/, peer: /no peer config found/ },
    2: { host: /received AUTHENTICATION_FAILED notify error/, peer: /no matching peer config found/ },
  },
};
