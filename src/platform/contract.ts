/**
 * The far-side platform contract: what a device platform (Cisco IOS, Juniper SRX, FortiGate, PAN-OS…) declares
 * as data so that everything else — the schema's platform list, the model's identity defaults, the generic
 * "can this end express that" rule (SW208), the DPD-range rule (SW206), the artifact kinds, the site README
 * and the Ansible grouping — derives from one registry (src/targets/platforms.ts).
 *
 * A platform is one folder, src/targets/<name>/, with
 *   - platform.ts: `export const platform: PlatformDeclaration` — pure data, no imports from other targets;
 *   - index.ts:    `export const device: DevicePlatform` — the declaration plus its render function;
 *   - templates/<name>/: its Handlebars templates (each with a header comment citing the vendor's syntax source).
 * and one line in src/targets/platforms.ts.
 *
 * Rules never import target code: the compile pipeline hands them the declarations (RuleContext.platforms), and
 * they read only the data below. Everything a platform cannot express is reported at the intent line before
 * any target runs, so a renderer never guesses a near equivalent.
 *
 * The idea follows Aerleon's per-platform supported tokens and limits (aerleon/lib/aclgenerator.py), but the
 * data here drives the checks before rendering instead of failing inside a generator.
 */

/** An inclusive numeric range of a platform command (seconds, bytes, ids). */
export interface Range {
  readonly min: number;
  readonly max: number;
  /** The platform command the range belongs to, for messages ("crypto isakmp policy lifetime"). */
  readonly command?: string;
}

/**
 * How one strongSwan algorithm is spelled on the platform, per place. Keys of the tables below are algorithm
 * identities from src/model/crypto.ts (`identityOf(token)`, e.g. "ENCR_AES_CBC/128", "MODP_2048_BIT/0"), so all
 * strongSwan spellings of one algorithm translate alike. A missing place means the platform cannot say it there.
 */
export interface Spelling {
  /** In an IKEv1 proposal/policy (phase 1). */
  readonly ikev1?: string;
  /** In an IKEv2 proposal (phase 1). */
  readonly ikev2?: string;
  /** In an ESP proposal / transform set (phase 2). */
  readonly esp?: string;
}

export interface EncryptionSpelling extends Spelling {
  /** Combined-mode cipher (AES-GCM): the proposal carries no integrity algorithm. */
  readonly aead?: boolean;
  /**
   * On a platform whose IKE PRF is implied ("from-integrity"), the identity of the PRF this AEAD cipher implies in
   * an IKEv2 proposal (Junos aes-256-gcm → "PRF_HMAC_SHA2_384/0"); absent: an AEAD IKE proposal's PRF cannot be said.
   */
  readonly prf?: string;
}

/**
 * How many algorithms of each kind one proposal object holds on the platform: 1 where a policy holds exactly one
 * (an IOS isakmp policy, an SRX ike proposal), Infinity where it holds a list (an IOS IKEv2 proposal, a PAN-OS
 * crypto profile). A strongSwan proposal with more is split by the user (the rule says so).
 */
export interface ProposalShape {
  readonly encryption: number;
  readonly integrity: number;
  readonly dh: number;
}

export interface CryptoCapabilities {
  /** What the platform calls the object one proposal becomes, for messages: "isakmp policy", "ike proposal", "transform set". */
  readonly objects: { readonly ikev1: string; readonly ikev2: string; readonly esp: string };
  readonly encryption: ReadonlyMap<string, EncryptionSpelling>;
  readonly integrity: ReadonlyMap<string, Spelling>;
  /**
   * IKEv2 PRF spellings, keyed by identity ("PRF_HMAC_SHA2_256/0"). "from-integrity": the platform has no PRF
   * keyword and derives the PRF from the integrity algorithm; a proposal naming a different PRF cannot be said.
   */
  readonly prf: ReadonlyMap<string, string> | "from-integrity";
  /**
   * With a PRF table: only AEAD proposals spell a PRF; a proposal with an integrity algorithm derives it from that
   * (FortiOS `aes256gcm-prfsha384` names its PRF, `aes256-sha256` always uses PRF-HMAC-SHA-256).
   */
  readonly prfOnlyWithAead?: boolean;
  /** Diffie-Hellman groups, keyed by identity ("MODP_2048_BIT/0" → "14" / "group14"). */
  readonly dh: ReadonlyMap<string, string>;
}

export interface PlatformCapabilities {
  readonly ike: {
    readonly versions: readonly (1 | 2)[];
    /** IKEv1 aggressive mode can be configured. */
    readonly aggressive: boolean;
    readonly lifetime: { readonly ikev1: Range; readonly ikev2: Range };
    readonly shape: { readonly ikev1: ProposalShape; readonly ikev2: ProposalShape };
    /** Most IKE proposals one tunnel can offer. */
    readonly maxProposals: number;
    /** On IKEv1 the device identifies itself by its local address only ("address"), or by any identity ("any"). */
    readonly ikev1Identity: "address" | "any";
    /**
     * "at-most-own": as IKEv1 responder the device refuses a proposal whose lifetime is longer than its own
     * (IOS isakmp policy matching), so the gateway's IKE lifetime must not exceed the device's (SW201).
     */
    readonly ikev1Lifetime?: "at-most-own";
  };
  readonly esp: {
    readonly lifetime: Range;
    readonly shape: ProposalShape;
    readonly maxProposals: number;
    /** "one-group": one PFS group per tunnel, so all ESP proposals must carry the same single group (or none). */
    readonly pfs: "one-group";
  };
  readonly crypto: CryptoCapabilities;
  /**
   * Dead peer detection: the probe interval the platform accepts and how many retries it sends before declaring
   * the peer dead (the retry interval spreads the rest of the intent's timeout over them). A delay outside
   * `delay` is clamped, and SW206 warns.
   */
  readonly dpd: {
    readonly delay: Range;
    readonly retryInterval: Range;
    readonly retries: number;
    /**
     * Present when the device takes the number of retries as a setting and spaces them by the probe interval
     * (PAN-OS IKEv1 `dpd retry`, Junos `threshold`): the renderer sets it to ceil(timeout / delay) within this
     * range, and `retries`/`retryInterval` describe its default only.
     */
    readonly retryCount?: Range;
  };
  /**
   * TCP MSS clamping: the range of the platform's MSS setting, or, where it has none (PAN-OS tunnel interfaces),
   * `fromMtu`: the platform clamps TCP to the tunnel MTU minus that many bytes by itself, so an intent asking for
   * another MSS cannot be said (SW208 reports an explicit `mss` that differs).
   */
  readonly mss: Range | { readonly fromMtu: number };
  /** Tunnel MTU the interface accepts (SW208 checks the device end's MTU against it); absent: not configurable. */
  readonly mtu?: Range;
  /**
   * The device's outside interface, the one it terminates IKE on (`peers.<p>.interface`): "not-used" where the
   * platform binds IKE and the tunnel to the address alone (IOS `local-address` / `tunnel source <address>`), so an
   * `interface` in the intent would change nothing (SW208 refuses it).
   */
  readonly outsideInterface: OutsideInterface | "not-used";
  /**
   * The reachability monitor sitewire emits per tunnel (IOS IP SLA + track, SRX vpn-monitor / ip-monitoring,
   * FortiGate link-monitor, PAN-OS tunnel-monitor): its probe interval (whole seconds) and, when the platform
   * has a per-probe timeout, its range in milliseconds (it must also be at most the interval).
   */
  readonly monitor: {
    readonly name: string;
    readonly interval: Range;
    readonly failures?: Range;
    readonly timeoutMs?: Range;
    /**
     * "tunnel": each tunnel gets its own monitor settings. "device": the platform holds one setting for the whole
     * device (SRX `security ipsec vpn-monitor-options`), and the renderer writes the smallest interval, failure
     * count and timeout of the device's tunnels; SW209 warns when its tunnels ask for different ones.
     */
    readonly scope: "tunnel" | "device";
  };
  /** IPv6 and dual stack (issue 16): what sitewire can write on the platform, checked by SW210 (platform-ipv6). */
  readonly ipv6: Ipv6Capabilities;
  /** Tunnel kinds the platform target renders. */
  readonly tunnelKinds: readonly ("ipsec-vti" | "ipsec-policy")[];
  /**
   * Traffic selectors the device proposes for a route-based tunnel: "any" (0.0.0.0/0 both ways, routing decides)
   * or "per-network" (one pair per local × remote network). `narrowing`: it accepts a narrower proposal.
   */
  readonly selectors: { readonly proposes: "any" | "per-network"; readonly narrowing: boolean };
  /** Tunnel interface naming: `${prefix}${number}` with number in `number`. */
  readonly interfaces: { readonly prefix: string; readonly number: Range };
  readonly routing: {
    readonly static: boolean;
    /** Static routes withdrawn when the tunnel's monitor fails. */
    readonly tracking: boolean;
    /** OSPF redistribution of the tunnels' routes (`peers.<p>.routing.ospf`; SW208 refuses it where false). */
    readonly ospf: boolean;
    readonly bgp: boolean;
    readonly bfd: boolean;
    /** The BGP timers a session can be given on the platform; declared by every platform with `bgp` (layout test). */
    readonly bgpTimers?: BgpTimers;
  };
  /**
   * How a pre-shared key appears in the artifact: the platform's line holds the secret's placeholder
   * (SecretModel.placeholder, `@@sitewire-secret:<kind>:<ref>@@`), quoted with `quote` when the syntax needs it.
   * `sitewire secrets` replaces the placeholder; the value never reaches out/.
   */
  readonly secret: { readonly quote: "none" | "double" };
  /**
   * Numbers the device holds per tunnel that must be in range and unique on the device (keys are unique per
   * Linux host, not per far device, so two gateways may bring the same key to one device). `setting` is where the
   * number comes from: the tunnel's `number` (else its key), or a monitor id; `perIkev1Proposal`: the tunnel
   * claims number, number+1, … one per IKEv1 proposal (IOS isakmp policy priorities), and two tunnels may share
   * one when its content is equal. The tunnel interface number is always claimed (from `interfaces.number`).
   */
  readonly numbers: readonly NumberClaim[];
}

/**
 * IPv6 on a platform, as sitewire renders it: each entry says what the platform's translator writes, so a tunnel
 * that needs more is reported at the intent (SW210) instead of being rendered wrong.
 */
export interface Ipv6Capabilities {
  /** IPv6 inside addresses, IPv6 routes and IPv6 networks in a route-based tunnel (beside IPv4, or IPv6-only when `ipv6Only`). */
  readonly inside: boolean;
  /** A tunnel whose only inside network is IPv6 (no IPv4 inside address), e.g. for the device's reachability monitor. */
  readonly ipv6Only: boolean;
  /** IKE versions that can run over IPv6 outer addresses (IKE/ESP between IPv6 addresses); empty: none. */
  readonly outer: readonly (1 | 2)[];
  /**
   * Both families in one tunnel (an IPv4 `inside` plus `inside6`): the IKE versions it works with and how the device
   * negotiates the families: "one-sa" (one CHILD SA whose selectors hold both families), "sa-per-family" (one
   * CHILD SA per family under the same IKE SA). `ikeVersions` empty: one family per tunnel only.
   */
  readonly dualStack: { readonly ikeVersions: readonly (1 | 2)[]; readonly sas: "one-sa" | "sa-per-family" };
  /** BGP's IPv6 unicast address family (a session over IPv6 inside addresses: BgpSide.neighbor6, or an IPv6-only tunnel's). */
  readonly bgp: boolean;
  /** Where these facts come from (vendor documentation or a configuration model), for the README. */
  readonly sources: readonly string[];
}

/** The device's outside interface as the platform names it (`peers.<p>.interface`). */
export interface OutsideInterface {
  /** The command that takes it, for messages and the README ("ike gateway … external-interface"). */
  readonly command: string;
  /**
   * The interface a peer without `interface` gets, or "required" where no name is safe to assume (SW208 then asks
   * for one at the peer).
   */
  readonly default: "required" | (string & {});
  /**
   * An anchored regular expression (source) every name must match on the platform, checked by SW208. It must be
   * narrower than the schema's own pattern for `peers.<p>.interface` (no space, quote or comment character).
   */
  readonly pattern: string;
  /** Names of that form, for the hint. */
  readonly examples: readonly string[];
}

/** BGP session timers (seconds) as the platform can write them per neighbour (SW208 checks the tunnel's `bgp`). */
export interface BgpTimers {
  /** The hold time range; `zero`: 0 (no hold timer, RFC 4271) can be written as well. */
  readonly holdTime: Range & { readonly zero: boolean };
  /**
   * The keepalive range, or "third-of-hold": the platform has no keepalive setting and sends one every third of the
   * hold time (Junos), so an explicit keepalive other than that cannot be said.
   */
  readonly keepalive: Range | "third-of-hold";
}

export interface NumberClaim {
  /** What the number names on the device ("ip sla", "track", "isakmp policy"). */
  readonly what: string;
  readonly setting: "number" | "monitor.slaId" | "monitor.trackId";
  readonly range: Range;
  readonly perIkev1Proposal?: boolean;
}

/** The data half of a platform: src/targets/<name>/platform.ts. */
export interface PlatformDeclaration<Name extends string = string> {
  /** The intent's `peers.<p>.platform` value. */
  readonly name: Name;
  /** The folder under src/targets/ and templates/, and the manifest's `target` ("ios"). */
  readonly folder: string;
  /** Human name for messages and the README ("Cisco IOS"). */
  readonly title: string;
  /** The output syntax; its reader is test/readers/<syntax>.ts. */
  readonly syntax: string;
  /** The artifact: `devices/<peer>/<file>`, manifest `kind`, and its one-line description. */
  readonly artifact: { readonly file: string; readonly kind: string; readonly text: string };
  /** Vendor documentation the capability data comes from (cited in the README table). */
  readonly sources: readonly string[];
  readonly capabilities: PlatformCapabilities;
  /**
   * How `sitewire explain` finds the line of the device file that decides a hop: each pattern is a list of
   * fragments a line must all contain, with {cidr}, {network}, {mask}, {interface} (prefix + number) and
   * {neighbor} filled in. staticRoute: the route to a gateway-side network; bgpNeighbor: the tunnel's session.
   */
  readonly citations: { readonly staticRoute: readonly string[]; readonly bgpNeighbor: readonly string[] };
  /**
   * How the importers (src/import) name this platform: `customer` is the `import aws-vpn --customer` value;
   * `netbox` matches NetBox's platform or manufacturer slug/name (lower case) of a device that runs it.
   */
  readonly imports: { readonly customer: string; readonly netbox: RegExp };
}

/**
 * The whole platform as the registry (src/targets/platforms.ts) lists it: the declaration plus the function that
 * renders one device's configuration from the resolved model. `render` is only called for a peer whose tunnels
 * passed every rule, so it may assume everything the capability data promises.
 */
export interface DevicePlatform<Name extends string = string> {
  readonly platform: PlatformDeclaration<Name>;
  render(site: import("../model/types.js").SiteModel, peer: import("../model/types.js").PeerModel): string;
}
