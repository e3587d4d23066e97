/**
 * Reference resolution: turns the names used across an intent (network, host, link) into prefixes and
 * addresses, reporting unknown or ambiguous names at the place they are used.
 */
import type { SiteIntent } from "../intent/schema.js";
import type { IntentPath } from "../intent/source.js";
import { hostPrefix, isIp, parseCidr, parseIfAddress } from "../net/ip.js";
import { Reporter, suggest } from "./report.js";
import type { IfAddress, Prefix } from "./types.js";

export class NameTable {
  readonly networks = new Map<string, Prefix>();
  readonly hostAddresses = new Map<string, IfAddress>();
  /** Every address of each host (dual stack: hosts.<h>.address6 too). */
  readonly hostAllAddresses = new Map<string, IfAddress[]>();

  constructor(
    readonly intent: SiteIntent,
    private readonly reporter: Reporter,
  ) {
    for (const [name, cidr] of Object.entries(intent.networks ?? {})) {
      const { prefix, aligned } = parseCidr(cidr, name);
      if (!aligned) reportUnaligned(reporter, ["networks", name], cidr, prefix);
      this.networks.set(name, prefix);
    }
    for (const [name, host] of Object.entries(intent.hosts ?? {})) {
      this.hostAddresses.set(name, parseIfAddress(host.address));
      this.hostAllAddresses.set(name, [parseIfAddress(host.address), ...(host.address6 !== undefined ? [parseIfAddress(host.address6)] : [])]);
      if (this.networks.has(name))
        reporter.report("SW103", ["hosts", name], `'${name}' is both a network and a host`, {
          at: "key",
          hint: "references by name would be ambiguous: rename one of them",
        });
    }
  }

  isHost(name: string): boolean {
    return Object.hasOwn(this.intent.hosts ?? {}, name);
  }

  isPeer(name: string): boolean {
    return Object.hasOwn(this.intent.peers ?? {}, name);
  }

  isLink(name: string): boolean {
    return Object.hasOwn(this.intent.links ?? {}, name);
  }

  /**
   * A prefix reference: a literal address or CIDR, a network name, or a host name (its address as a /32).
   * Returns undefined (after reporting) when it cannot be resolved.
   */
  prefix(ref: string, path: IntentPath): Prefix | undefined {
    // Names start with a letter and have no ':'; IPv4 literals start with a digit, IPv6 ones have a ':'.
    if (/^\d/.test(ref) || ref.includes(":")) {
      const [addr = ""] = ref.split("/");
      const text = ref.includes("/") ? ref : `${ref}/${ref.includes(":") ? 128 : 32}`;
      if (!isIp(addr)) {
        this.reporter.report("SW014", path, `'${ref}' is not an IPv4 or IPv6 address or CIDR`);
        return undefined;
      }
      const { prefix, aligned } = parseCidr(text);
      if (!aligned) reportUnaligned(this.reporter, path, ref, prefix);
      return prefix;
    }
    const network = this.networks.get(ref);
    if (network) return network;
    const host = this.hostAddresses.get(ref);
    if (host) return hostPrefix(host.address, ref);
    const candidates = [...this.networks.keys(), ...this.hostAddresses.keys()];
    const near = suggest(ref, candidates);
    this.reporter.report("SW102", path, `unknown network or host '${ref}'`, {
      hint: near ? `did you mean '${near}'?` : candidates.length ? `known names: ${candidates.sort().join(", ")}` : "define it under networks:",
      ...(near ? { fix: near } : {}),
    });
    return undefined;
  }

  /** Prefix references; a dual-stack host's name stands for both its addresses. */
  prefixes(refs: readonly string[] | undefined, path: IntentPath): Prefix[] {
    const out: Prefix[] = [];
    (refs ?? []).forEach((ref, i) => {
      const p = this.prefix(ref, [...path, i]);
      if (p) out.push(p);
      const all = this.networks.has(ref) ? undefined : this.hostAllAddresses.get(ref);
      for (const extra of all?.slice(1) ?? []) out.push(hostPrefix(extra.address, ref));
    });
    return out;
  }

  /** A name that must be one of `kinds`; reports SW102/SW115 otherwise. */
  expect(name: string, kinds: readonly ("host" | "peer" | "link")[], path: IntentPath, what: string): boolean {
    const is = { host: this.isHost(name), peer: this.isPeer(name), link: this.isLink(name) };
    if (kinds.some((k) => is[k])) return true;
    const actual = (Object.keys(is) as (keyof typeof is)[]).find((k) => is[k]);
    if (actual) {
      this.reporter.report("SW115", path, `'${name}' is a ${actual}, but ${what} must be a ${kinds.join(" or ")}`);
      return false;
    }
    const pool = kinds.flatMap((k) => Object.keys((k === "host" ? this.intent.hosts : k === "peer" ? this.intent.peers : this.intent.links) ?? {}));
    const near = suggest(name, pool);
    this.reporter.report("SW102", path, `unknown ${kinds.join(" or ")} '${name}'`, {
      hint: near ? `did you mean '${near}'?` : pool.length ? `known: ${pool.sort().join(", ")}` : undefined,
      ...(near ? { fix: near } : {}),
    });
    return false;
  }
}

export function reportUnaligned(reporter: Reporter, path: IntentPath, text: string, prefix: Prefix): void {
  reporter.report("SW101", path, `'${text}' is not a network address: host bits are set`, {
    hint: `the network is ${prefix.cidr}`,
    fix: prefix.cidr,
  });
}
