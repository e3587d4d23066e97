/** Changes of far-side devices (peers) themselves; their tunnel ends are in ./tunnels.ts. */
import type { PeerModel, SiteModel } from "../model/types.js";
import { byName, ChangeList, type Change } from "./change.js";

export function deviceChanges(before: SiteModel, after: SiteModel): Change[] {
  const out: Change[] = [];
  for (const [name, a, b] of byName(before.peers, after.peers)) {
    const list = new ChangeList({ kind: "device", name });
    if (a && b) {
      const at = (key: string) => ["peers", name, key];
      list.field("device", "platform", a.platform, b.platform, at("platform"));
      list.field("address", "address", a.address, b.address, at("address"));
      list.field("address", "public address", a.publicAddress, b.publicAddress, at("publicAddress"));
      list.field("address", "IKE identity", a.identity, b.identity, at("identity"));
      list.field("device", "outside interface", a.interface, b.interface, at("interface"));
      list.field("route", "OSPF", routing(a.ospf, "process"), routing(b.ospf, "process"), at("routing"));
      list.field("route", "BGP", routing(a.bgp, "as"), routing(b.bgp, "as"), at("routing"));
      list.field("device", "cloud gateway", a.cloud?.gateway, b.cloud?.gateway, at("cloud"));
      list.field("device", "cloud gateway id", a.cloud?.gatewayId, b.cloud?.gatewayId, at("cloud"));
      list.field("device", "cloud region", a.cloud?.region, b.cloud?.region, at("cloud"));
    } else if (b) list.add("device", `device ${name} added: ${describe(b)}`, ["peers", name]);
    else if (a) list.remove("device", `device ${name} removed (was ${describe(a)}); its configuration stays on the device until removed by hand`, ["peers"], { attention: true });
    out.push(...list.items);
  }
  return out;
}

function describe(p: PeerModel): string {
  return [p.platform, p.address, ...(p.publicAddress ? [`public ${p.publicAddress}`] : [])].join(", ");
}

function routing<K extends string>(r: (Record<K, number> & { readonly routerId?: string }) | undefined, key: K): string | undefined {
  return r === undefined ? undefined : `${key} ${r[key]}${r.routerId ? ` router-id ${r.routerId}` : ""}`;
}
