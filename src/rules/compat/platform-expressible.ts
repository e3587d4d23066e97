import type { IntentPath } from "../../intent/source.js";
import type { PeerModel, TunnelModel } from "../../model/types.js";
import type { BgpTimers, PlatformDeclaration } from "../../platform/contract.js";
import { translateCrypto } from "../../platform/crypto.js";
import { numberProblems, type NumberSetting } from "../../platform/numbers.js";
import { inFileOrder } from "../support/file-order.js";
import { firstSet, tunnelSetting, valueAt } from "../support/intent-paths.js";
import { defineRule, type Report } from "../rule.js";
import { endSetting } from "./blame.js";

/**
 * UNSUPPORTED_ON_PLATFORM for every far-side device platform: each setting of the device's end of a tunnel
 * must be expressible on its platform, as the platform's capability data declares (src/targets/<p>/platform.ts,
 * handed to rules as RuleContext.platforms; rules never import target code): tunnel kind, IKE version,
 * aggressive mode, every proposal's algorithms and shape, lifetimes, MTU and MSS (an explicit MSS where the
 * platform derives its own from the MTU), the monitor's interval and probe timeout, BGP/BFD and the BGP timers,
 * OSPF, the device's outside interface (named where the platform needs one, of its form, and only where it is
 * used), the IKEv1 identity, and every number the device gets (in range, unique on the device).
 * A platform renderer assumes this rule passed: it never guesses a near equivalent. A proposal that is not
 * valid for strongSwan either is left to SW123 (proposal-structure), so it is reported once.
 */
export const platformExpressible = defineRule({
  code: "SW208",
  name: "platform-expressible",
  description: "Everything a far-side device's end of a tunnel needs can be written on its platform (UNSUPPORTED_ON_PLATFORM).",
  severity: "error",
  messages: {
    kind: "tunnel '{{tunnel}}': {{platform}} peers get {{kinds}} tunnels only; '{{kind}}' cannot be rendered",
    version: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} cannot run IKEv{{version}}",
    crypto: "tunnel '{{tunnel}}' on {{peer}}: {{problem}}",
    mss: "tunnel '{{tunnel}}' on {{peer}}: MSS {{mss}} is outside the range {{platform}} can clamp to ({{min}}..{{max}})",
    mssFixed: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} has no MSS setting and clamps TCP to the tunnel MTU − {{overhead}} = {{derived}} by itself; MSS {{mss}} cannot be expressed",
    mtu: "tunnel '{{tunnel}}' on {{peer}}: MTU {{mtu}} is outside the range {{platform}} accepts on a tunnel interface ({{min}}..{{max}})",
    interval: "tunnel '{{tunnel}}' on {{peer}}: the {{platform}} monitor ({{monitor}}) probes every whole second from {{min}} to {{max}}; {{interval}} cannot be expressed",
    timeout: "tunnel '{{tunnel}}' on {{peer}}: the monitor's probe timeout {{timeout}} must be a whole number of milliseconds from {{min}} to the probe interval ({{interval}}); {{platform}} refuses a timeout longer than the interval",
    failures: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} declares a tunnel down after {{min}} to {{max}} failed probes; {{failures}} cannot be expressed",
    identity: "peer '{{peer}}' has identity {{identity}}, but {{platform}} on IKEv1 identifies itself by its local address {{address}}",
    aggressive: "tunnel '{{tunnel}}' on {{peer}}: sitewire configures {{platform}} for IKEv1 main mode only; aggressive mode would not match",
    bgp: "tunnel '{{tunnel}}' on {{peer}}: sitewire cannot configure {{feature}} on {{platform}}",
    holdTime: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} takes a BGP hold time of {{allowed}} ({{command}}); {{value}} cannot be expressed",
    keepalive: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} takes a BGP keepalive of {{min}} to {{max}} seconds ({{command}}); {{value}} cannot be expressed",
    keepaliveFixed: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} has no BGP keepalive setting and sends keepalives every third of the hold time ({{holdTime}} / 3); a keepalive of {{value}} cannot be expressed",
    routing: "peer '{{peer}}': sitewire cannot configure {{feature}} on {{platform}}",
    interfaceUnused: "peer '{{peer}}': sitewire writes no outside interface for {{platform}} (IKE is bound to the address); interface {{interface}} would change nothing",
    interfaceMissing: "peer '{{peer}}': {{platform}} needs the outside interface IKE runs on ({{command}}), and no name is safe to assume",
    interfaceName: "peer '{{peer}}': {{interface}} is not a {{platform}} interface name for {{command}}",
    number: "tunnel '{{tunnel}}' on {{peer}}: {{problem}}",
  },
  check({ source, intent, model, platforms }, report) {
    for (const peer of model.peers) {
      const platform = platforms.find((p) => p.name === peer.platform);
      const written = valueAt(intent, ["peers", peer.name, "interface"]);
      if (!platform) {
        // strongSwan and cloud peers: sitewire writes no device configuration that could name an interface.
        if (typeof written === "string")
          report("interfaceUnused", ["peers", peer.name, "interface"], { peer: peer.name, platform: peer.platform, interface: written }, { hint: "remove interface" });
        continue;
      }
      const caps = platform.capabilities;
      checkPeer(peer, platform, typeof written === "string" ? written : undefined, report);
      const tunnels = inFileOrder(source, model.tunnels.filter((t) => t.peer.node === peer.name), (t) => ["tunnels", t.name], "key");
      const names = (t: TunnelModel) => ({ tunnel: t.name, peer: peer.name, platform: platform.title });
      for (const t of tunnels) {
        if (!caps.tunnelKinds.includes(t.kind)) {
          report("kind", ["tunnels", t.name, "kind"], { ...names(t), kind: t.kind, kinds: caps.tunnelKinds.join(" or ") }, { hint: caps.tunnelKinds.includes("ipsec-vti") ? "use kind: ipsec-vti with an inside /30 and a key" : `use kind: ${caps.tunnelKinds[0]}` });
          continue;
        }
        if (!caps.ike.versions.includes(t.peer.ike.version)) {
          const { path, at } = endSetting(intent, t, peer.name, ["ike", "version"]);
          report("version", path, { ...names(t), version: t.peer.ike.version }, { at, hint: `use ike.version ${caps.ike.versions.join(" or ")}` });
        }
        if (t.peer.ike.version === 1 && t.peer.ike.aggressive && !caps.ike.aggressive)
          report("aggressive", ["tunnels", t.name, "ike", "aggressive"], names(t), { hint: "drop aggressive: true (main mode protects the identities)" });
        for (const problem of translateCrypto(t.peer, platform).problems.filter((p) => !p.structural)) {
          const key: IntentPath = [...problem.setting.split("."), ...(problem.index !== undefined ? [problem.index] : [])];
          const { path, at } = endSetting(intent, t, peer.name, key);
          report("crypto", path, { ...names(t), problem: problem.message }, { at, ...(problem.hint ? { hint: problem.hint } : {}) });
        }
        const { mss, mtu } = t.peer;
        const mtuPath = tunnelSetting(intent, t.name, peer.name, ["mtu"]);
        const mtuOut = caps.mtu !== undefined && (mtu < caps.mtu.min || mtu > caps.mtu.max);
        if (caps.mtu && mtuOut)
          report("mtu", mtuPath ?? ["tunnels", t.name], { ...names(t), mtu, min: caps.mtu.min, max: caps.mtu.max }, { at: mtuPath ? "value" : "key", hint: `set mtu between ${caps.mtu.min} and ${caps.mtu.max} (an override for this end: overrides.${peer.name}.mtu)` });
        if ("fromMtu" in caps.mss) {
          // Only an MSS the intent writes for this end can differ from what the platform derives from the MTU.
          const override = ["tunnels", t.name, "overrides", peer.name];
          const mssPath = firstSet(intent, [...override, "mss"]) ?? (firstSet(intent, [...override, "mtu"]) ? undefined : firstSet(intent, ["tunnels", t.name, "mss"]));
          const derived = mtu - caps.mss.fromMtu;
          if (mssPath && mss !== derived && !mtuOut)
            report("mssFixed", mssPath, { ...names(t), mss, overhead: caps.mss.fromMtu, derived }, {
              hint: `drop mss: the device's MSS follows its MTU (${mtu} − ${caps.mss.fromMtu}); for MSS ${mss} set its MTU to ${mss + caps.mss.fromMtu} (overrides.${peer.name}.mtu), or give the host end its own mss (overrides.${t.host.node}.mss)`,
            });
        } else if (!mtuOut && (mss < caps.mss.min || mss > caps.mss.max)) {
          const path = firstSet(intent, ["tunnels", t.name, "overrides", peer.name, "mss"], ["tunnels", t.name, "overrides", peer.name, "mtu"], ["tunnels", t.name, "mss"], ["tunnels", t.name, "mtu"]);
          report("mss", path ?? ["tunnels", t.name], { ...names(t), mss, min: caps.mss.min, max: caps.mss.max }, { at: path ? "value" : "key", hint: `set mss (or mtu) so that the device's MSS is between ${caps.mss.min} and ${caps.mss.max}` });
        }
        const interval = t.monitor.interval;
        const limit = caps.monitor.interval;
        if (!Number.isInteger(interval.seconds) || interval.seconds < limit.min || interval.seconds > limit.max)
          report("interval", ["tunnels", t.name, "monitor", "interval"], { ...names(t), monitor: caps.monitor.name, interval: interval.text, ...limit });
        else if (caps.monitor.timeoutMs) {
          // The probe timeout is in milliseconds and at most the interval (IOS: "cannot be greater than the value
          // specified for the frequency (IP SLA) command", IP SLAs Command Reference, timeout (IP SLA)).
          const timeoutMs = t.monitor.timeout.seconds * 1000;
          const min = caps.monitor.timeoutMs.min;
          if (!Number.isInteger(timeoutMs) || timeoutMs < min || timeoutMs > Math.min(caps.monitor.timeoutMs.max, interval.seconds * 1000))
            report("timeout", firstSet(intent, ["tunnels", t.name, "monitor", "timeout"]) ?? ["tunnels", t.name, "monitor", "interval"], { ...names(t), timeout: t.monitor.timeout.text, interval: interval.text, min: `${min}ms` }, { hint: "set monitor.timeout to at most monitor.interval" });
        }
        const failures = caps.monitor.failures;
        if (failures && (t.monitor.failures < failures.min || t.monitor.failures > failures.max))
          report("failures", firstSet(intent, ["tunnels", t.name, "monitor", "failures"]) ?? ["tunnels", t.name, "monitor"], { ...names(t), failures: t.monitor.failures, ...failures }, { hint: `set monitor.failures between ${failures.min} and ${failures.max}` });
        if (t.bgp && !caps.routing.bgp) report("bgp", ["tunnels", t.name, "bgp"], { ...names(t), feature: "BGP" }, { at: "key", hint: "use static routes (drop bgp) or another platform" });
        else if (t.bgp?.bfd && !caps.routing.bfd) report("bgp", firstSet(intent, ["tunnels", t.name, "bgp", "bfd"]) ?? ["tunnels", t.name, "bgp"], { ...names(t), feature: "BFD" }, { hint: "drop bgp.bfd" });
        if (t.bgp && caps.routing.bgp && caps.routing.bgpTimers) checkBgpTimers(intent, t, caps.routing.bgpTimers, names(t), report);
      }
      if (caps.ike.ikev1Identity === "address" && peer.identity !== peer.address && tunnels.some((t) => t.peer.ike.version === 1))
        report("identity", ["peers", peer.name, "identity"], { peer: peer.name, platform: platform.title, identity: peer.identity, address: peer.address }, { hint: `remove the identity (it defaults to the address) or use IKEv2, where ${platform.title} can send any identity` });
      for (const problem of numberProblems(tunnels.filter((t) => caps.tunnelKinds.includes(t.kind)), platform)) {
        const path = numberSettingPath(intent, problem.tunnel, problem.setting);
        report("number", path, { tunnel: problem.tunnel, peer: peer.name, problem: problem.message }, { at: path.length === 2 ? "key" : "value", hint: problem.hint });
      }
    }
  },
});

type Names = { tunnel: string; peer: string; platform: string };
type Ids = typeof platformExpressible extends { messages: infer M } ? keyof M & string : never;

/** The device itself: its outside interface (named where needed, of the platform's form, used at all) and OSPF. */
function checkPeer(peer: PeerModel, platform: PlatformDeclaration, written: string | undefined, report: Report<Ids>): void {
  const caps = platform.capabilities;
  const at = ["peers", peer.name, "interface"];
  const who = { peer: peer.name, platform: platform.title };
  const outside = caps.outsideInterface;
  if (outside === "not-used") {
    if (written !== undefined) report("interfaceUnused", at, { ...who, interface: written }, { hint: "remove interface" });
  } else if (written === undefined) {
    if (outside.default === "required")
      report("interfaceMissing", ["peers", peer.name], { ...who, command: outside.command }, {
        at: "key",
        hint: `set peers.${peer.name}.interface to the interface that holds ${peer.address}, e.g. ${outside.examples[0]}`,
      });
  } else if (!new RegExp(outside.pattern).test(written))
    report("interfaceName", at, { ...who, interface: written, command: outside.command }, { hint: `name it as ${platform.title} does, e.g. ${outside.examples.join(", ")}` });
  if (peer.ospf && !caps.routing.ospf)
    report("routing", ["peers", peer.name, "routing", "ospf"], { ...who, feature: "OSPF" }, { at: "key", hint: "drop routing.ospf (run BGP over the tunnel, or redistribute the tunnel's static routes on the device yourself)" });
}

/**
 * The tunnel's BGP timers as the platform can write them. Timers that are not whole seconds, or that BGP itself
 * refuses, are SW161's (bgp-timers): only what the platform adds is reported here.
 */
function checkBgpTimers(intent: unknown, t: TunnelModel, timers: BgpTimers, names: Names, report: Report<Ids>): void {
  const { holdTime, keepalive } = t.bgp!;
  if (!Number.isInteger(holdTime.seconds) || !Number.isInteger(keepalive.seconds)) return;
  const base: IntentPath = ["tunnels", t.name, "bgp"];
  const place = (...keys: string[]) => {
    const path = firstSet(intent, ...keys.map((k) => [...base, k]));
    return path ? { path, at: "value" as const } : { path: base, at: "key" as const };
  };
  const hold = timers.holdTime;
  if (holdTime.seconds === 0 ? !hold.zero : holdTime.seconds < hold.min || holdTime.seconds > hold.max) {
    const p = place("holdTime");
    const allowed = `${hold.zero ? "0 or " : ""}${hold.min} to ${hold.max} seconds`;
    report("holdTime", p.path, { ...names, allowed, command: hold.command ?? "hold time", value: holdTime.text }, { at: p.at, hint: `set bgp.holdTime between ${hold.min}s and ${hold.max}s` });
    return;
  }
  if (timers.keepalive === "third-of-hold") {
    const explicit = valueAt(intent, [...base, "keepalive"]) !== undefined;
    if (explicit && keepalive.seconds * 3 !== holdTime.seconds) {
      const p = place("keepalive");
      report("keepaliveFixed", p.path, { ...names, holdTime: holdTime.text, value: keepalive.text }, {
        at: p.at,
        hint: `drop bgp.keepalive (it defaults to a third of the hold time), or set bgp.holdTime: ${keepalive.seconds * 3}s`,
      });
    }
  } else if (keepalive.seconds < timers.keepalive.min || keepalive.seconds > timers.keepalive.max) {
    const p = place("keepalive", "holdTime");
    report("keepalive", p.path, { ...names, min: timers.keepalive.min, max: timers.keepalive.max, command: timers.keepalive.command ?? "keepalive", value: keepalive.text }, {
      at: p.at,
      hint: `set bgp.keepalive between ${timers.keepalive.min}s and ${timers.keepalive.max}s`,
    });
  }
}

/** An explicit monitor id if the intent sets one; otherwise the key it defaults to; otherwise the tunnel. */
function numberSettingPath(intent: unknown, tunnel: string, setting: NumberSetting): IntentPath {
  // The tunnel interface and the numbers derived from it come from `number` when it is set, else from the key.
  if (setting === "number") return firstSet(intent, ["tunnels", tunnel, "number"], ["tunnels", tunnel, "key"]) ?? ["tunnels", tunnel];
  return firstSet(intent, ["tunnels", tunnel, ...setting.split(".")], ["tunnels", tunnel, "key"]) ?? ["tunnels", tunnel];
}
