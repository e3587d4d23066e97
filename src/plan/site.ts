/** Site-wide changes: named networks and flows (what a flow does on each host is listed under the host). */
import type { FlowModel, SiteModel } from "../model/types.js";
import { ChangeList, type Change } from "./change.js";
import { showPorts } from "./dimensions.js";
import { named } from "./hosts.js";

export function siteChanges(before: SiteModel, after: SiteModel): Change[] {
  const list = new ChangeList({ kind: "site", name: after.name });
  const oldNets = new Map(before.networks.map((n) => [n.name, n.prefix.cidr]));
  const newNets = new Map(after.networks.map((n) => [n.name, n.prefix.cidr]));
  for (const [name, cidr] of newNets) {
    const was = oldNets.get(name);
    if (was === undefined) list.add("network", `network ${name} ${cidr} added`, ["networks", name]);
    else list.field("network", `network ${name}`, was, cidr, ["networks", name]);
  }
  for (const [name, cidr] of oldNets) if (!newNets.has(name)) list.remove("network", `network ${name} ${cidr} removed`, ["networks"]);

  const oldFlows = new Map(before.flows.map((f) => [f.name, f]));
  const newFlows = new Map(after.flows.map((f) => [f.name, f]));
  for (const [name, f] of newFlows) {
    const o = oldFlows.get(name);
    const at = (...rest: string[]) => ["flows", name, ...rest];
    if (!o) {
      list.add("flow", `flow ${name} added: ${describeFlow(f)}`, at());
      continue;
    }
    list.field("flow", `flow ${name}: sources`, sources(o), sources(f), at("from"));
    list.field("flow", `flow ${name}: destinations`, o.to.map((p) => named(p.cidr, p.name)), f.to.map((p) => named(p.cidr, p.name)), at("to"));
    list.field("flow", `flow ${name}: ports`, showPorts(o.ports), showPorts(f.ports), at("ports"));
    list.field("flow", `flow ${name}: gateway`, `${o.via} out ${o.out}`, `${f.via} out ${f.out}`, at("via"));
    list.field("flow", `flow ${name}: NAT`, o.nat, f.nat, at("nat"));
  }
  for (const [name, f] of oldFlows) if (!newFlows.has(name)) list.remove("flow", `flow ${name} removed (was ${describeFlow(f)})`, ["flows"], { attention: true });
  return list.items;
}

function describeFlow(f: FlowModel): string {
  return `${sources(f).join(", ")} → ${f.to.map((p) => named(p.cidr, p.name)).join(", ")} ${showPorts(f.ports)} via ${f.via} out ${f.out}, NAT ${f.nat}`;
}

function sources(f: FlowModel): string[] {
  return f.sources.map((s) => s.host ?? named(s.prefix.cidr, s.prefix.name));
}
