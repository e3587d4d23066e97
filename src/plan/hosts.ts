/** Changes on Linux hosts: the host itself, its routes, policy routing, NAT, forwarding, links and failover. */
import type { IntentPath } from "../intent/source.js";
import type { ForwardRule, HostModel, SiteModel } from "../model/types.js";
import { HOST_PATHS } from "../targets/host-paths.js";
import { byName, ChangeList, type Change } from "./change.js";
import { addressInterval, boxes, NameAxis, portIntervals, showPorts } from "./dimensions.js";
import { comparePolicy } from "./policy.js";

export function hostChanges(before: SiteModel, after: SiteModel): Change[] {
  const out: Change[] = [];
  for (const [name, a, b] of byName(before.hosts, after.hosts)) {
    const list = new ChangeList({ kind: "host", name });
    if (a && b) compareHost(list, a, b);
    else if (b) list.add("host", `host ${name} added: ${describeHost(b)}`, ["hosts", name]);
    else if (a) list.remove("host", `host ${name} removed (was ${describeHost(a)}); sitewire stops managing it, nothing is uninstalled`, ["hosts"], { attention: true });
    out.push(...list.items);
  }
  return out;
}

function describeHost(h: HostModel): string {
  const parts = [h.os, h.address.cidr];
  if (h.publicAddress) parts.push(`public ${h.publicAddress}`);
  if (h.tunnels.length) parts.push(`tunnels ${h.tunnels.join(", ")}`);
  if (h.ipips.length) parts.push(`links ${h.ipips.map((l) => l.link).join(", ")}`);
  return parts.join(", ");
}

/** What a firewall backend switch does on the host, and what the operator must know (README: Host files). */
function backendSwitch(a: HostModel, b: HostModel): string {
  const unit = (h: HostModel) => (h.firewallBackend === "nftables" ? HOST_PATHS[h.os].nftUnit : HOST_PATHS[h.os].firewallUnit).split("/").pop()!;
  const steps = `the playbook stops ${unit(a)}, which unloads the old rules, then loads ${unit(b)}; deploying by other means, stop the old unit first: loaded together both would apply`;
  return b.firewallBackend === "nftables"
    ? `${steps}. With nftables, sitewire's accept no longer ends the host's own FORWARD rules: another table's drop (Docker's FORWARD policy) still applies`
    : steps;
}

function compareHost(list: ChangeList, a: HostModel, b: HostModel): void {
  const at = (...rest: (string | number)[]): IntentPath => ["hosts", b.name, ...rest];
  list.field("host", "OS family (file paths and service names move)", a.os, b.os, at("os"));
  list.field("address", "address", a.address.cidr, b.address.cidr, at("address"));
  list.field("address", "IPv6 address", a.addresses[1]?.cidr, b.addresses[1]?.cidr, at("address6"));
  list.field("address", "interface", a.interface, b.interface, at("interface"));
  list.field("address", "public address", a.publicAddress, b.publicAddress, at("publicAddress"));
  list.field("address", "IKE identity", a.identity, b.identity, at("identity"));
  list.field("host", "strongSwan format", a.strongswanFormat, b.strongswanFormat, at("strongswan", "format"));
  if (a.firewallBackend !== b.firewallBackend)
    list.change(
      "policy",
      `firewall backend: ${a.firewallBackend} → ${b.firewallBackend} (${backendSwitch(a, b)})`,
      at("firewall", "backend"),
      { attention: true },
    );
  list.field("host", "packet forwarding", a.forwards ? "on" : "off", b.forwards ? "on" : "off", at());
  list.field("route", "BGP", a.bgp && `as ${a.bgp.as} router-id ${a.bgp.routerId}`, b.bgp && `as ${b.bgp.as} router-id ${b.bgp.routerId}`, at("routing", "bgp"));
  list.field("host", "cloud instance", a.cloud?.instanceId, b.cloud?.instanceId, at("cloud"));
  list.field("host", "cloud ENI", a.cloud?.eni, b.cloud?.eni, at("cloud"));
  list.field("host", "cloud route tables", a.cloud?.routeTables, b.cloud?.routeTables, at("cloud"));
  list.field("host", "cloud region", a.cloud?.region, b.cloud?.region, at("cloud", "region"));
  if (a.forwardDefault !== b.forwardDefault)
    list.change(
      "policy",
      `forwarded traffic no sitewire rule accepts: ${a.forwardDefault} → ${b.forwardDefault} (${b.forwardDefault === "drop" ? "now dropped, Docker's and Kubernetes' included" : "the host's own FORWARD rules decide again"})`,
      at("firewall", "forwardDefault"),
      { attention: true, effect: b.forwardDefault === "drop" ? "narrowed" : "widened" },
    );
  list.sets(
    "address",
    a.externalInterfaces,
    b.externalInterfaces,
    (i) => `${i.device} ${i.address.cidr}`,
    (i) => `interface ${i.device} ${i.address.cidr}`,
    () => at("interfaces"),
  );

  list.sets(
    "route",
    a.routes,
    b.routes,
    (r) => `${r.to.cidr} ${r.via} ${r.device}`,
    (r) => `route ${named(r.to.cidr, r.to.name)} via ${r.via} dev ${r.device} (${r.origin})`,
    (r) => originPath(b.name, r.origin),
  );
  const tableRoutes = (h: HostModel) => h.vtis.flatMap((v) => v.routes.map((p) => ({ p, v })));
  list.sets(
    "route",
    tableRoutes(a),
    tableRoutes(b),
    ({ p, v }) => `${p.cidr} ${v.device} ${v.table}`,
    ({ p, v }) => `route ${named(p.cidr, p.name)} dev ${v.device} table ${v.table} (tunnel ${v.tunnel})`,
    ({ v }) => ["tunnels", v.tunnel, "routes"],
  );
  list.sets(
    "route",
    a.rules,
    b.rules,
    (r) => `${r.priority} ${r.table}`,
    (r) => `ip rule priority ${r.priority} lookup table ${r.table} (tunnel ${r.tunnel})`,
    (r) => ["tunnels", r.tunnel],
  );
  list.sets(
    "nat",
    a.nat,
    b.nat,
    (n) => `${n.source.cidr} ${n.destination?.cidr ?? ""} ${n.outInterface}`,
    (n) => `masquerade ${named(n.source.cidr, n.source.name)}${n.destination ? ` to ${n.destination.cidr}` : ""} out of ${n.outInterface} (${n.origin})`,
    (n) => originPath(b.name, n.origin),
  );
  list.sets(
    "route",
    a.mssClamp,
    b.mssClamp,
    (m) => `${m.device} ${m.mss ?? "pmtu"} ${m.families.join("+")}`,
    (m) => `TCP MSS clamp on ${m.device} to ${m.mss ?? "path MTU"}${m.families.includes(6) ? ` (IPv6: ${m.mss6 ?? "path MTU"})` : ""}${m.families.length > 1 ? "" : ` for IPv${m.families[0] ?? 4}`}`,
    () => at(),
  );

  const interfaces = new NameAxis([...a.forward, ...b.forward].flatMap((r) => [r.inInterface, r.outInterface]));
  comparePolicy(list, a.forward, b.forward, {
    label: "forwarding",
    rule: (r: ForwardRule) => ({
      include: boxes([interfaces.interval(r.inInterface)], [interfaces.interval(r.outInterface)], [addressInterval(r.source)], [addressInterval(r.destination)], portIntervals(r.ports)),
    }),
    describe: (r) =>
      `${named(r.source.cidr, r.source.name)} → ${named(r.destination.cidr, r.destination.name)} ${showPorts(r.ports)} (${r.inInterface ?? "any"} → ${r.outInterface ?? "any"}, ${r.origin})`,
    at: (r) => originPath(b.name, r.origin),
    removedAt: at(),
    key: (r) => `${r.inInterface}>${r.outInterface} ${r.source.cidr}>${r.destination.cidr} ${showPorts(r.ports)}`,
  });

  compareLinks(list, a, b);
  compareFailover(list, a, b);
}

function compareLinks(list: ChangeList, a: HostModel, b: HostModel): void {
  const old = new Map(a.ipips.map((l) => [l.link, l]));
  for (const l of b.ipips) {
    const at: IntentPath = ["links", l.link];
    const o = old.get(l.link);
    if (!o) {
      list.add("link", `link ${l.link} to ${l.peerHost} added: ipip ${l.device} ${l.address.cidr}, remote ${l.remote}`, at);
      continue;
    }
    const label = `link ${l.link}`;
    list.field("link", `${label}: device`, o.device, l.device, at);
    list.field("link", `${label}: other end`, o.peerHost, l.peerHost, ["links", l.link, "between"]);
    list.field("link", `${label}: outer addresses`, `${o.local} → ${o.remote}`, `${l.local} → ${l.remote}`, at);
    list.field("link", `${label}: inside address`, o.address.cidr, l.address.cidr, ["links", l.link, "inside"]);
    list.field("link", `${label}: MTU`, o.mtu, l.mtu, ["links", l.link, "mtu"]);
    list.field("link", `${label}: TTL`, o.ttl, l.ttl, ["links", l.link, "ttl"]);
  }
  const now = new Set(b.ipips.map((l) => l.link));
  for (const o of a.ipips) if (!now.has(o.link)) list.remove("link", `link ${o.link} to ${o.peerHost} removed (ipip ${o.device})`, ["links"], { attention: true });
}

function compareFailover(list: ChangeList, a: HostModel, b: HostModel): void {
  const fa = a.failover;
  const fb = b.failover;
  if (!fa && !fb) return;
  if (!fa || !fb) {
    const f = (fa ?? fb)!;
    const text = `failover pair ${f.pair} with ${f.partner}`;
    if (fb) list.add("failover", `${text} added (${fb.action}, every ${fb.interval.text})`, ["failover", fb.pair]);
    else list.remove("failover", `${text} removed`, ["failover"], { attention: true });
    return;
  }
  const at: IntentPath = ["failover", fb.pair];
  const label = `failover ${fb.pair}`;
  list.field("failover", `${label}: partner`, fa.partner, fb.partner, ["failover", fb.pair, "gateways"]);
  list.field("failover", `${label}: action`, fa.action, fb.action, ["failover", fb.pair, "action"]);
  list.field("failover", `${label}: command`, fa.command, fb.command, ["failover", fb.pair, "command"]);
  list.field("failover", `${label}: interval`, fa.interval.text, fb.interval.text, ["failover", fb.pair, "interval"]);
  list.field("failover", `${label}: failures/recoveries`, `${fa.failures}/${fa.recoveries}`, `${fb.failures}/${fb.recoveries}`, at);
  list.field("failover", `${label}: restart partner`, fa.restartPartner, fb.restartPartner, ["failover", fb.pair, "restartPartner"]);
  list.field("failover", `${label}: destinations moved`, fa.destinations.map((p) => p.cidr), fb.destinations.map((p) => p.cidr), at);
  list.field("failover", `${label}: own route tables`, fa.ownRouteTables, fb.ownRouteTables, ["hosts", b.name, "cloud", "routeTables"]);
  list.field("failover", `${label}: partner route tables`, fa.partnerRouteTables, fb.partnerRouteTables, at);
}

/** Where a derived rule comes from in the intent: a flow, a tunnel, or the host's own routes. */
function originPath(host: string, origin: string): IntentPath {
  const m = /^(flow|tunnel) (.+)$/.exec(origin);
  if (m) return [m[1] === "flow" ? "flows" : "tunnels", m[2]!];
  return ["hosts", host, "routes"];
}

/** `10.0.0.0/8 (onprem)` when the prefix came from a name. */
export function named(cidr: string, name: string | undefined): string {
  return name && name !== cidr ? `${cidr} (${name})` : cidr;
}
