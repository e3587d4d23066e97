/**
 * Artifact kinds, from the targets that declare them (Target.kinds), and the names of what applies a file of a
 * kind: the Ansible playbook's handler groups on a host, or the tool that applies it elsewhere. Neutral ground:
 * the summary (site README) and the Ansible target both read this and the declarations the pipeline hands them
 * (EmitContext.kinds), never each other. Nothing here lists a kind: every kind is declared by the target that
 * emits it (and the manifest's by src/compile/kinds.ts).
 */
import { HOST_PATHS } from "./host-paths.js";
import type { KindDeclaration, KindDeclarations, KindTable } from "./target.js";

/**
 * The playbook's handler groups: what has to happen on a host when a file of the group changes, and how the
 * site README says it ("applied by"). The playbook lists the kinds of each group (`sw_<group>_kinds`).
 */
export const HANDLER_GROUPS = {
  strongswan: "strongSwan reload",
  // The tunnel unit's reload runs the tunnel script's `up`, which applies the sysctl drop-in's settings live.
  sysctl: "sitewire-tunnels reload",
  iptables: "sitewire-firewall reload",
  // sitewire's nftables table: `nft -f` replaces it in one transaction (the unit's reload).
  nftables: "sitewire-nftables reload",
  units: "unit restart",
  // FRRouting: frr.conf is re-read by `systemctl reload frr` (frr-reload.py applies the difference, sessions
  // stay up); the daemons list is read only when the service starts, so a change there restarts it.
  frr: "frr reload",
  frrDaemons: "frr restart",
} as const;

export type HandlerGroup = keyof typeof HANDLER_GROUPS;

/** How a device's files are applied: sitewire never logs into a device. */
export const BY_HAND = "by hand / your change process";

/**
 * sitewire's iptables chains (IPv4 and, on hosts with IPv6 rules, IPv6): files installed together and applied by
 * reloading their unit (same on every OS).
 */
export const FIREWALL_FILES: readonly string[] = [HOST_PATHS.debian.iptablesRules, HOST_PATHS.debian.ip6tablesRules, HOST_PATHS.debian.firewallScript, HOST_PATHS.debian.firewallUnit];

/** sitewire's nftables table: the rules file and its unit, applied by reloading the unit (same on every OS). */
export const NFT_FILES: readonly string[] = [HOST_PATHS.debian.nftRules, HOST_PATHS.debian.nftUnit];

/** The tunnel script and its unit: applied by reloading the unit (its `up` reconciles; same on every OS). */
export const TUNNEL_FILES: readonly string[] = [HOST_PATHS.debian.tunnelScript, HOST_PATHS.debian.tunnelUnit];

/**
 * The handler that applies a host file (path relative to the host's `/`) when it changes: its kind's group, except
 * for sitewire's firewall files, iptables or nftables (one reload of their unit, whatever their kind) and the tunnel script and unit
 * (reloaded, never restarted), which the playbook singles out by path.
 */
export function hostFileHandler(hostPath: string, kind: KindDeclaration): HandlerGroup | "none" {
  if (FIREWALL_FILES.includes(hostPath)) return "iptables";
  if (NFT_FILES.includes(hostPath)) return "nftables";
  if (TUNNEL_FILES.includes(hostPath)) return "sysctl";
  return kind.handler;
}

/**
 * Kinds several host targets emit (the tunnel, firewall and failover scripts and their systemd units): each of
 * them declares these (`kinds: { ...HOST_UNIT_KINDS, … }`), so that the declarations agree.
 */
export const HOST_UNIT_KINDS = {
  shell: { text: "script", handler: "units", mode: 0o755 },
  "systemd-unit": { text: "systemd unit", handler: "units", mode: 0o644 },
} as const satisfies KindDeclarations;

/** A kind name as the manifest carries it. */
const KIND_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** One printable line (a README table cell escapes markup, but must never receive a line break). */
const ONE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/;

function problemOf(kind: string, d: KindDeclaration): string | undefined {
  if (!KIND_NAME.test(kind)) return "is not a kind name ([a-z0-9-])";
  if (typeof d.text !== "string" || !ONE_LINE.test(d.text) || d.text.trim() !== d.text) return "has no one-line text";
  if (d.handler !== "none" && !Object.hasOwn(HANDLER_GROUPS, d.handler)) return `names no handler group (${String(d.handler)})`;
  if (!Number.isInteger(d.mode) || d.mode < 0 || d.mode > 0o777) return `has no file mode (${String(d.mode)})`;
  if (d.appliedBy !== undefined && (typeof d.appliedBy !== "string" || !ONE_LINE.test(d.appliedBy))) return "has an appliedBy that is not one line";
  return undefined;
}

function same(a: KindDeclaration, b: KindDeclaration): boolean {
  return a.text === b.text && a.handler === b.handler && a.mode === b.mode && a.appliedBy === b.appliedBy;
}

/**
 * Every kind the given declarers (targets, and the pipeline's own manifest) declare, in their order then in
 * declaration order (so the playbook's kind lists read in registry order). A kind several targets emit (a
 * script, a systemd unit) must be declared alike by each; a malformed or disagreeing declaration is an internal
 * error.
 */
export function kindTable(declarers: readonly { readonly name: string; readonly kinds: KindDeclarations }[]): KindTable {
  const table = new Map<string, KindDeclaration>();
  const by = new Map<string, string>();
  for (const { name, kinds } of declarers) {
    for (const [kind, declaration] of Object.entries(kinds)) {
      const problem = problemOf(kind, declaration);
      if (problem) throw new Error(`internal: ${name} declares kind ${JSON.stringify(kind)}, which ${problem}`);
      const earlier = table.get(kind);
      if (earlier && !same(earlier, declaration)) throw new Error(`internal: ${by.get(kind)} and ${name} declare kind ${kind} differently`);
      if (!earlier) {
        table.set(kind, Object.freeze({ ...declaration }));
        by.set(kind, name);
      }
    }
  }
  return table;
}

/** The declaration of `kind`; a kind nobody declared is an internal error (the pipeline refuses such artifacts). */
export function declared(table: KindTable, kind: string): KindDeclaration {
  const d = table.get(kind);
  if (!d) throw new Error(`internal: artifact kind ${JSON.stringify(kind)} is declared by no target`);
  return d;
}

/** The kinds of each handler group, as the playbook lists them. */
export function handlerGroups(table: KindTable): Record<HandlerGroup, string[]> {
  const groups = Object.fromEntries(Object.keys(HANDLER_GROUPS).map((g) => [g, [] as string[]])) as Record<HandlerGroup, string[]>;
  for (const [kind, d] of table) if (d.handler !== "none") groups[d.handler].push(kind);
  return groups;
}
