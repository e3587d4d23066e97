/**
 * The one list of targets. Adding a target: create src/targets/<name>/ (and templates/<name>/ if it uses
 * templates), then add one line here. Order does not matter: the pipeline sorts artifacts by path and
 * refuses two targets claiming the same path.
 */
import type { Target } from "./target.js";
import { ansibleTarget } from "./ansible/index.js";
import { cloudTarget } from "./cloud/index.js";
import { clusterTarget } from "./cluster/index.js";
import { failoverTarget } from "./failover/index.js";
import { DEVICES, deviceTarget } from "./devices.js";
import { frrTarget } from "./frr/index.js";
import { iptablesTarget } from "./iptables/index.js";
import { linuxTarget } from "./linux/index.js";
import { nftablesTarget } from "./nftables/index.js";
import { strongswanTarget } from "./strongswan/index.js";
import { summaryTarget } from "./summary/index.js";

export const TARGETS: readonly Target[] = [
  strongswanTarget,
  linuxTarget,
  iptablesTarget,
  nftablesTarget,
  failoverTarget,
  frrTarget,
  ...DEVICES.map(deviceTarget),
  clusterTarget,
  cloudTarget,
  summaryTarget,
  ansibleTarget,
];
