/**
 * Where each host file lands on the target filesystem, per OS family. out/<site>/hosts/<host>/ mirrors `/`,
 * so a deploy tool copies the tree as is. Sources: Debian strongswan-starter / strongswan-swanctl /
 * iptables-persistent packages; RHEL/CentOS EPEL strongswan (/etc/strongswan/…) and iptables-services.
 */
import type { Os } from "../model/types.js";

export interface HostPaths {
  readonly ipsecConf: string;
  readonly ipsecSecrets: string;
  readonly swanctlConf: string;
  readonly charonConf: string;
  /** sitewire's own iptables chains (`iptables-restore --noflush`), the script that loads them, its unit. */
  readonly iptablesRules: string;
  /** The IPv6 rules of the same chains (`ip6tables-restore --noflush`), loaded by the same script; hosts with IPv6 rules only. */
  readonly ip6tablesRules: string;
  readonly firewallScript: string;
  readonly firewallUnit: string;
  /** sitewire's own nftables table (`nft -f`, hosts whose firewall backend is nftables) and the unit that loads it. */
  readonly nftRules: string;
  readonly nftUnit: string;
  /**
   * Where sitewire before its own chains wrote a whole-table iptables file (the OS family's persistence path,
   * which netfilter-persistent / iptables-services load at boot). Nothing is emitted there any more; the
   * playbook removes the file when it is sitewire's (its first line is sitewire's header).
   */
  readonly legacyIptablesRules: string;
  readonly sysctl: string;
  readonly tunnelScript: string;
  readonly tunnelUnit: string;
  readonly failoverScript: string;
  readonly failoverConf: string;
  readonly failoverUnit: string;
  /** systemd unit names of strongSwan on this OS (the tunnel unit orders itself before them). */
  readonly strongswanUnits: readonly string[];
  /**
   * FRRouting (BGP hosts): the integrated config and the daemons list. Same paths on Debian and in FRR's RPMs
   * (Debian 12 frr 8.4 package contents; FRRouting/frr redhat/frr.spec.in installs the same /etc/frr files).
   */
  readonly frrConf: string;
  readonly frrDaemons: string;
  /** systemd unit of FRRouting (frr.service on both families; the tunnel unit orders itself before it). */
  readonly frrUnits: readonly string[];
}

const COMMON = {
  sysctl: "etc/sysctl.d/90-sitewire.conf",
  tunnelScript: "usr/local/sbin/sitewire-tunnels",
  tunnelUnit: "etc/systemd/system/sitewire-tunnels.service",
  failoverScript: "usr/local/sbin/sitewire-failover",
  failoverConf: "etc/sitewire/failover.conf",
  failoverUnit: "etc/systemd/system/sitewire-failover.service",
  // Not the persistence path of iptables-persistent / iptables-services: those load whole tables at boot and
  // would flush every other program's rules. sitewire's file holds its own chains only, and its own unit loads it.
  iptablesRules: "etc/sitewire/iptables.rules",
  ip6tablesRules: "etc/sitewire/ip6tables.rules",
  firewallScript: "usr/local/sbin/sitewire-firewall",
  firewallUnit: "etc/systemd/system/sitewire-firewall.service",
  // Not /etc/nftables.conf (Debian) or /etc/sysconfig/nftables.conf (RHEL): nftables.service loads those with
  // `flush ruleset` first. sitewire's file holds its own table only, and its own unit loads it.
  nftRules: "etc/sitewire/firewall.nft",
  nftUnit: "etc/systemd/system/sitewire-nftables.service",
  frrConf: "etc/frr/frr.conf",
  frrDaemons: "etc/frr/daemons",
  frrUnits: ["frr.service"],
};

export const HOST_PATHS: Readonly<Record<Os, HostPaths>> = {
  debian: {
    ...COMMON,
    ipsecConf: "etc/ipsec.conf",
    ipsecSecrets: "etc/ipsec.secrets",
    swanctlConf: "etc/swanctl/conf.d/sitewire.conf",
    charonConf: "etc/strongswan.d/sitewire.conf",
    legacyIptablesRules: "etc/iptables/rules.v4",
    strongswanUnits: ["strongswan-starter.service", "strongswan.service"],
  },
  rhel: {
    ...COMMON,
    ipsecConf: "etc/strongswan/ipsec.conf",
    ipsecSecrets: "etc/strongswan/ipsec.secrets",
    swanctlConf: "etc/strongswan/swanctl/conf.d/sitewire.conf",
    charonConf: "etc/strongswan/strongswan.d/sitewire.conf",
    legacyIptablesRules: "etc/sysconfig/iptables",
    strongswanUnits: ["strongswan.service", "strongswan-swanctl.service"],
  },
};

/** Path of a host file inside out/<site>/. */
export function hostFile(host: string, path: string): string {
  return `hosts/${host}/${path}`;
}
