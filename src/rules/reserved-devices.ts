import type { IntentPath } from "../intent/source.js";
import { defineRule } from "./rule.js";
import { valueAt } from "./support/intent-paths.js";

/**
 * Names that do not stand for one ordinary device. Under /proc/sys/net/ipv4/conf/ and /proc/sys/net/ipv6/conf/
 * the kernel registers `all` and `default` beside the devices (torvalds/linux net/ipv4/devinet.c,
 * devinet_init_net: `__devinet_sysctl_register(net, "all", …)` and `"default"`; net/ipv6/addrconf.c,
 * addrconf_init_net, the same for IPv6): a per-device sysctl written for a device so named changes every
 * interface, or every interface created later, and `ip link add all …` is refused (EINVAL, tried on Linux 6.1).
 * `lo` is the loopback device: no tunnel, flow, gateway interface or host address belongs on it, and
 * iptables `-o lo` or an rp_filter setting on it affects the host's own traffic.
 * (Devices that only clash with what sitewire creates, tunl0, ip_vti0…, are rule SW119's.)
 */
const RESERVED: ReadonlyMap<string, string> = new Map([
  ["all", "the kernel's settings for every interface (/proc/sys/net/ipv4/conf/all), not a device"],
  ["default", "the kernel's settings for interfaces created later (/proc/sys/net/ipv4/conf/default), not a device"],
  ["lo", "the loopback device"],
]);

interface Named {
  readonly name: string;
  readonly what: string;
  readonly path: IntentPath;
  readonly at: "key" | "value";
}

/** Every place an intent names a Linux device, with the position of the text that names it. */
function deviceNames(intent: unknown): Named[] {
  const out: Named[] = [];
  const entries = (path: IntentPath) => {
    const v = valueAt(intent, path);
    return v && typeof v === "object" && !Array.isArray(v) ? Object.entries(v as Record<string, Record<string, unknown>>) : [];
  };
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  for (const [host, h] of entries(["hosts"])) {
    const primary = str(h.interface);
    if (primary !== undefined) out.push({ name: primary, what: `the primary interface of host '${host}'`, path: ["hosts", host, "interface"], at: "value" });
    for (const [device] of entries(["hosts", host, "interfaces"])) out.push({ name: device, what: `an interface of host '${host}'`, path: ["hosts", host, "interfaces", device], at: "key" });
  }
  for (const [tunnel, t] of entries(["tunnels"])) {
    // tunnels.<t>.device is a name, or { name, kind }.
    const named = str(t.device);
    const nested = t.device && typeof t.device === "object" ? str((t.device as Record<string, unknown>).name) : undefined;
    const device = named ?? nested;
    if (device !== undefined)
      out.push({ name: device, what: `the device of tunnel '${tunnel}'`, path: named !== undefined ? ["tunnels", tunnel, "device"] : ["tunnels", tunnel, "device", "name"], at: "value" });
  }
  for (const [link, l] of entries(["links"])) {
    // Without `device`, the link's name is the device name on both hosts.
    const device = str(l.device);
    out.push(device !== undefined ? { name: device, what: `the device of link '${link}'`, path: ["links", link, "device"], at: "value" } : { name: link, what: `the device of link '${link}' (its name)`, path: ["links", link], at: "key" });
  }
  for (const [flow, f] of entries(["flows"])) {
    const out_ = str(f.out);
    if (out_ !== undefined) out.push({ name: out_, what: `the out interface of flow '${flow}'`, path: ["flows", flow, "out"], at: "value" });
  }
  const gateways = valueAt(intent, ["cluster", "cilium", "egressGateways"]);
  if (Array.isArray(gateways))
    gateways.forEach((g: unknown, i) => {
      const iface = g && typeof g === "object" ? str((g as Record<string, unknown>).interface) : undefined;
      if (iface !== undefined) out.push({ name: iface, what: `the interface of cilium egress gateway ${i + 1}`, path: ["cluster", "cilium", "egressGateways", i, "interface"], at: "value" });
    });
  return out;
}

export const reservedDevices = defineRule({
  code: "SW141",
  name: "reserved-devices",
  description:
    "No device name is one the kernel treats specially: all and default (the per-protocol settings for every interface and for new ones under /proc/sys/net/ipv*/conf/) and lo, wherever a device is named (host interfaces, tunnel and link devices, flow out interfaces, Cilium gateway interfaces).",
  severity: "error",
  messages: {
    reserved: "'{{device}}' cannot be {{what}}: it is {{meaning}}",
  },
  check({ intent }, report) {
    for (const d of deviceNames(intent)) {
      const meaning = RESERVED.get(d.name);
      if (meaning) report("reserved", d.path, { device: d.name, what: d.what, meaning }, { at: d.at, hint: "name the real device (e.g. eth0, tun0) or set device: to a free name" });
    }
  },
});
