/**
 * Ansible glue per site: `ansible/inventory.yml` (every host of the intent, at its address, with its OS family
 * and strongSwan service) and `ansible/playbook.yml`, which installs each host's tree from ../hosts/<host>/
 * as ../manifest.json lists it. Reading the manifest at run time keeps the playbook right whatever other
 * targets emit for a host; what is per site or per OS is decided here, from the model. Which handler applies a
 * kind is the emitting target's declaration (Target.kinds), handed over by the pipeline (EmitContext.kinds).
 */
import type { HostModel, SiteModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS } from "../host-paths.js";
import { FIREWALL_FILES, handlerGroups, NFT_FILES } from "../kinds.js";
import type { Artifact, EmitContext, Target } from "../target.js";

export const PLAYBOOK_PATH = "ansible/playbook.yml";
export const INVENTORY_PATH = "ansible/inventory.yml";

/**
 * Where the playbook records, on each host, the files it installed there (JSON: `{"comment", "site", "files"}`),
 * so that its next run removes those the manifest no longer lists, and nothing else.
 */
export const FILES_RECORD = "var/lib/sitewire/files.json";

/**
 * Every path sitewire can install on a host, on any OS family: a path the record lists is removed only if it
 * is one of these, so an edited record cannot make the playbook delete anything sitewire never writes.
 */
export const KNOWN_HOST_PATHS: readonly string[] = [
  ...new Set(
    Object.values(HOST_PATHS).flatMap((paths) =>
      Object.entries(paths)
        // The OS family's own iptables persistence file is never installed any more (the playbook removes an
        // old sitewire-generated one by its header instead): it is no file of the record.
        .filter(([key]) => key !== "legacyIptablesRules")
        // /etc/frr/daemons is the frr package's own file (a conffile the service needs to start): when BGP leaves
        // the intent it stays as it is (bgpd on, with nothing configured), it is never removed.
        .filter(([key]) => key !== "frrDaemons")
        .flatMap(([, v]) => (typeof v === "string" ? [v] : [])),
    ),
  ),
].sort();

/** strongSwan's files among them: removing one reloads strongSwan, which unloads what it configured. */
const STRONGSWAN_HOST_PATHS: readonly string[] = [
  ...new Set(Object.values(HOST_PATHS).flatMap((p) => [p.ipsecConf, p.ipsecSecrets, p.swanctlConf, p.charonConf])),
].sort();

/** FRRouting's config: removing it (BGP left the intent) restarts frr, which then runs with no BGP. */
const FRR_HOST_PATHS: readonly string[] = [...new Set(Object.values(HOST_PATHS).map((p) => p.frrConf))].sort();

/** Ansible's `ansible_facts.os_family` for each OS family of the intent. */
const ANSIBLE_OS_FAMILY = { debian: "Debian", rhel: "RedHat" } as const;

/**
 * The command that rereads ipsec.secrets for the stroke daemon: Fedora/EPEL rename the `ipsec` script to
 * `strongswan` (Fedora strongswan.spec, --with-ipsec-script=strongswan).
 */
const IPSEC_COMMAND = { debian: "ipsec", rhel: "strongswan" } as const;

export const ansibleTarget: Target = {
  name: "ansible",
  description: "Ansible inventory and playbook per site (installs each host's tree, reloads what changed)",
  kinds: {
    "ansible-playbook": { text: "Ansible playbook", handler: "none", mode: 0o644 },
    "ansible-inventory": { text: "Ansible inventory", handler: "none", mode: 0o644 },
  },
  emit(site: SiteModel, emitContext?: EmitContext): Artifact[] {
    if (site.hosts.length === 0) return [];
    // The playbook's kind lists: every kind the compile's targets declare, by the handler group that applies it.
    if (!emitContext) throw new Error("internal: the ansible target needs the declared artifact kinds (EmitContext)");
    const context = { source: site.source.file, site: site.name, group: inventoryGroup(site.name) };
    const paths = HOST_PATHS.debian; // unit names are the same on every OS family
    const unitName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
    return [
      { path: INVENTORY_PATH, content: render("ansible", "inventory.yml", { ...context, hosts: site.hosts.map(hostView) }), mode: 0o644, kind: "ansible-inventory" },
      {
        path: PLAYBOOK_PATH,
        content: render("ansible", "playbook.yml", {
          ...context,
          kinds: handlerGroups(emitContext.kinds),
          unitsBefore: [unitName(paths.tunnelUnit)],
          unitsAfter: [unitName(paths.failoverUnit)],
          tunnelUnit: unitName(paths.tunnelUnit),
          record: { path: FILES_RECORD, known: KNOWN_HOST_PATHS, strongswan: STRONGSWAN_HOST_PATHS, frr: FRR_HOST_PATHS },
          frrUnit: paths.frrUnits[0],
          // sitewire's iptables chains: installed together, reloaded in place (never restarted), enabled first.
          firewall: {
            files: FIREWALL_FILES,
            unit: unitName(paths.firewallUnit),
            legacy: { debian: HOST_PATHS.debian.legacyIptablesRules, rhel: HOST_PATHS.rhel.legacyIptablesRules },
          },
          // sitewire's nftables table: installed together (the file checked by `nft -c` on the host), reloaded in place.
          nftables: { files: NFT_FILES, unit: unitName(paths.nftUnit) },
          ...secretsView(site),
        }),
        mode: 0o644,
        kind: "ansible-playbook",
      },
    ];
  },
};

/** Ansible group names take letters, digits and underscores only. */
export function inventoryGroup(site: string): string {
  return `sitewire_${site.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

function hostView(host: HostModel) {
  const [stroke, swanctl] = HOST_PATHS[host.os].strongswanUnits;
  return {
    name: host.name,
    ...(host.description ? { description: host.description } : {}),
    address: host.address.address,
    os: host.os,
    osFamily: ANSIBLE_OS_FAMILY[host.os],
    strongswan:
      host.tunnels.length === 0
        ? undefined
        : {
            format: host.strongswanFormat,
            // With both formats emitted, the current one (vici/swanctl) runs; one charon per host.
            daemon: host.strongswanFormat === "ipsec-conf" ? "stroke" : "swanctl",
            stroke,
            swanctl,
            ipsecCommand: IPSEC_COMMAND[host.os],
          },
  };
}

/** The secret references the hosts' files carry (what `sitewire secrets` will ask for), and a Vault example. */
function secretsView(site: SiteModel) {
  const byReference = new Map<string, string[]>();
  for (const t of site.tunnels) {
    const reference = `${t.host.psk.kind}:${t.host.psk.ref}`;
    byReference.set(reference, [...(byReference.get(reference) ?? []), `tunnel ${t.name}`]);
  }
  const secrets = [...byReference].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([reference, tunnels]) => ({ reference, tunnels: tunnels.join(", ") }));
  const env = site.tunnels.map((t) => t.host.psk).find((p) => p.kind === "env")?.ref ?? "SITE_VPN_PSK";
  return { secrets, example: { env, vault: `vault_${env.toLowerCase().replace(/[^a-z0-9_]/g, "_")}` } };
}
