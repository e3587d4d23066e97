/**
 * What the failover templates need for one host, computed from its resolved failover facts: every value is
 * an id, address, CIDR, name or number that passed the schema; the templates still quote each one with
 * `{{sh}}` (config) so no value can add a line.
 */
import type { HostFailover, HostModel, SiteModel } from "../../model/types.js";
import { HOST_PATHS } from "../host-paths.js";

export interface FailoverView {
  readonly source: string;
  readonly host: string;
  readonly pair: string;
  readonly description: string | null;
  readonly partner: string;
  readonly partnerAddress: string;
  readonly partnerInstanceId: string;
  readonly tunnel: string;
  /** Route-based device (vti or XFRM interface) the tunnel probe is sent through; empty when the tunnel has none. */
  readonly tunnelDevice: string;
  readonly tunnelProbe: string;
  readonly ownRouteTables: readonly string[];
  readonly partnerRouteTables: readonly string[];
  readonly destinations: readonly string[];
  readonly selfTarget: string;
  readonly partnerTarget: string;
  readonly action: HostFailover["action"];
  readonly command: string;
  readonly region: string;
  /** Seconds, possibly fractional ("500ms" → 0.5): GNU sleep takes decimals. */
  readonly interval: number;
  readonly failures: number;
  readonly recoveries: number;
  readonly restartPartner: "yes" | "no";
  /** Absolute paths on the host. */
  readonly scriptPath: string;
  readonly configPath: string;
  /** Units the monitor starts after: the tunnel unit and strongSwan's. */
  readonly tunnelUnit: string;
  readonly after: readonly string[];
}

/**
 * Where a route points when a gateway carries it: its network interface (what seed 004's route tables use),
 * else its instance. For a command hook without cloud facts, the gateway's private address.
 */
function routeTarget(t: HostFailover["target"], fallback: string): string {
  return t.eni ?? t.instanceId ?? fallback;
}

export function failoverView(site: SiteModel, host: HostModel, f: HostFailover): FailoverView {
  const paths = HOST_PATHS[host.os];
  const tunnelUnit = paths.tunnelUnit.slice(paths.tunnelUnit.lastIndexOf("/") + 1);
  return {
    source: site.source.file,
    host: host.name,
    pair: f.pair,
    description: site.failover.find((p) => p.name === f.pair)?.description ?? null,
    partner: f.partner,
    partnerAddress: f.partnerAddress,
    partnerInstanceId: f.partnerInstanceId ?? "",
    tunnel: f.tunnel,
    tunnelDevice: f.tunnelDevice,
    tunnelProbe: f.tunnelProbe,
    ownRouteTables: f.ownRouteTables,
    partnerRouteTables: f.partnerRouteTables,
    destinations: f.destinations.map((d) => d.cidr),
    selfTarget: routeTarget(f.target, host.address.address),
    partnerTarget: routeTarget(f.partnerTarget, f.partnerAddress),
    action: f.action,
    command: f.command ?? "",
    region: f.region ?? "",
    interval: Number(f.interval.seconds.toFixed(3)),
    failures: f.failures,
    recoveries: f.recoveries,
    restartPartner: f.restartPartner ? "yes" : "no",
    scriptPath: `/${paths.failoverScript}`,
    configPath: `/${paths.failoverConf}`,
    tunnelUnit,
    after: [tunnelUnit, ...paths.strongswanUnits],
  };
}
