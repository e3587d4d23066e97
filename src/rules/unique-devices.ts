import type { IntentPath } from "../intent/source.js";
import type { HostModel } from "../model/types.js";
import { defineRule } from "./rule.js";
import { inFileOrder, lineOf, repeats } from "./support/file-order.js";
import { firstSet, oncePerPath } from "./support/intent-paths.js";

/**
 * Devices the kernel creates itself when a tunnel module loads: `ip link add` with these names fails. (lo, all
 * and default are refused wherever a device is named: rule SW141.)
 */
const KERNEL_DEVICES: ReadonlyMap<string, string> = new Map([
  ["tunl0", "the ipip module's fallback device"],
  ["ip_vti0", "the ip_vti module's fallback device"],
  ["gre0", "the ip_gre module's fallback device"],
  ["gretap0", "the ip_gre module's fallback device"],
  ["erspan0", "the ip_gre module's fallback device"],
  ["sit0", "the sit module's fallback device"],
  ["ip6tnl0", "the ip6_tunnel module's fallback device"],
  ["ip6_vti0", "the ip6_vti module's fallback device"],
  ["ip6gre0", "the ip6_gre module's fallback device"],
]);

interface Device {
  readonly name: string;
  readonly what: string;
  readonly path: IntentPath;
  readonly at: "key" | "value";
  /** Created by sitewire (vti, ipip), as opposed to declared. */
  readonly created: boolean;
}

/** Every device on the host with the intent text that names it (a device derived from a key or a link name points there). */
function devicesOf(host: HostModel, intent: unknown): Device[] {
  const h = ["hosts", host.name];
  const primary = firstSet(intent, [...h, "interface"]);
  return [
    { name: host.interface, what: "the primary interface", path: primary ?? h, at: primary ? "value" : "key", created: false },
    ...host.externalInterfaces.map((i) => ({ name: i.device, what: `interface '${i.device}'`, path: [...h, "interfaces", i.device], at: "key" as const, created: false })),
    ...host.vtis.map((v) => {
      const path = firstSet(intent, ["tunnels", v.tunnel, "device", "name"], ["tunnels", v.tunnel, "device"], ["tunnels", v.tunnel, "key"]) ?? ["tunnels", v.tunnel];
      return { name: v.device, what: `tunnel '${v.tunnel}'`, path, at: "value" as const, created: true };
    }),
    ...host.ipips.map((l) => {
      const path = firstSet(intent, ["links", l.link, "device"]);
      return { name: l.device, what: `link '${l.link}'`, path: path ?? ["links", l.link], at: path ? ("value" as const) : ("key" as const), created: true };
    }),
  ];
}

export const uniqueDevices = defineRule({
  code: "SW119",
  name: "unique-devices",
  description:
    "On each host the primary interface, declared interfaces, vti devices and ipip devices all have different names, and sitewire never creates a device under the name of a tunnel module's fallback device (tunl0, ip_vti0, gre0, sit0, ip6tnl0…).",
  severity: "error",
  messages: {
    clash: "device '{{device}}' of {{what}} is already used by {{first}} on host '{{host}}' (line {{line}})",
    kernel: "device '{{device}}' of {{what}} is {{reserved}}",
  },
  check({ source, intent, model }, report) {
    const once = oncePerPath();
    for (const host of model.hosts) {
      const devices = inFileOrder(source, devicesOf(host, intent), (d) => d.path, "key");
      for (const { first, again } of repeats(devices, (d) => d.name))
        report("clash", again.path, { device: again.name, what: again.what, first: first.what, host: host.name, line: lineOf(source, first.path, first.at) }, {
          at: again.at,
          hint: "set device: on the tunnel or link to a free name",
        });
      for (const d of devices) {
        const reserved = KERNEL_DEVICES.get(d.name);
        if (d.created && reserved && once(d.path)) report("kernel", d.path, { device: d.name, what: d.what, reserved }, { at: d.at, hint: "choose another device name" });
      }
    }
  },
});
