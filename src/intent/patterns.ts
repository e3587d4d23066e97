/**
 * The patterns of the intent schema that code outside the schema needs too: the shape check explains them,
 * error recovery and the emitters re-check names. A module of its own, free of TypeBox, so that the commands
 * do not load the schema builder (about 200 modules) for a few strings.
 */

/**
 * A name that is safe as a file name, strongSwan section, IOS name, Kubernetes label value and plain YAML
 * scalar: the YAML 1.1 words (yes, no, on, off, y, n, true, false, null) are excluded, because Ansible and
 * other YAML 1.1 readers would take them for booleans or null.
 */
export const NAME_PATTERN = "^(?!(?:y|n|yes|no|on|off|true|false|null)$)[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$";

const IPV4 = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}";
const PREFIX_LEN = "(?:3[0-2]|[12]?[0-9])";
/**
 * An IPv6 address in any of RFC 4291's text forms (RFC 5952's canonical one among them), without a zone
 * (`%eth0`) and without an embedded IPv4 part (`::ffff:10.0.0.1`): the forms a network intent needs. Only hex
 * digits and ':', so it can never add a word, a line or a quote to an artifact.
 */
const H = "[0-9A-Fa-f]{1,4}";
const IPV6 = `(?:(?:${H}:){7}${H}|(?:${H}:){1,7}:|(?:${H}:){1,6}:${H}|(?:${H}:){1,5}(?::${H}){1,2}|(?:${H}:){1,4}(?::${H}){1,3}|(?:${H}:){1,3}(?::${H}){1,4}|(?:${H}:){1,2}(?::${H}){1,5}|${H}:(?::${H}){1,6}|:(?:(?::${H}){1,7}|:))`;
const PREFIX_LEN6 = "(?:12[0-8]|1[01][0-9]|[1-9]?[0-9])";
const CIDR_ANY = `(?:${IPV4}/${PREFIX_LEN}|${IPV6}/${PREFIX_LEN6})`;
const ADDRESS_OPTIONAL_LENGTH = `(?:${IPV4}(?:/${PREFIX_LEN})?|${IPV6}(?:/${PREFIX_LEN6})?)`;

/** IPv4 only: BGP and OSPF router ids, Cilium's egress IP. */
export const IPV4_PATTERN = `^${IPV4}$`;
/** An IPv4 or IPv6 address. */
export const IP_PATTERN = `^(?:${IPV4}|${IPV6})$`;
/** An IPv6 address (a host's second-family address). */
export const IPV6_OPTIONAL_LENGTH_PATTERN = `^${IPV6}(?:/${PREFIX_LEN6})?$`;
/** An IPv4 or IPv6 network in CIDR form. */
export const CIDR_PATTERN = `^${CIDR_ANY}$`;
/** An IPv4 or IPv6 address with an optional prefix length (/32 or /128 without). */
export const IP_OPTIONAL_LENGTH_PATTERN = `^${ADDRESS_OPTIONAL_LENGTH}$`;

/** An IKE identity: an IPv4 or IPv6 address, a host name, or '@' and a name (strongSwan's FQDN form). */
export const IDENTITY_PATTERN = `^(?:[A-Za-z0-9.-]{1,253}|@[A-Za-z0-9.-]{1,253}|${IPV6})$`;

/** A reference to a set of addresses: a network name, a host name (its addresses), or a literal IPv4/IPv6 address or CIDR. */
export const REF_PATTERN = `^(?:(?!(?:y|n|yes|no|on|off|true|false|null)$)[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?|${ADDRESS_OPTIONAL_LENGTH})$`;

/**
 * A far-side device's interface name (`peers.<p>.interface`): letters, digits and `_ . / : -`, at most 32
 * characters, starting with a letter (ge-0/0/0.0, wan1, ethernet1/1.100). No space, quote, `#`, `;` or line
 * break, so it is one word in every device syntax; each platform checks its own, narrower form (SW208).
 */
export const DEVICE_INTERFACE_PATTERN = "^[A-Za-z][A-Za-z0-9_./:-]{0,31}$";

/** Linux interface name (IFNAMSIZ is 16 including the terminating NUL). */
export const DEVICE_PATTERN = "^[A-Za-z][A-Za-z0-9_.-]{0,14}$";

export const DURATION_PATTERN = "^[1-9][0-9]{0,8}(?:ms|s|m|h|d)$";

/**
 * strongSwan proposal: keywords joined by '-' (`enc-integ[-prf]-dh`, or one AEAD keyword alone in ESP); the
 * trailing '!' is added by sitewire. Keywords are lower-case letters, digits and '_' (`sha2_256`,
 * `sha1_160`: strongSwan's proposal_keywords_static.txt); which keywords exist is checked by SW114.
 */
export const PROPOSAL_PATTERN = "^[a-z0-9_]+(?:-[a-z0-9_]+)*$";

/**
 * Free text, one line: no C0 or C1 control characters (NEL, U+0085, ends a line for YAML 1.1 readers), no
 * Unicode line or paragraph separators, and no secret placeholder. Rendered only inside comments, always
 * through the quoting helper of the output syntax.
 */
export const TEXT_PATTERN = "^(?!.*@@sitewire-secret)[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$";

export const PORT_PATTERN = "^(?:tcp|udp|sctp)/[0-9]{1,5}(?:-[0-9]{1,5})?$";

/** A Kubernetes namespace or ServiceAccount name (DNS-1123 label). */
export const K8S_NAME_PATTERN = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$";

export const ENV_NAME_PATTERN = "^[A-Z_][A-Z0-9_]{0,127}$";
export const SECRET_FILE_PATTERN = "^(?!.*(?:^|/)\\.\\.(?:/|$))[A-Za-z0-9_./+-]{1,255}$";

/**
 * An iptables chain name for ip-masq-agent's --masq-chain: at most 28 characters (XT_EXTENSION_MAXNAMELEN
 * less the NUL; the agent's own note in cmd/ip-masq-agent/ip-masq-agent.go), never a built-in chain or target.
 */
export const IPTABLES_CHAIN_PATTERN =
  "^(?!(?:PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING|ACCEPT|DROP|REJECT|RETURN|QUEUE|MASQUERADE|SNAT|DNAT|REDIRECT)$)[A-Za-z][A-Za-z0-9_-]{0,27}$";

/** One port or one port range `first-last` (bounds are checked by the meaning rules). */
export const PORT_RANGE_PATTERN = "^[0-9]{1,5}(?:-[0-9]{1,5})?$";

/** A cloud region: eu-west-1 (AWS), westeurope (Azure), europe-west1 (Google Cloud). */
export const CLOUD_REGION_PATTERN = "^[a-z]{2,12}(?:-[a-z0-9]+){0,4}$";

/** An existing cloud gateway's id: tgw-…/vgw-… (AWS), a resource id or name (Azure, Google Cloud). */
export const CLOUD_GATEWAY_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$";
