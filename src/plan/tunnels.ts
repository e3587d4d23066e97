/**
 * Changes of IPsec tunnels, per end: the host's end is listed under the host, the peer's end under the
 * device, because each end is configured (and may be overridden) on its own box.
 */
import type { IntentPath } from "../intent/source.js";
import type { SiteModel, TunnelEnd, TunnelModel } from "../model/types.js";
import { ChangeList, type Change, type Subject } from "./change.js";
import { compareBgp, describeSession } from "./bgp.js";
import { named } from "./hosts.js";

export function tunnelChanges(before: SiteModel, after: SiteModel): Change[] {
  const out: Change[] = [];
  // A tunnel moved to other ends is a different tunnel for both old and new boxes.
  const key = (t: TunnelModel) => `${t.name}\u0000${t.host.node}\u0000${t.peer.node}`;
  const old = new Map(before.tunnels.map((t) => [key(t), t]));
  const now = new Map(after.tunnels.map((t) => [key(t), t]));
  // Tunnels that come or go first, then changes of the others.
  for (const [k, t] of now) {
    if (!old.has(k)) out.push(...forBothEnds(t, (list, end, other) => list.add("tunnel", `tunnel ${t.name} to ${other.node} added: ${describe(t, end)}`, ["tunnels", t.name])));
  }
  for (const [k, t] of old) {
    if (!now.has(k)) out.push(...forBothEnds(t, (list, _end, other) => list.remove("tunnel", `tunnel ${t.name} to ${other.node} removed`, ["tunnels"], { attention: true })));
  }
  for (const [k, t] of now) {
    const o = old.get(k);
    if (o) out.push(...compareTunnel(o, t));
  }
  return out;
}

function subjectOf(end: TunnelEnd): Subject {
  return { kind: end.role === "host" ? "host" : "device", name: end.node };
}

function forBothEnds(t: TunnelModel, f: (list: ChangeList, end: TunnelEnd, other: TunnelEnd) => void): Change[] {
  const host = new ChangeList(subjectOf(t.host));
  const peer = new ChangeList(subjectOf(t.peer));
  f(host, t.host, t.peer);
  f(peer, t.peer, t.host);
  return [...host.items, ...peer.items];
}

function describe(t: TunnelModel, end: TunnelEnd): string {
  const parts = [t.kind, `IKEv${end.ike.version} ${proposals(end.ike.proposals)}`, `ESP ${proposals(end.esp.proposals)}`];
  if (end.insideAddress) parts.push(`inside ${end.insideAddress.cidr}`);
  if (t.key !== undefined) parts.push(`key ${t.key}`);
  parts.push(`PSK ${secret(end)}`);
  if (end.remoteNetworks.length) parts.push(`to ${end.remoteNetworks.map((p) => named(p.cidr, p.name)).join(", ")}`);
  if (t.bgp) parts.push(`BGP ${describeSession(t.bgp, end.role)}`);
  // Weak crypto accepted on purpose (SW112 as a note), named with its reason like allowAll in the policy plan.
  if (t.allowWeak !== undefined) parts.push(`weak crypto accepted [allowWeak: ${t.allowWeak}]`);
  return parts.join(", ");
}

function compareTunnel(a: TunnelModel, b: TunnelModel): Change[] {
  const host = new ChangeList(subjectOf(b.host));
  const peer = new ChangeList(subjectOf(b.peer));
  const at = (...rest: (string | number)[]): IntentPath => ["tunnels", b.name, ...rest];
  const label = `tunnel ${b.name}`;
  compareEnd(host, label, a.host, b.host, at);
  compareEnd(peer, label, a.peer, b.peer, at);
  compareBgp(host, label, a, b, "host");
  compareBgp(peer, label, a, b, "peer");

  // Tunnel-wide settings, listed where they are configured.
  host.field("tunnel", `${label}: kind`, a.kind, b.kind, at("kind"));
  host.field("tunnel", `${label}: vti key / mark`, a.key, b.key, at("key"));
  host.field("tunnel", `${label}: device`, a.device, b.device, at("device"));
  host.field("tunnel", `${label}: device kind`, a.deviceKind, b.deviceKind, at("device"));
  host.field("address", `${label}: outer address family`, `IPv${a.outerFamily}`, `IPv${b.outerFamily}`, ["tunnels", b.name, "between"]);
  host.field("tunnel", `${label}: address families carried`, a.families.map((f) => `IPv${f}`).join("+"), b.families.map((f) => `IPv${f}`).join("+"), ["tunnels", b.name, "routes"]);
  host.field("tunnel", `${label}: start action`, a.startAction, b.startAction, at("startAction"));
  if (a.allowWeak === undefined && b.allowWeak !== undefined)
    host.change("crypto", `${label}: weak crypto now accepted [allowWeak: ${b.allowWeak}]`, at("allowWeak"), { attention: true });
  else host.field("crypto", `${label}: allowWeak reason`, a.allowWeak, b.allowWeak, at("allowWeak"));
  host.field("route", `${label}: routing table / rule priority`, tableText(a), tableText(b), at("table"));
  peer.field("tunnel", `${label}: device tunnel number`, a.number, b.number, at("number"));
  peer.field(
    "tunnel",
    `${label}: monitor`,
    monitorText(a),
    monitorText(b),
    at("monitor"),
  );
  return [...host.items, ...peer.items];
}

function compareEnd(list: ChangeList, label: string, a: TunnelEnd, b: TunnelEnd, at: (...rest: (string | number)[]) => IntentPath): void {
  list.field("crypto", `${label}: IKE version`, a.ike.version, b.ike.version, at("ike", "version"));
  list.field("proposals", `${label}: IKE proposals`, proposals(a.ike.proposals), proposals(b.ike.proposals), at("ike", "proposals"));
  list.field("crypto", `${label}: IKE lifetime`, a.ike.lifetime.text, b.ike.lifetime.text, at("ike", "lifetime"));
  list.field("crypto", `${label}: aggressive mode`, a.ike.aggressive, b.ike.aggressive, at("ike"));
  list.field("proposals", `${label}: ESP proposals`, proposals(a.esp.proposals), proposals(b.esp.proposals), at("esp", "proposals"));
  list.field("crypto", `${label}: ESP lifetime`, a.esp.lifetime.text, b.esp.lifetime.text, at("esp", "lifetime"));
  list.field("crypto", `${label}: PFS group`, a.esp.pfsGroup, b.esp.pfsGroup, at("esp"));
  if (secret(a) !== secret(b))
    list.change("secret", `${label}: PSK reference rotated: ${secret(a)} → ${secret(b)} (the new one must be set where secrets are materialised)`, at("psk"));
  list.field("tunnel", `${label}: DPD`, dpdText(a), dpdText(b), at("dpd"));
  list.field("tunnel", `${label}: MTU/MSS`, `${a.mtu}/${a.mss}`, `${b.mtu}/${b.mss}`, at("mtu"));
  list.field("address", `${label}: local address`, a.localAddress, b.localAddress, at());
  list.field("address", `${label}: remote address`, a.remoteAddress, b.remoteAddress, at());
  list.field("address", `${label}: identities (local/remote)`, `${a.identity} / ${a.remoteIdentity}`, `${b.identity} / ${b.remoteIdentity}`, at());
  list.field("address", `${label}: inside address`, a.insideAddress?.cidr, b.insideAddress?.cidr, at("inside"));
  list.field("address", `${label}: IPv6 inside address`, a.insideAddress6?.cidr, b.insideAddress6?.cidr, at("inside6"));
  list.sets(
    "route",
    a.remoteNetworks,
    b.remoteNetworks,
    (p) => p.cidr,
    (p) => `${label}: network through the tunnel ${named(p.cidr, p.name)}`,
    () => at("routes"),
  );
  list.sets(
    "route",
    a.localNetworks,
    b.localNetworks,
    (p) => p.cidr,
    (p) => `${label}: local network offered ${named(p.cidr, p.name)}`,
    () => at("routes"),
  );
}

function proposals(list: readonly { readonly text: string }[]): string {
  return list.map((p) => p.text).join(" ");
}

function secret(end: TunnelEnd): string {
  return `${end.psk.kind}:${end.psk.ref}`;
}

function dpdText(end: TunnelEnd): string {
  return `${end.dpd.delay.text}/${end.dpd.timeout.text} ${end.dpd.action}`;
}

function tableText(t: TunnelModel): string | undefined {
  return t.table === undefined ? undefined : `${t.table}/${t.rulePriority}`;
}

function monitorText(t: TunnelModel): string {
  const m = t.monitor;
  return `every ${m.interval.text}, timeout ${m.timeout.text}, ${m.failures} failures, sla ${m.slaId}, track ${m.trackId}, tag ${m.tag}`;
}
