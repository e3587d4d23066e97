/**
 * The view behind templates/iptables/rules.v4.hbs: a host's nat, filter and mangle rules, each written the way
 * iptables-save prints it (options in the order -s -d -i -o -p, then matches, then the target), so that the
 * loaded ruleset saves back to the same lines.
 */
import type { HostModel, Os, Prefix, SiteModel } from "../../model/types.js";
import { cidr, device, integer } from "../linux/safe.js";
import { portMatches } from "./ports.js";

export interface RuleView {
  /** Everything between the chain and `-m comment`. */
  readonly match: string;
  /** Free text for `--comment` (quoted by the template's {{ipt}}). */
  readonly origin: string;
}

export interface MssRuleView extends RuleView {
  /** TCPMSS options: `--set-mss N` or `--clamp-mss-to-pmtu`. */
  readonly clamp: string;
}

export interface RulesView {
  readonly source: string;
  readonly host: string;
  readonly description: string | null;
  readonly path: string;
  readonly loader: string;
  readonly nat: readonly RuleView[];
  readonly forward: readonly RuleView[];
  readonly mss: readonly MssRuleView[];
}

/** What loads the file at boot, per OS family (iptables-persistent on Debian, iptables-services on RHEL). */
const LOADER: Readonly<Record<Os, string>> = {
  debian: "netfilter-persistent.service (package iptables-persistent)",
  rhel: "iptables.service (package iptables-services; firewalld must be disabled)",
};

/** `-s 10.0.0.0/8`; nothing for 0.0.0.0/0, which iptables-save leaves out. */
function address(flag: "-s" | "-d", prefix: Prefix | undefined): string[] {
  return prefix && prefix.length > 0 ? [flag, cidr(prefix)] : [];
}

function iface(flag: "-i" | "-o", name: string | undefined): string[] {
  return name === undefined ? [] : [flag, device(name)];
}

function natRules(host: HostModel): RuleView[] {
  return host.nat.map((n) => ({
    match: [...address("-s", n.source), ...address("-d", n.destination), ...iface("-o", n.outInterface)].join(" "),
    origin: n.origin,
  }));
}

function forwardRules(host: HostModel): RuleView[] {
  return host.forward.flatMap((f) => {
    const head = [...address("-s", f.source), ...address("-d", f.destination), ...iface("-i", f.inInterface), ...iface("-o", f.outInterface)];
    return portMatches(f.ports).map((ports) => ({ match: [...head, ports].filter(Boolean).join(" "), origin: f.origin }));
  });
}

/** Why a device is clamped, for the rule comment: the tunnel whose vti it is, or the flows leaving by it. */
function clampOrigin(site: SiteModel, host: HostModel, dev: string): string {
  const vti = host.vtis.find((v) => v.device === dev);
  if (vti) return `tunnel ${vti.tunnel}`;
  const flows = site.flows.filter((f) => f.via === host.name && f.out === dev).map((f) => `flow ${f.name}`);
  return flows.length > 0 ? flows.join(", ") : `mss ${dev}`;
}

/**
 * Both directions: `-o` clamps the SYNs that leave into the tunnel, `-i` the SYN-ACKs that come out of it, so
 * hosts on both sides send segments that fit. With --clamp-mss-to-pmtu the kernel takes the smaller of the
 * forward and reverse path MTU (net/netfilter/xt_TCPMSS.c, tcpmss_reverse_mtu), so `-i` works there too.
 */
function mssRules(site: SiteModel, host: HostModel): MssRuleView[] {
  return host.mssClamp.flatMap((c) => {
    const clamp = c.mss === undefined ? "--clamp-mss-to-pmtu" : `--set-mss ${integer(c.mss, 1, 65535)}`;
    const origin = clampOrigin(site, host, c.device);
    return (["-o", "-i"] as const).map((flag) => ({
      match: `${iface(flag, c.device).join(" ")} -p tcp -m tcp --tcp-flags SYN,RST SYN`,
      origin,
      clamp,
    }));
  });
}

export function needsRules(host: HostModel): boolean {
  return host.nat.length + host.forward.length + host.mssClamp.length > 0;
}

export function rulesView(site: SiteModel, host: HostModel, path: string): RulesView {
  return {
    source: site.source.file,
    host: host.name,
    description: host.description ?? null,
    path,
    loader: LOADER[host.os],
    nat: natRules(host),
    forward: forwardRules(host),
    mss: mssRules(site, host),
  };
}
