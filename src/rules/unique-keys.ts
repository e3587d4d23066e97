import type { IntentPath } from "../intent/source.js";
import type { TunnelModel } from "../model/types.js";
import type { PlatformDeclaration } from "../platform/contract.js";
import { defineRule } from "./rule.js";
import { inFileOrder, lineOf, repeats } from "./support/file-order.js";
import { firstSet, valueAt } from "./support/intent-paths.js";

interface Identifier {
  readonly what: string;
  readonly value: (t: TunnelModel) => number | undefined;
  /** The intent key that sets it explicitly; without one it is derived from the tunnel number. */
  readonly setting?: string;
}

/** The numbers a device of `platform` holds per tunnel, from its capability data: its tunnel interface, and the monitor ids it declares. */
function peerIds(platform: PlatformDeclaration): Identifier[] {
  const monitorIds: Identifier[] = [
    { what: "IP SLA id", value: (t) => t.monitor.slaId, setting: "slaId" },
    { what: "track id", value: (t) => t.monitor.trackId, setting: "trackId" },
  ];
  const declared = new Set(platform.capabilities.numbers.map((n) => n.setting.replace(/^monitor\./, "")));
  return [{ what: `${platform.capabilities.interfaces.prefix.replace(/[.]$/, "")} interface number`, value: (t) => t.number }, ...monitorIds.filter((id) => declared.has(id.setting!))];
}

/**
 * The key is the IPsec mark of a vti device, or the if_id of an XFRM interface: two route-based tunnels with
 * one mark (or one if_id) on a host steal each other's packets. Keys are unique per host whatever the device
 * kind (the routing table, rule priority and device name default to the key too). The key is at least 1 (the
 * schema), so no XFRM interface gets if_id 0, which the kernel reads as "no interface".
 * On an IOS peer the tunnel number (the key, or a number derived from the name) names the Tunnel interface,
 * and the IP SLA and track ids default to it: each must be unique on that router. Two derived SLA or track
 * ids only clash when the tunnel numbers do, which is reported once, as the tunnel number.
 */
export const uniqueKeys = defineRule({
  code: "SW106",
  name: "unique-keys",
  description:
    "Tunnel keys (IPsec marks of vti devices, if_ids of XFRM interfaces) are unique per host; Tunnel interface numbers, IP SLA ids and track ids are unique per Cisco IOS peer.",
  severity: "error",
  messages: {
    hostKey: "key {{value}} of tunnel '{{tunnel}}' is already the key of tunnel '{{first}}' on host '{{node}}' (line {{line}})",
    hostIfId: "if_id {{value}} of tunnel '{{tunnel}}' (XFRM interface {{device}}) is already the key of tunnel '{{first}}' on host '{{node}}' (line {{line}})",
    peerId: "{{what}} {{value}} of tunnel '{{tunnel}}' is already used by tunnel '{{first}}' on peer '{{node}}' (line {{line}})",
  },
  check({ source, intent, model, platforms }, report) {
    const byName = new Map(model.tunnels.map((t) => [t.name, t]));
    const monitorPath = (t: TunnelModel, setting: string): IntentPath => ["tunnels", t.name, "monitor", setting];
    const explicit = (t: TunnelModel, setting: string | undefined) => setting !== undefined && valueAt(intent, monitorPath(t, setting)) !== undefined;
    /** Where the identifier comes from: its own setting, else the key, else the tunnel's name (a derived number). */
    const pathOf = (t: TunnelModel, setting?: string): { path: IntentPath; at: "key" | "value" } => {
      const path = explicit(t, setting) ? monitorPath(t, setting!) : firstSet(intent, ["tunnels", t.name, "key"]);
      return path ? { path, at: "value" } : { path: ["tunnels", t.name], at: "key" };
    };

    const clashes = (tunnels: readonly TunnelModel[], id: Identifier) => {
      const items = tunnels.flatMap((t) => {
        const value = id.value(t);
        return value === undefined ? [] : [{ t, value, ...pathOf(t, id.setting) }];
      });
      return repeats(inFileOrder(source, items, (i) => i.path, "key"), (i) => i.value).filter(
        ({ first, again }) => id.setting === undefined || explicit(first.t, id.setting) || explicit(again.t, id.setting),
      );
    };

    for (const host of model.hosts) {
      const tunnels = host.vtis.map((v) => byName.get(v.tunnel)!);
      for (const { first, again } of clashes(tunnels, { what: "key", value: (t) => t.key })) {
        const data = { value: again.value, tunnel: again.t.name, first: first.t.name, node: host.name, line: lineOf(source, first.path, first.at) };
        const device = host.vtis.find((v) => v.tunnel === again.t.name)!;
        if (device.kind === "xfrm")
          report("hostIfId", again.path, { ...data, device: device.device }, { at: again.at, hint: "the key is the XFRM interface's if_id: give every route-based tunnel on a host its own key" });
        else report("hostKey", again.path, data, { at: again.at, hint: "the key is the IPsec mark: give every route-based tunnel on a host its own key" });
      }
    }
    for (const peer of model.peers) {
      const platform = platforms.find((p) => p.name === peer.platform);
      if (!platform) continue;
      const tunnels = peer.tunnels.map((name) => byName.get(name)!);
      for (const id of peerIds(platform))
        for (const { first, again } of clashes(tunnels, id))
          report("peerId", again.path, { what: id.what, value: again.value, tunnel: again.t.name, first: first.t.name, node: peer.name, line: lineOf(source, first.path, first.at) }, {
            at: again.at,
            hint: "give one of them its own key, or set monitor.slaId / monitor.trackId",
          });
    }
  },
});
