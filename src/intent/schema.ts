/**
 * The intent schema: the contract of a `sites/<site>.yaml` file.
 *
 * One object is both the runtime JSON Schema (compiled by ajv into the shape validator at build time, written
 * to schema/site.schema.json for editors) and, through TypeBox's `Static`, the TypeScript type of a
 * shape-valid intent. The two cannot drift: `test/schema-file.test.ts` proves the committed JSON file equals
 * what this module generates, src/intent/validator.test.ts that the built validator does.
 *
 * Every property carries a description: editors show it on hover (yaml-language-server).
 * Patterns (most in ./patterns.ts) are the first line of output safety: a value whose pattern excludes
 * whitespace, quotes and shell metacharacters cannot add a line or a command to any artifact.
 */
import { Type, type Static, type TObject, type TOptional, type TProperties, type TSchema } from "@sinclair/typebox";
import { defaultSentence, type DefaultKey } from "./defaults.js";
import * as patterns from "./patterns.js";
import { PER_END } from "./per-end.js";
import { PLATFORM_DECLARATIONS } from "../targets/platforms.js";
// Also exported from here for the modules that have always taken them from here (an emitter, tests).
export * from "./patterns.js";

// ---------------------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------------------

const Name = (description: string) => Type.String({ pattern: patterns.NAME_PATTERN, description });
const Ipv4 = (description: string) => Type.String({ pattern: patterns.IPV4_PATTERN, description });
const Ip = (description: string) => Type.String({ pattern: patterns.IP_PATTERN, description });
const Cidr = (description: string) => Type.String({ pattern: patterns.CIDR_PATTERN, description });
const InterfaceAddress = (description: string) => Type.String({ pattern: patterns.IP_OPTIONAL_LENGTH_PATTERN, description });

const PrefixRef = (description: string) => Type.String({ pattern: patterns.REF_PATTERN, description });
const PrefixRefs = (description: string) =>
  Type.Array(PrefixRef("A network name, a host name (its address as a /32), or an IPv4 address or CIDR."), {
    description,
    minItems: 1,
    uniqueItems: true,
  });

const Device = (description: string) => Type.String({ pattern: patterns.DEVICE_PATTERN, description });

const Duration = (description: string) => Type.String({ pattern: patterns.DURATION_PATTERN, description });

const Proposals = (description: string) =>
  Type.Array(
    Type.String({
      pattern: patterns.PROPOSAL_PATTERN,
      description: "A strongSwan proposal such as aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384.",
    }),
    { minItems: 1, uniqueItems: true, description },
  );

const Text = (description: string) => Type.String({ maxLength: 200, pattern: patterns.TEXT_PATTERN, description });

/**
 * `allowAll: "<reason>"`: the one way to say that a policy's widest scope (0.0.0.0/0, every pod, every node)
 * is deliberate. Without it such a scope is warning SW142 (an error under --strict); the reason is shown in
 * the plan (`sitewire diff --against`).
 */
const AllowAll = (scope: string) =>
  Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: patterns.TEXT_PATTERN,
    description: `Why ${scope} is deliberate. Without it, sitewire warns (error under --strict); the reason is shown in the plan.`,
  });

const Ports = (description: string) =>
  Type.Array(
    Type.String({
      pattern: patterns.PORT_PATTERN,
      description: "protocol/port or protocol/first-last, for example tcp/8080, udp/53 or tcp/30000-32767.",
    }),
    { minItems: 1, uniqueItems: true, description },
  );

const LABEL_KEY =
  "^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
const LABEL_VALUE = "^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";
const Labels = (description: string) =>
  Type.Unsafe<Record<string, string>>({
    type: "object",
    description,
    propertyNames: { pattern: LABEL_KEY, maxLength: 253 },
    additionalProperties: Type.String({ pattern: LABEL_VALUE, description: "A Kubernetes label value." }),
  });

const K8sName = (description: string) => Type.String({ pattern: patterns.K8S_NAME_PATTERN, description });

/** A map whose keys are names (hosts, tunnels, …): `propertyNames` gives one precise error per bad key. */
function NamedMap<T extends TSchema>(value: T, description: string, keyPattern = patterns.NAME_PATTERN) {
  return Type.Unsafe<Record<string, Static<T>>>({
    type: "object",
    description,
    propertyNames: { pattern: keyPattern },
    additionalProperties: value,
  });
}

const Strict = { additionalProperties: false } as const;

/** A description ending with the key's default, from the one defaults table (src/intent/defaults.ts). */
const withDefault = (description: string, key: DefaultKey) => `${description} ${defaultSentence(key)}`;

/** A tunnel setting as an end's override: the tunnel's own schema, whose default there is the tunnel's setting. */
function onThisEnd<T extends TSchema>(schema: T): T {
  const own = String(schema.description ?? "").replace(/ Default: .*$/s, "");
  return { ...schema, description: `${own} On this end only; unset, the end takes the tunnel's setting.` };
}

/** The override schema of a list of per-end settings: a listed object is narrowed to its listed keys, all optional. */
type PerEndSchema<P extends TProperties, L> = {
  -readonly [K in keyof L & keyof P]: TOptional<
    L[K] extends readonly (infer F)[] ? (P[K] extends TObject<infer Q> ? TObject<{ [J in F & keyof Q]: TOptional<Q[J]> }> : never) : P[K]
  >;
};

function perEnd<P extends TProperties, L extends { readonly [K in keyof P]?: true | readonly string[] }>(tunnel: P, list: L): PerEndSchema<P, L> {
  const out: Record<string, TSchema> = {};
  for (const [key, which] of Object.entries(list) as [string, true | readonly string[]][]) {
    const schema = tunnel[key];
    if (!schema) throw new Error(`internal: per-end setting ${key} is not a tunnel setting`);
    if (which === true) {
      out[key] = Type.Optional(onThisEnd(schema));
      continue;
    }
    const inner = (schema as TObject).properties;
    const fields = which.map((f) => {
      if (!inner[f]) throw new Error(`internal: per-end setting ${key}.${f} is not a tunnel setting`);
      return [f, Type.Optional(onThisEnd(inner[f]))] as const;
    });
    const own = String(schema.description ?? "").replace(/\.$/, "");
    out[key] = Type.Optional(Type.Object(Object.fromEntries(fields), { ...Strict, description: `${own}, on this end only: what is not set here comes from the tunnel.` }));
  }
  return out as PerEndSchema<P, L>;
}

// ---------------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------------

export const SecretRef = Type.Object(
  {
    env: Type.Optional(
      Type.String({
        pattern: patterns.ENV_NAME_PATTERN,
        description: "Name of the environment variable that holds the secret at deploy time, e.g. VPN1_PSK.",
      }),
    ),
    file: Type.Optional(
      Type.String({
        pattern: patterns.SECRET_FILE_PATTERN,
        description:
          "Path of a file that holds the secret at deploy time (outside the repository, e.g. /run/secrets/vpn1-psk).",
      }),
    ),
  },
  {
    ...Strict,
    minProperties: 1,
    maxProperties: 1,
    description:
      "A reference to a secret, never the secret itself: exactly one of env or file. Committed output carries a placeholder; `sitewire secrets` materialises real values at deploy time.",
  },
);

// ---------------------------------------------------------------------------------------------------------
// Hosts (Linux machines sitewire configures) and peers (far-side devices)
// ---------------------------------------------------------------------------------------------------------

const StrongswanFormat = (key: DefaultKey) =>
  Type.Union([Type.Literal("ipsec-conf"), Type.Literal("swanctl"), Type.Literal("both")], {
    description: withDefault(
      "Which strongSwan configuration format to emit: legacy ipsec.conf/ipsec.secrets (stroke), swanctl.conf (vici, current), or both.",
      key,
    ),
  });

const AwsCloud = Type.Object(
  {
    provider: Type.Literal("aws", { description: "Cloud provider whose route tables the failover monitor edits." }),
    region: Type.Optional(
      Type.String({ pattern: "^[a-z]{2}(?:-[a-z]+)+-[0-9]$", description: "AWS region, e.g. cn-north-1." }),
    ),
    instanceId: Type.String({
      pattern: "^i-[0-9a-f]{8,17}$",
      description: "EC2 instance id of this host (its pair partner restarts it when it stops answering).",
    }),
    eni: Type.Optional(
      Type.String({
        pattern: "^eni-[0-9a-f]{8,17}$",
        description: "Network interface id that route-table entries point at (preferred over the instance id).",
      }),
    ),
    routeTables: Type.Optional(
      Type.Array(Type.String({ pattern: "^rtb-[0-9a-f]{8,17}$", description: "A VPC route table id." }), {
        minItems: 1,
        uniqueItems: true,
        description:
          "Route tables this host serves in normal operation (its zone's private subnets). Their routes to the far side point at this host unless its pair partner has taken over.",
      }),
    ),
  },
  { ...Strict, description: "Cloud facts the failover monitor needs." },
);

const ExternalInterface = Type.Object(
  {
    address: InterfaceAddress(
      "Address/prefix the interface has once it is up (e.g. the SSL VPN client's tun0: 172.16.0.10/24).",
    ),
    description: Type.Optional(Text("What creates this interface (it is not managed by sitewire).")),
  },
  {
    ...Strict,
    description:
      "An interface that exists on the host but is created by something else (an SSL VPN client's tun0, a cloud NIC).",
  },
);

const StaticRoute = Type.Object(
  {
    to: PrefixRefs("Destinations of the route."),
    via: Type.String({
      pattern: patterns.REF_PATTERN,
      description:
        "Next hop: an IPv4 address on a connected network, a host name (its address; must share a subnet), or a link name (the other end of that point-to-point link).",
    }),
    description: Type.Optional(Text("Why the route exists.")),
  },
  { ...Strict, description: "A static route in the main table." },
);

const HostFirewall = Type.Object(
  {
    backend: Type.Optional(
      Type.Union([Type.Literal("nftables"), Type.Literal("iptables")], {
        description: withDefault(
          "What loads sitewire's rules. nftables: one file replacing `table inet sitewire` as a whole in one `nft -f` transaction (IPv4 and IPv6 in one table). iptables: iptables-restore/ip6tables-restore --noflush files for sitewire's own chains.",
          "hosts.<h>.firewall.backend",
        ),
      }),
    ),
    forwardDefault: Type.Optional(
      Type.Union([Type.Literal("host"), Type.Literal("drop")], {
        description: withDefault(
          "What happens to forwarded traffic sitewire's own rules do not accept. host: it goes on through the host's own FORWARD rules and policy, which sitewire never changes. drop: sitewire's chain ends with a DROP, so this host forwards nothing else, Docker's and Kubernetes' traffic included (warning SW130). Never a chain policy: unloading sitewire's rules removes it.",
          "hosts.<h>.firewall.forwardDefault",
        ),
      }),
    ),
  },
  { ...Strict, description: "sitewire's firewall rules on this host, in what sitewire owns only: its own nftables table (table inet sitewire) or its own iptables chains (SITEWIRE-FORWARD, SITEWIRE-POSTROUTING, SITEWIRE-MSS)." },
);

const DeviceKind = (key: DefaultKey) =>
  Type.Union([Type.Literal("xfrm"), Type.Literal("vti")], {
    description: withDefault(
      "The Linux device of a route-based tunnel. xfrm: an XFRM interface (`ip link add … type xfrm dev <underlay> if_id N`, kernel ≥ 4.19, strongSwan ≥ 5.8), matched to the IPsec SAs by if_id: no marks and no disable_policy sysctls. vti: a VTI device (`type vti key N`), matched by the IPsec mark, for older hosts.",
      key,
    ),
  });

const HostDevice = Type.Object(
  { kind: Type.Optional(DeviceKind("hosts.<h>.device.kind")) },
  { ...Strict, description: "Route-based tunnel devices on this host (each tunnel may say otherwise in tunnels.<t>.device)." },
);

const HostBgp = Type.Object(
  {
    as: Type.Integer({ minimum: 1, maximum: 4294967295, description: "Autonomous system number of this host (FRRouting bgpd)." }),
    routerId: Type.Optional(Ipv4(withDefault("BGP router-id.", "hosts.<h>.routing.bgp.routerId"))),
  },
  {
    ...Strict,
    description:
      "Run BGP on this host with FRRouting: every tunnel with `bgp` that ends here gets a neighbour over its inside addresses, and the host learns the far networks from it instead of static routes.",
  },
);

const HostRouting = Type.Object(
  { bgp: Type.Optional(HostBgp) },
  { ...Strict, description: "Dynamic routing on this host." },
);

export const Host = Type.Object(
  {
    description: Type.Optional(Text("What this host is for.")),
    os: Type.Union([Type.Literal("debian"), Type.Literal("rhel")], {
      description: "OS family: decides file paths (/etc/ipsec.conf vs /etc/strongswan/ipsec.conf, firewall rules files).",
    }),
    release: Type.Optional(
      Type.Integer({
        minimum: 7,
        maximum: 99,
        description:
          "Major release of the OS (Debian 11, 12, 13; RHEL 8, 9, 10). Decides the defaults of firewall.backend (nftables from Debian 12 and RHEL 9) and device.kind (xfrm from Debian 11 and RHEL 9). Without it, the defaults are the ones every release runs: iptables and vti.",
      }),
    ),
    address: InterfaceAddress(
      "Primary private address with its prefix length, IPv4 or IPv6, e.g. 172.16.1.157/24 or 2001:db8:1::10/64. Without a length it is a /32 or /128 (no on-link neighbours).",
    ),
    address6: Type.Optional(
      Type.String({
        pattern: patterns.IPV6_OPTIONAL_LENGTH_PATTERN,
        description:
          "The host's IPv6 address on the same interface, when `address` is IPv4 (dual stack), e.g. 2001:db8:1::10/64. Tunnels to IPv6 peer addresses start from it, and the host's name stands for both addresses wherever a network is expected.",
      }),
    ),
    interface: Type.Optional(Device(withDefault("Interface that holds `address`.", "hosts.<h>.interface"))),
    publicAddress: Type.Optional(
      Ip("Public address in front of this host (cloud elastic IP, 1:1 NAT). Used as its IKE identity and by peers."),
    ),
    identity: Type.Optional(
      Type.String({
        pattern: patterns.IDENTITY_PATTERN,
        description: withDefault("IKE identity to send (an IPv4/IPv6 address or FQDN).", "hosts.<h>.identity"),
      }),
    ),
    interfaces: Type.Optional(NamedMap(ExternalInterface, "Interfaces created outside sitewire.", patterns.DEVICE_PATTERN)),
    routes: Type.Optional(Type.Array(StaticRoute, { description: "Extra static routes on this host." })),
    strongswan: Type.Optional(
      Type.Object({ format: StrongswanFormat("hosts.<h>.strongswan.format") }, { ...Strict, description: "strongSwan settings for this host." }),
    ),
    cloud: Type.Optional(AwsCloud),
    firewall: Type.Optional(HostFirewall),
    device: Type.Optional(HostDevice),
    routing: Type.Optional(HostRouting),
  },
  { ...Strict, description: "A Linux machine that sitewire configures (VPN gateway, VPN front machine, Kubernetes node)." },
);

const Ospf = Type.Object(
  {
    process: Type.Integer({ minimum: 1, maximum: 65535, description: "OSPF process id (router ospf <process>)." }),
    routerId: Type.Optional(Ipv4("OSPF router-id.")),
  },
  { ...Strict, description: "Redistribute the tunnel's tagged static routes into OSPF." },
);

const Bgp = Type.Object(
  {
    as: Type.Integer({ minimum: 1, maximum: 4294967295, description: "Local autonomous system number." }),
    routerId: Type.Optional(Ipv4(withDefault("BGP router-id.", "peers.<p>.routing.bgp.routerId"))),
  },
  {
    ...Strict,
    description:
      "BGP on this device: its AS and router id. Tunnels with `bgp` run a session over their inside addresses; otherwise the tunnel's tagged static routes are redistributed into BGP.",
  },
);


const PeerCloud = Type.Object(
  {
    gateway: Type.Optional(
      Type.Union(
        [
          Type.Literal("transit-gateway"),
          Type.Literal("virtual-private-gateway"),
          Type.Literal("vpn-gateway"),
          Type.Literal("ha-vpn-gateway"),
        ],
        {
          description: withDefault(
            "What the VPN attaches to: transit-gateway or virtual-private-gateway for aws-vpn (required there), vpn-gateway for azure-vpn-gateway, ha-vpn-gateway for gcp-ha-vpn.",
            "peers.<p>.cloud.gateway",
          ),
        },
      ),
    ),
    region: Type.Optional(
      Type.String({
        pattern: patterns.CLOUD_REGION_PATTERN,
        maxLength: 40,
        description: "Region of the gateway, e.g. eu-west-1 (AWS), westeurope (Azure), europe-west1 (Google Cloud).",
      }),
    ),
    gatewayId: Type.Optional(
      Type.String({
        pattern: patterns.CLOUD_GATEWAY_ID_PATTERN,
        description:
          "Id of the existing gateway, e.g. tgw-0123456789abcdef0 or vgw-0123456789abcdef0 (AWS), a resource id or name (Azure, Google Cloud). Without it the Terraform file asks for it as a variable.",
      }),
    ),
  },
  {
    ...Strict,
    description:
      "Managed cloud gateway facts (only for platform aws-vpn, azure-vpn-gateway or gcp-ha-vpn, where it is required).",
  },
);

export const Peer = Type.Object(
  {
    description: Type.Optional(Text("What this device is.")),
    platform: Type.Union(
      [...PLATFORM_DECLARATIONS.map((p) => Type.Literal(p.name)), Type.Literal("strongswan"), Type.Literal("aws-vpn"), Type.Literal("azure-vpn-gateway"), Type.Literal("gcp-ha-vpn")],
      {
        description: `What the far side runs: ${PLATFORM_DECLARATIONS.map((p) => `${p.name} gets a ${p.title} configuration (devices/<peer>/${p.artifact.file})`).join("; ")}; strongswan gets a strongSwan configuration; aws-vpn (AWS Site-to-Site VPN), azure-vpn-gateway (Azure VPN Gateway) and gcp-ha-vpn (Google Cloud HA VPN) are managed cloud gateways: sitewire emits their side as Terraform JSON and nothing for the device.`,
      },
    ),
    address: Ip(
      "Address the device terminates IKE on (IOS local-address / tunnel source). For a cloud gateway: the outside address of its first tunnel; set the others per tunnel with overrides.<peer>.address.",
    ),
    publicAddress: Type.Optional(
      Ip(withDefault("Public address the gateway connects to, when the device sits behind 1:1 NAT.", "peers.<p>.publicAddress")),
    ),
    identity: Type.Optional(
      Type.String({
        pattern: patterns.IDENTITY_PATTERN,
        description: withDefault("IKE identity the device sends (an IPv4/IPv6 address or FQDN).", "peers.<p>.identity"),
      }),
    ),
    interface: Type.Optional(
      Type.String({
        pattern: patterns.DEVICE_INTERFACE_PATTERN,
        description: withDefault(
          `The device's outside interface, where it terminates IKE: ${PLATFORM_DECLARATIONS.map((p) => {
            const o = p.capabilities.outsideInterface;
            return o === "not-used" ? `${p.name}: not used (IKE is bound to the address)` : `${p.name}: ${o.command}, e.g. ${o.examples.join(", ")}${o.default === "required" ? " (required)" : ""}`;
          }).join("; ")}.`,
          "peers.<p>.interface",
        ),
      }),
    ),
    cloud: Type.Optional(PeerCloud),
    routing: Type.Optional(
      Type.Object(
        { ospf: Type.Optional(Ospf), bgp: Type.Optional(Bgp) },
        { ...Strict, description: "Routing on this device: OSPF or BGP (redistributed static routes, or BGP sessions over tunnels with `bgp`)." },
      ),
    ),
  },
  { ...Strict, description: "A far-side device (router or gateway) sitewire emits configuration for but does not own." },
);

// ---------------------------------------------------------------------------------------------------------
// IPsec tunnels
// ---------------------------------------------------------------------------------------------------------

const Ike = Type.Object(
  {
    version: Type.Optional(
      Type.Union([Type.Literal(1), Type.Literal(2)], { description: withDefault("IKE version.", "tunnels.<t>.ike.version") }),
    ),
    proposals: Proposals("IKE proposals, most preferred first. Negotiated strictly: nothing else is accepted."),
    lifetime: Type.Optional(Duration(withDefault("IKE SA lifetime.", "tunnels.<t>.ike.lifetime"))),
    aggressive: Type.Optional(
      Type.Boolean({ description: withDefault("IKEv1 aggressive mode (flagged as weak).", "tunnels.<t>.ike.aggressive") }),
    ),
  },
  { ...Strict, description: "Phase 1 (IKE SA)." },
);

const Esp = Type.Object(
  {
    proposals: Proposals(
      "ESP proposals, most preferred first. A DH group in the proposal (aes256-sha256-modp3072) turns on PFS with that group.",
    ),
    lifetime: Type.Optional(Duration(withDefault("CHILD SA lifetime.", "tunnels.<t>.esp.lifetime"))),
  },
  { ...Strict, description: "Phase 2 (CHILD SA / IPsec SA)." },
);

const Dpd = Type.Object(
  {
    delay: Type.Optional(Duration(withDefault("Interval between liveness checks.", "tunnels.<t>.dpd.delay"))),
    timeout: Type.Optional(Duration(withDefault("When the peer is declared dead.", "tunnels.<t>.dpd.timeout"))),
    action: Type.Optional(
      Type.Union([Type.Literal("restart"), Type.Literal("clear"), Type.Literal("hold")], {
        description: withDefault("What to do with a dead peer's CHILD SAs.", "tunnels.<t>.dpd.action"),
      }),
    ),
  },
  { ...Strict, description: "Dead peer detection (IOS: crypto isakmp keepalive)." },
);

const TunnelRoutes = Type.Object(
  {
    toPeer: Type.Optional(PrefixRefs("Networks behind the peer: the host routes them into the tunnel.")),
    toHost: Type.Optional(PrefixRefs("Networks behind the host: the peer routes them into the tunnel.")),
  },
  { ...Strict, description: "Routes each way through the tunnel." },
);

const Monitor = Type.Object(
  {
    interval: Type.Optional(Duration(withDefault("How often each end probes the other's inside address.", "tunnels.<t>.monitor.interval"))),
    timeout: Type.Optional(
      Duration(withDefault("How long one probe waits for an answer (IOS ip sla `timeout`, in milliseconds there).", "tunnels.<t>.monitor.timeout")),
    ),
    failures: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: withDefault("Consecutive failed probes before failover.", "tunnels.<t>.monitor.failures") }),
    ),
    slaId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: withDefault("IOS ip sla id.", "tunnels.<t>.monitor.slaId") })),
    trackId: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: withDefault("IOS track id.", "tunnels.<t>.monitor.trackId") })),
    tag: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 4294967295, description: withDefault("Route tag of the peer's static routes.", "tunnels.<t>.monitor.tag") }),
    ),
  },
  { ...Strict, description: "Reachability monitoring of the tunnel (IP SLA + track on IOS, failover monitor on hosts)." },
);

const TunnelBgp = Type.Object(
  {
    holdTime: Type.Optional(Duration(withDefault("BGP hold time, in whole seconds.", "tunnels.<t>.bgp.holdTime"))),
    keepalive: Type.Optional(Duration(withDefault("BGP keepalive interval, in whole seconds.", "tunnels.<t>.bgp.keepalive"))),
    bfd: Type.Optional(Type.Boolean({ description: withDefault("Also run BFD on the session for faster failure detection.", "tunnels.<t>.bgp.bfd") })),
    preference: Type.Optional(
      Type.Union([Type.Literal("primary"), Type.Literal("secondary")], {
        description: withDefault(
          "Preference among redundant tunnels. secondary: lower local-pref on learned routes, AS-path prepended twice and a higher MED on announcements, so both ends prefer the primary tunnel.",
          "tunnels.<t>.bgp.preference",
        ),
      }),
    ),
    announce: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(PrefixRefs(withDefault("Networks the host announces.", "tunnels.<t>.bgp.announce.host"))),
          peer: Type.Optional(PrefixRefs(withDefault("Networks the peer announces.", "tunnels.<t>.bgp.announce.peer"))),
        },
        { ...Strict, description: "What each end announces over this session." },
      ),
    ),
    accept: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(PrefixRefs(withDefault("Networks the host accepts.", "tunnels.<t>.bgp.accept.host"))),
          peer: Type.Optional(PrefixRefs(withDefault("Networks the peer accepts.", "tunnels.<t>.bgp.accept.peer"))),
        },
        { ...Strict, description: "What each end accepts from the other (prefix lists)." },
      ),
    ),
  },
  {
    ...Strict,
    description:
      "Run BGP over this route-based tunnel's inside addresses: the neighbour and remote AS come from the other end (both ends need routing.bgp). The host then installs no static routes for the tunnel; routes come from BGP.",
  },
);

/** A tunnel's own settings: everything but `overrides`, whose schema is derived from these. */
const TunnelSettings = Type.Object(
  {
    description: Type.Optional(Text("What this tunnel carries.")),
    between: Type.Array(Name("A host name, then a peer name."), {
      minItems: 2,
      maxItems: 2,
      description: "The two ends: [host, peer]. Every setting of both ends is derived from this one definition.",
    }),
    kind: Type.Optional(
      Type.Union([Type.Literal("ipsec-vti"), Type.Literal("ipsec-policy")], {
        description: withDefault(
          "ipsec-vti: route-based, 0.0.0.0/0 selectors and a vti device whose key is the IPsec mark. ipsec-policy: selectors are the routed networks.",
          "tunnels.<t>.kind",
        ),
      }),
    ),
    ike: Ike,
    esp: Esp,
    psk: SecretRef,
    inside: Type.Optional(
      Cidr("Inside network of the tunnel: IPv4 /30 or /31, or IPv6 /126, /127 or a link-local (fe80::/10) network. Which end gets which address: insideOrder."),
    ),
    inside6: Type.Optional(
      Cidr(
        "Second inside network for a tunnel carrying both families: the IPv6 one (/126, /127 or link-local) when `inside` is IPv4. Both ends get an address of each; insideOrder applies to both.",
      ),
    ),
    insideOrder: Type.Optional(
      Type.Union([Type.Literal("peer-first"), Type.Literal("host-first")], {
        description: withDefault(
          "Which end takes the first usable inside address. peer-first: the peer the first, the host the second. host-first: the other way round.",
          "tunnels.<t>.insideOrder",
        ),
      }),
    ),
    number: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2147483647,
        description: withDefault("Tunnel interface number on the peer (IOS interface Tunnel<number>), independent of the key.", "tunnels.<t>.number"),
      }),
    ),
    allowWeak: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: patterns.TEXT_PATTERN,
        description:
          "Why weak crypto (e.g. a provider default such as aes128-sha1-modp1024) is accepted on this tunnel. The warning becomes a note listed in the plan and the site README.",
      }),
    ),
    key: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 4294967295,
        description: "VTI key = IPsec mark, or the XFRM interface's if_id (device kind xfrm). Unique per host. Also the default IOS tunnel number, SLA, track and tag ids.",
      }),
    ),
    device: Type.Optional(
      Type.Union(
        [
          Device(withDefault("Name of the tunnel's device on the host.", "tunnels.<t>.device")),
          Type.Object(
            {
              name: Type.Optional(Device(withDefault("Name of the tunnel's device on the host.", "tunnels.<t>.device"))),
              kind: Type.Optional(DeviceKind("tunnels.<t>.device.kind")),
            },
            { ...Strict, description: "The tunnel's device on the host: its name and kind." },
          ),
        ],
        { description: withDefault("The tunnel's device on the host (route-based tunnels): a name, or { name, kind }.", "tunnels.<t>.device") },
      ),
    ),
    mtu: Type.Optional(Type.Integer({ description: withDefault("Tunnel MTU, 576..9000.", "tunnels.<t>.mtu") })),
    mss: Type.Optional(Type.Integer({ description: withDefault("TCP MSS clamp.", "tunnels.<t>.mss") })),
    dpd: Type.Optional(Dpd),
    startAction: Type.Optional(
      Type.Union([Type.Literal("start"), Type.Literal("trap"), Type.Literal("none")], {
        description: withDefault("What the host does when the configuration loads: start initiates, trap on traffic, none waits.", "tunnels.<t>.startAction"),
      }),
    ),
    routes: Type.Optional(TunnelRoutes),
    table: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 252, description: withDefault("Host routing table for this tunnel's routes.", "tunnels.<t>.table") }),
    ),
    rulePriority: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 32765, description: withDefault("Priority of the host's `ip rule … lookup <table>`.", "tunnels.<t>.rulePriority") }),
    ),
    monitor: Type.Optional(Monitor),
    bgp: Type.Optional(TunnelBgp),
  },
  Strict,
);

/**
 * `tunnels.<t>.overrides.<end>`: the tunnel settings src/intent/per-end.ts lists (the list the resolver merges
 * by, too), each taken from the tunnel's own schema above and optional, plus what only an end has (`address`).
 */
const EndOverride = Type.Object(
  {
    ...perEnd(TunnelSettings.properties, PER_END),
    address: Type.Optional(
      Ip(
        "This end's outside (IKE) address for this tunnel only, e.g. the second tunnel address a cloud VPN assigns. The other end connects to it.",
      ),
    ),
  },
  {
    ...Strict,
    description:
      "Settings that differ on one end (for a device you do not control). sitewire checks the two ends still agree.",
  },
);

export const Tunnel = Type.Object(
  {
    ...TunnelSettings.properties,
    overrides: Type.Optional(NamedMap(EndOverride, "Per-end settings, keyed by the end's host or peer name.")),
  },
  { ...Strict, description: "An IPsec tunnel between a host and a peer." },
);

// ---------------------------------------------------------------------------------------------------------
// Point-to-point links, forwarding flows, failover
// ---------------------------------------------------------------------------------------------------------

export const Link = Type.Object(
  {
    description: Type.Optional(Text("What this link is for.")),
    kind: Type.Literal("ipip", { description: "Encapsulation (ipip: IP in IP, protocol 4)." }),
    between: Type.Array(Name("A host name."), {
      minItems: 2,
      maxItems: 2,
      uniqueItems: true,
      description: "The two hosts. The first gets the first usable inside address, the second the next.",
    }),
    inside: Cidr("Inside network of the link, a /30 or /31."),
    device: Type.Optional(Device(withDefault("Device name on both hosts.", "links.<l>.device"))),
    mtu: Type.Optional(Type.Integer({ description: withDefault("Link MTU, 576..9000.", "links.<l>.mtu") })),
    ttl: Type.Optional(Type.Integer({ minimum: 1, maximum: 255, description: withDefault("Outer TTL.", "links.<l>.ttl") })),
  },
  { ...Strict, description: "A point-to-point tunnel between two hosts that share only L3 reachability." },
);

export const Flow = Type.Object(
  {
    description: Type.Optional(Text("What this flow is for.")),
    from: PrefixRefs(
      "Sources: host names (each gets a route to `to` via the gateway; the gateway sees the address it reaches it from), networks or CIDRs.",
    ),
    to: PrefixRefs("Destinations reachable through the gateway's `out` interface."),
    via: Name("The host that forwards the traffic."),
    out: Device("Interface on the gateway the traffic leaves by (e.g. tun0)."),
    nat: Type.Optional(
      Type.Union([Type.Literal("masquerade"), Type.Literal("none")], {
        description: withDefault("Source NAT on the gateway: masquerade hides sources behind the out interface's address; none forwards them unchanged.", "flows.<f>.nat"),
      }),
    ),
    ports: Type.Optional(Ports(withDefault("Narrow the forwarded traffic to these ports.", "flows.<f>.ports"))),
  },
  {
    ...Strict,
    description:
      "Traffic forwarded through a gateway host: routes on the sources, ip_forward, FORWARD and NAT rules and MSS clamping on the gateway.",
  },
);

export const FailoverPair = Type.Object(
  {
    description: Type.Optional(Text("What this pair protects.")),
    gateways: Type.Array(Name("A host name."), {
      minItems: 2,
      maxItems: 2,
      uniqueItems: true,
      description: "The two gateways that back each other up. Each needs cloud facts and an IPsec tunnel.",
    }),
    action: Type.Optional(
      Type.Union([Type.Literal("aws"), Type.Literal("command")], {
        description: withDefault("How routes move: aws (ec2 replace-route on the route tables) or command (your hook).", "failover.<pair>.action"),
      }),
    ),
    command: Type.Optional(
      Type.String({
        pattern: "^/[A-Za-z0-9_./-]{1,255}$",
        description: "Absolute path of the hook run as `<command> takeover|release <table-id> <destination-cidr> <target>` once per table and destination (action: command); exit 0 = done, anything else is retried next tick.",
      }),
    ),
    interval: Type.Optional(Duration(withDefault("Probe interval.", "failover.<pair>.interval"))),
    failures: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: withDefault("Consecutive failures before acting.", "failover.<pair>.failures") })),
    recoveries: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: withDefault("Consecutive successes before moving routes back.", "failover.<pair>.recoveries") }),
    ),
    restartPartner: Type.Optional(
      Type.Boolean({ description: withDefault("Stop/start the partner instance when it stops answering (action aws).", "failover.<pair>.restartPartner") }),
    ),
  },
  { ...Strict, description: "Two gateways in two zones that take over each other's routes (seed 004)." },
);

// ---------------------------------------------------------------------------------------------------------
// Cluster
// ---------------------------------------------------------------------------------------------------------

/**
 * The flags the ip-masq-agent DaemonSet runs with (kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent, flags
 * --masq-chain, --nomasq-all-reserved-ranges, --random-fully (#126), --to-ports (#162)). sitewire does not
 * deploy the DaemonSet (GKE and most distributions ship their own): these say how it runs, so the chain
 * preview and the ConfigMap's comments describe the chain it really builds.
 */
const MasqAgentFlags = Type.Object(
  {
    masqChain: Type.Optional(
      Type.String({
        pattern: patterns.IPTABLES_CHAIN_PATTERN,
        description: withDefault("--masq-chain: the nat chain the agent owns; at most 28 characters, not a built-in chain or target.", "cluster.masquerade.agent.masqChain"),
      }),
    ),
    nomasqAllReservedRanges: Type.Optional(
      Type.Boolean({
        description: withDefault(
          "--nomasq-all-reserved-ranges: with nonMasqueradeCIDRs omitted (agent-defaults), also keep the pod address towards every IPv4 range an RFC reserves (100.64/10, 192.0.0/24, 192.0.2/24, 192.88.99/24, 198.18/15, 198.51.100/24, 203.0.113/24, 240/4). A listed nonMasqueradeCIDRs replaces these ranges.",
          "cluster.masquerade.agent.nomasqAllReservedRanges",
        ),
      }),
    ),
    randomFully: Type.Optional(Type.Boolean({ description: withDefault("--random-fully: MASQUERADE picks source ports fully at random.", "cluster.masquerade.agent.randomFully") })),
    toPorts: Type.Optional(
      Type.String({
        pattern: patterns.PORT_RANGE_PATTERN,
        description: withDefault("--to-ports: TCP, UDP and SCTP are masqueraded to source ports in this range only, e.g. 32768-65535.", "cluster.masquerade.agent.toPorts"),
      }),
    ),
  },
  { ...Strict, description: "How the ip-masq-agent DaemonSet runs (its command-line flags); sitewire does not deploy it." },
);

const Masquerade = Type.Object(
  {
    nonMasqueradeCIDRs: Type.Union(
      [
        Type.Array(PrefixRef("A network name, a host name (its address as a /32), or an IPv4 address or CIDR."), {
          description:
            "Destinations pods reach with their own address. Everything else is masqueraded. An empty list [] masquerades everything but link-local (and link-local too with masqLinkLocal).",
          uniqueItems: true,
        }),
        Type.Literal("agent-defaults", {
          description: "Omit the key: the agent keeps its RFC 1918 defaults (10/8, 172.16/12, 192.168/16).",
        }),
      ],
      {
        description:
          "Destinations not masqueraded, or agent-defaults to keep the agent's RFC 1918 defaults explicitly (omitting the key in the ConfigMap does that).",
      },
    ),
    masqLinkLocal: Type.Optional(Type.Boolean({ description: withDefault("Masquerade traffic to 169.254.0.0/16 too.", "cluster.masquerade.masqLinkLocal") })),
    masqLinkLocalIPv6: Type.Optional(Type.Boolean({ description: withDefault("Masquerade traffic to fe80::/10 too.", "cluster.masquerade.masqLinkLocalIPv6") })),
    resyncInterval: Type.Optional(Duration(withDefault("How often the agent rereads its config.", "cluster.masquerade.resyncInterval"))),
    cidrLimit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1024, description: withDefault("Most CIDRs the agent accepts.", "cluster.masquerade.cidrLimit") }),
    ),
    agent: Type.Optional(MasqAgentFlags),
  },
  { ...Strict, description: "ip-masq-agent ConfigMap (seed 001)." },
);

const Isolation = Type.Object(
  {
    namespaces: Type.Array(K8sName("A namespace."), {
      minItems: 1,
      uniqueItems: true,
      description: "Namespaces whose pods accept ingress only from the same namespace (plus allowFrom).",
    }),
    allowFrom: Type.Optional(
      PrefixRefs(
        "Addresses admitted from outside the namespace: node or overlay-tunnel addresses (externalTrafficPolicy Cluster SNATs clients to them) and client CIDRs.",
      ),
    ),
    allowAll: Type.Optional(AllowAll("admitting 0.0.0.0/0 in allowFrom (ingress from every address)")),
    externalTrafficPolicy: Type.Optional(
      Type.Union([Type.Literal("Cluster"), Type.Literal("Local")], {
        description:
          "How exposed services are set up. Cluster: client addresses are replaced by node addresses, so allowFrom must list the nodes. Local: clients keep their address.",
      }),
    ),
  },
  { ...Strict, description: "Namespace isolation (seed 002)." },
);

const EgressRule = Type.Object(
  {
    to: PrefixRef("A network name, host name or CIDR the pods may reach."),
    except: Type.Optional(PrefixRefs("Parts of `to` that stay forbidden.")),
    ports: Type.Optional(Ports(withDefault("Ports allowed.", "cluster.egress[].allow[].ports"))),
    allowAll: Type.Optional(AllowAll("a destination of 0.0.0.0/0 (every address)")),
  },
  { ...Strict, description: "One allowed destination." },
);

const Egress = Type.Object(
  {
    namespace: K8sName("Namespace whose pods are restricted."),
    pods: Type.Optional(Labels(withDefault("Pod labels the allowlist applies to.", "cluster.egress[].pods"))),
    allow: Type.Array(EgressRule, { minItems: 1, description: "Allowed destinations. Everything else is denied." }),
    allowAll: Type.Optional(AllowAll("applying the allowlist to every pod of the namespace (no pod labels)")),
  },
  { ...Strict, description: "An egress allowlist: default-deny egress for the namespace plus these destinations and DNS." },
);

const Dns = Type.Object(
  {
    namespace: Type.Optional(K8sName(withDefault("Namespace of the cluster DNS.", "cluster.dns.namespace"))),
    pods: Type.Optional(Labels(withDefault("Labels of the DNS pods.", "cluster.dns.pods"))),
  },
  { ...Strict, description: "Where cluster DNS runs: egress allowlists always allow it on UDP and TCP 53." },
);

const OsmEgress = Type.Object(
  {
    name: Name("Policy name."),
    namespace: K8sName("Namespace of the policy and of its sources."),
    serviceAccounts: Type.Array(K8sName("A ServiceAccount name."), {
      minItems: 1,
      uniqueItems: true,
      description: "ServiceAccounts allowed to reach the destinations.",
    }),
    hosts: Type.Optional(
      Type.Array(
        Type.String({
          pattern: "^(?=.{1,253}$)(?:\\*\\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$",
          description: "An HTTP Host or TLS SNI name, e.g. httpbin.org.",
        }),
        { minItems: 1, uniqueItems: true, description: "Destination host names." },
      ),
    ),
    ipAddresses: Type.Optional(PrefixRefs("Destination addresses.")),
    ports: Type.Array(
      Type.String({
        pattern: "^(?:http|https|tcp|tcp-server-first)/[0-9]{1,5}$",
        description: "protocol/port: http/80, https/443, tcp/5432, tcp-server-first/3306.",
      }),
      { minItems: 1, uniqueItems: true, description: "Destination ports with protocol." },
    ),
  },
  { ...Strict, description: "An osm-edge Egress policy (seed 003)." },
);

const CiliumEgressGateway = Type.Object(
  {
    name: Name("Policy name."),
    namespaces: Type.Optional(
      Type.Array(K8sName("A namespace."), { minItems: 1, uniqueItems: true, description: withDefault("Source namespaces.", "cluster.cilium.egressGateways[].namespaces") }),
    ),
    pods: Type.Optional(Labels(withDefault("Source pod labels.", "cluster.cilium.egressGateways[].pods"))),
    to: PrefixRefs("Destinations whose traffic leaves through the gateway node."),
    except: Type.Optional(PrefixRefs("Destinations excluded from the policy.")),
    nodeSelector: Labels("Labels of the gateway node."),
    egressIP: Type.Optional(Ipv4("Source address on the gateway node (set this or interface, never both).")),
    interface: Type.Optional(Device("Interface on the gateway node whose first address is used.")),
    allowAll: Type.Optional(AllowAll("an empty nodeSelector (every node may be the gateway)")),
  },
  { ...Strict, description: "A CiliumEgressGatewayPolicy: pin pods' egress to a gateway node." },
);

const Cluster = Type.Object(
  {
    description: Type.Optional(Text("Which cluster this is.")),
    masquerade: Type.Optional(Masquerade),
    isolation: Type.Optional(Isolation),
    dns: Type.Optional(Dns),
    egress: Type.Optional(Type.Array(Egress, { description: "Egress allowlists per namespace (seed 002)." })),
    mesh: Type.Optional(
      Type.Object(
        {
          osmEdge: Type.Optional(
            Type.Object(
              { egress: Type.Array(OsmEgress, { minItems: 1, description: "Egress policies." }) },
              { ...Strict, description: "osm-edge egress policies (optional target)." },
            ),
          ),
        },
        { ...Strict, description: "Service-mesh egress policies." },
      ),
    ),
    cilium: Type.Optional(
      Type.Object(
        {
          egressGateways: Type.Array(CiliumEgressGateway, { minItems: 1, description: "Egress gateway policies." }),
        },
        { ...Strict, description: "Cilium egress gateway policies (optional target)." },
      ),
    ),
  },
  { ...Strict, description: "What the Kubernetes cluster needs: ip-masq-agent, NetworkPolicies, mesh/CNI egress." },
);

// ---------------------------------------------------------------------------------------------------------
// The site
// ---------------------------------------------------------------------------------------------------------

export const SiteIntent = Type.Object(
  {
    site: Name("Site name; must equal the file name (sites/<site>.yaml)."),
    description: Type.Optional(Text("What this site connects.")),
    strongswan: Type.Optional(
      Type.Object({ format: StrongswanFormat("strongswan.format") }, { ...Strict, description: "Default strongSwan settings for every host." }),
    ),
    networks: Type.Optional(
      NamedMap(Cidr("An IPv4 or IPv6 network, aligned (10.0.0.0/8, not 10.0.0.1/8; 2001:db8::/32)."), "Named networks, referenced by name everywhere else."),
    ),
    hosts: Type.Optional(NamedMap(Host, "Linux machines sitewire configures.")),
    peers: Type.Optional(NamedMap(Peer, "Far-side devices.")),
    tunnels: Type.Optional(NamedMap(Tunnel, "IPsec tunnels, each between a host and a peer.")),
    links: Type.Optional(NamedMap(Link, "Point-to-point ipip links between hosts.")),
    flows: Type.Optional(NamedMap(Flow, "Traffic forwarded (and usually masqueraded) through a gateway host.")),
    failover: Type.Optional(NamedMap(FailoverPair, "Gateway pairs that take over each other's routes.")),
    cluster: Type.Optional(Cluster),
  },
  {
    ...Strict,
    $id: "https://sitewire.dev/schema/site.schema.json",
    title: "sitewire site intent",
    description: "One site: its networks, Linux hosts, far-side peers, tunnels, links, flows and cluster policy.",
  },
);

export type SiteIntent = Static<typeof SiteIntent>;
export type HostIntent = Static<typeof Host>;
export type PeerIntent = Static<typeof Peer>;
export type TunnelIntent = Static<typeof Tunnel>;
export type LinkIntent = Static<typeof Link>;
export type FlowIntent = Static<typeof Flow>;
export type FailoverIntent = Static<typeof FailoverPair>;
export type SecretRefIntent = Static<typeof SecretRef>;
export type ClusterIntent = Static<typeof Cluster>;
export type EndOverrideIntent = Static<typeof EndOverride>;

/** The schema as plain JSON (TypeBox adds symbol keys; JSON.stringify drops them). */
export function siteSchemaJson(): string {
  return JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", ...SiteIntent }, null, 2) + "\n";
}
