/** The reader of each artifact kind: one table for the goldens check and the injection checks. */
import type { Structure } from "./reader.js";
import { fortiosStructure } from "./fortios.js";
import { frrStructure } from "./frr.js";
import { iosStructure } from "./ios.js";
import { iptablesStructure } from "./iptables-restore.js";
import { manifestStructure, terraformStructure } from "./json.js";
import { junosSetStructure } from "./junos-set.js";
import { markdownStructure } from "./markdown.js";
import { nftStructure } from "./nft.js";
import { panosSetStructure } from "./panos-set.js";
import { ipsecConfStructure, ipsecSecretsStructure } from "./strongswan-conf.js";
import { settingsStructure } from "./swanctl.js";
import { sysctlStructure } from "./sysctl.js";
import { unitStructure } from "./systemd-unit.js";

export type Reader = (content: string) => Structure;

/** Kinds read line by line by a reader of ours. */
export const LINE_READERS: Readonly<Record<string, Reader>> = {
  "strongswan-ipsec-conf": ipsecConfStructure,
  "strongswan-secrets": ipsecSecretsStructure,
  "strongswan-conf": settingsStructure,
  "swanctl-conf": settingsStructure,
  "systemd-unit": unitStructure,
  sysctl: sysctlStructure,
  "iptables-restore": iptablesStructure,
  "ip6tables-restore": iptablesStructure,
  "iptables-preview": iptablesStructure,
  nft: nftStructure,
  "cisco-ios": iosStructure,
  "junos-set": junosSetStructure,
  "fortios-cli": fortiosStructure,
  "panos-set": panosSetStructure,
  "frr-conf": frrStructure,
  readme: markdownStructure,
  manifest: manifestStructure,
  "terraform-json": terraformStructure,
};

// /etc/frr/daemons is read by /usr/lib/frr/frrcommon.sh with the shell's `.`.
export const SHELL_KINDS = new Set(["shell", "failover-config", "frr-daemons"]);
export const YAML_KINDS = new Set(["k8s-manifest", "kustomization", "ansible-playbook", "ansible-inventory"]);
