import type { IntentPath } from "../intent/source.js";
import { isConfirmed, providerFacts, providerToken, type ProviderFacts } from "../model/cloud-providers.js";
import { containsPrefix, parseCidr } from "../net/ip.js";
import type { Proposal, TunnelModel } from "../model/types.js";
import { firstSet } from "./support/intent-paths.js";
import { defineRule } from "./rule.js";
import { endSetting } from "./compat/blame.js";
import { inFileOrder } from "./support/file-order.js";
import { tunnelSetting, valueAt } from "./support/intent-paths.js";
import { listed } from "./support/text.js";

const ROLES = ["encryption", "integrity", "dh"] as const;

/**
 * A managed cloud gateway (aws-vpn, azure-vpn-gateway, gcp-ha-vpn) is configured through its provider's API,
 * which accepts only what the provider supports (src/model/cloud-providers.ts, each value with its source):
 * the cloud block is required there and meaningless elsewhere; the gateway kind, IKE version, every algorithm
 * of the peer end's proposals (PRFs are not listed by the providers and not checked), the lifetimes (a fixed
 * lifetime is only compared on IKEv1, where it is negotiated) and the DPD timeout and action must be the
 * provider's; a connection has a fixed number of tunnels; tunnels are route-based (inside addresses), and a
 * provider without static routing needs BGP on every tunnel; IPv6 (inside, both families in one tunnel, IPv6 outer
 * addresses, the form of IPv6 inside networks) only where the provider carries it (ProviderFacts.ipv6). Facts marked
 * unconfirmed are not checked.
 */
export const cloudPeer = defineRule({
  code: "SW166",
  name: "cloud-peer",
  description:
    "Cloud peers (aws-vpn, azure-vpn-gateway, gcp-ha-vpn) have a cloud block (and only they do) and use only what the provider supports: gateway, IKE version, algorithms, lifetimes, DPD, tunnels per connection, route-based tunnels, BGP where required.",
  severity: "error",
  messages: {
    missingCloud: "peer '{{peer}}' ({{title}}) has no cloud block (gateway, region)",
    notCloud: "peer '{{peer}}' is a {{platform}} device; a cloud block only applies to aws-vpn, azure-vpn-gateway and gcp-ha-vpn",
    gateway: "peer '{{peer}}': {{title}} attaches to {{gateways}}, not {{gateway}}",
    gatewayMissing: "peer '{{peer}}': {{title}} needs cloud.gateway ({{gateways}})",
    tooMany: "tunnel '{{tunnel}}' is tunnel {{count}} of {{title}} '{{peer}}', which has {{max}} tunnels per connection",
    noInside: "tunnel '{{tunnel}}' to {{title}} '{{peer}}' is policy-based; the provider's tunnels are route-based, over inside addresses",
    bgpOnly: "tunnel '{{tunnel}}' to {{title}} '{{peer}}' has no bgp: the provider routes over its tunnels with BGP only",
    algorithm: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': {{kind}} proposal '{{proposal}}' uses {{algorithms}}, which the provider does not support",
    lifetime: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': {{kind}} lifetime {{lifetime}} is outside what the provider supports ({{range}})",
    dpdTimeout: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': DPD timeout {{timeout}} is outside what the provider supports ({{range}})",
    setting: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': {{setting}} {{value}} is not supported (the provider has {{supported}})",
    ipv6: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': {{what}}",
  },
  check({ source, intent, model }, report) {
    for (const peer of model.peers) {
      const cloudIntent = valueAt(intent, ["peers", peer.name, "cloud"]);
      const facts = providerFacts(peer.platform);
      if (!facts) {
        if (cloudIntent !== undefined) report("notCloud", ["peers", peer.name, "cloud"], { peer: peer.name, platform: peer.platform }, { at: "key", hint: "remove the cloud block" });
        continue;
      }
      const who = { peer: peer.name, title: facts.title };
      const gateways = listed(facts.gateways.value.map(String));
      if (cloudIntent === undefined)
        report("missingCloud", ["peers", peer.name, "platform"], who, { hint: `add cloud: { gateway: ${facts.defaultGateway ?? facts.gateways.value[0]}, region: <region> }` });
      else if (!peer.cloud?.gateway) report("gatewayMissing", ["peers", peer.name, "cloud"], { ...who, gateways }, { at: "key", hint: `add gateway: ${facts.gateways.value.join(" | ")}` });
      else if (!facts.gateways.value.includes(peer.cloud.gateway))
        report("gateway", ["peers", peer.name, "cloud", "gateway"], { ...who, gateways, gateway: peer.cloud.gateway }, { hint: `${facts.gateways.source}` });

      const tunnels = inFileOrder(source, model.tunnels.filter((t) => t.peer.node === peer.name), (t) => ["tunnels", t.name], "key");
      tunnels.forEach((t, i) => {
        const data = { ...who, tunnel: t.name };
        if (i >= facts.tunnelsPerConnection.value)
          report("tooMany", ["tunnels", t.name, "between", 1], { ...data, count: i + 1, max: facts.tunnelsPerConnection.value }, {
            hint: `a second connection is a second peer (with its own address); ${facts.tunnelsPerConnection.source}`,
          });
        if (t.kind === "ipsec-policy")
          report("noInside", ["tunnels", t.name, "kind"], data, { hint: "use kind: ipsec-vti with an inside /30 and a key" });
        else if (!facts.staticRouting.value && !t.bgp && valueAt(intent, ["tunnels", t.name, "bgp"]) === undefined)
          report("bgpOnly", ["tunnels", t.name], data, { at: "key", hint: `add bgp: {} (and routing.bgp on both ends); ${facts.staticRouting.source}` });
        checkCrypto(intent, t, facts, (id, path, extra, options) => report(id, path, { ...data, ...extra }, options));
        checkIpv6(intent, t, facts, peer.cloud?.gateway, (what, path, hint) => report("ipv6", path, { ...data, what }, { hint }));
      });
    }
  },
});

type Id = "setting" | "algorithm" | "lifetime" | "dpdTimeout";
type Sink = (id: Id, path: IntentPath, data: Record<string, string | number>, options: { at?: "key" | "value"; hint?: string }) => void;

function checkCrypto(intent: unknown, t: TunnelModel, facts: ProviderFacts, report: Sink): void {
  const end = t.peer;
  const place = (key: IntentPath) => endSetting(intent, t, end.node, key);
  if (!facts.ikeVersions.value.includes(end.ike.version)) {
    const { path, at } = place(["ike", "version"]);
    report("setting", path, { setting: "IKE version", value: end.ike.version, supported: facts.ikeVersions.value.join(", ") }, { at, hint: facts.ikeVersions.source });
    return;
  }
  for (const [kind, phase, proposals] of [["IKE", 1, end.ike.proposals], ["ESP", 2, end.esp.proposals]] as const) {
    const base = tunnelSetting(intent, t.name, end.node, [kind.toLowerCase(), "proposals"]);
    proposals.forEach((p, i) => {
      const bad = unsupported(facts, phase, p);
      if (!bad.length) return;
      const supported = (phase === 1 ? facts.phase1 : facts.phase2);
      const roles = [...new Set(bad.map((b) => b.role))];
      const hint = roles.map((r) => `${kind} ${r}: ${supported[r].value.map((n) => n.strongswan).filter((v, k, all) => all.indexOf(v) === k).join(", ")}`).join("; ");
      report("algorithm", base ? [...base, i] : ["tunnels", t.name], { kind, proposal: p.text, algorithms: listed(bad.map((b) => b.token)) }, { ...(base ? {} : { at: "key" }), hint: `supported ${hint} (${supported.encryption.source})` });
    });
    const range = (phase === 1 ? facts.phase1 : facts.phase2).lifetimeSeconds;
    const lifetime = phase === 1 ? end.ike.lifetime : end.esp.lifetime;
    if (!isConfirmed(range)) continue;
    const fixed = range.value.min === range.value.max;
    if (fixed && end.ike.version === 2) continue; // IKEv2 does not negotiate lifetimes; the provider's fixed one needs no setting
    if (lifetime.seconds < range.value.min || lifetime.seconds > range.value.max) {
      const { path, at } = place([kind.toLowerCase(), "lifetime"]);
      const text = fixed ? `fixed at ${range.value.min}s` : `${range.value.min}s to ${range.value.max}s`;
      report("lifetime", path, { kind, lifetime: lifetime.text, range: text }, { at, hint: `set ${kind.toLowerCase()}.lifetime: ${Math.min(Math.max(lifetime.seconds, range.value.min), range.value.max)}s (${range.source})` });
    }
  }
  const dpd = facts.dpd.timeoutSeconds;
  if (isConfirmed(dpd)) {
    const { min, max } = dpd.value;
    const s = end.dpd.timeout.seconds;
    if ((min !== undefined && s < min) || (max !== undefined && s > max)) {
      const { path, at } = place(["dpd", "timeout"]);
      const range = min !== undefined && max !== undefined ? `${min}s to ${max}s` : min !== undefined ? `at least ${min}s` : `at most ${max}s`;
      report("dpdTimeout", path, { timeout: end.dpd.timeout.text, range }, { at, hint: `set dpd.timeout: ${Math.min(Math.max(s, min ?? s), max ?? Infinity)}s (${dpd.source})` });
    }
  }
  const actions = facts.dpd.actions;
  if (actions && !actions.value.includes(end.dpd.action)) {
    const { path, at } = place(["dpd", "action"]);
    report("setting", path, { setting: "DPD action", value: end.dpd.action, supported: actions.value.join(", ") }, { at, hint: actions.source });
  }
}

/**
 * IPv6 on a cloud tunnel (ProviderFacts.ipv6): only on the gateways that carry it, inside and outside as the
 * provider supports, both families in one tunnel only where it does, and IPv6 inside networks of the provider's form.
 */
function checkIpv6(intent: unknown, t: TunnelModel, facts: ProviderFacts, gateway: string | undefined, report: (what: string, path: IntentPath, hint: string) => void): void {
  const six = facts.ipv6;
  const carries6 = t.families.includes(6);
  if (!carries6 && t.outerFamily !== 6) return;
  const inside6 = t.inside?.family === 6 ? t.inside : t.inside6;
  const insidePath = firstSet(intent, ["tunnels", t.name, t.inside6 ? "inside6" : "inside"]) ?? ["tunnels", t.name];
  const outerPath: IntentPath = ["tunnels", t.name, "between", 1];
  const where = carries6 ? insidePath : outerPath;
  if (six.gateways.value.length === 0) return report("IPv6 is not supported on this provider's VPN", where, `${six.gateways.source}${six.gateways.note ? `: ${six.gateways.note}` : ""}`);
  if (gateway !== undefined && !six.gateways.value.includes(gateway))
    return report(`IPv6 is not supported on a ${gateway} (only on ${listed([...six.gateways.value])})`, where, `${six.gateways.source}${six.gateways.note ? `: ${six.gateways.note}` : ""}`);
  if (t.outerFamily === 6 && !six.outer.value) report("IPv6 outer addresses are not supported", outerPath, six.outer.source);
  if (carries6 && !six.inside.value) report("IPv6 inside the tunnel is not supported", insidePath, six.inside.source);
  else if (t.families.length === 2 && !six.dualStack.value)
    report("a tunnel carries one family only (IPv4 or IPv6), not both", insidePath, `use a second connection (another peer) for IPv6; ${six.dualStack.source}`);
  const form = six.insideWithin;
  if (inside6 && form) {
    const within = parseCidr(form.value.within).prefix;
    if (inside6.length !== form.value.prefixLength || !containsPrefix(within, inside6))
      report(`IPv6 inside network ${inside6.cidr} is not a /${form.value.prefixLength} from ${form.value.within}`, insidePath, `${form.note ?? ""} (${form.source})`);
  }
}

/** The tokens of a proposal the provider has no name for, by role (identity, not spelling). */
function unsupported(facts: ProviderFacts, phase: 1 | 2, p: Proposal): { token: string; role: (typeof ROLES)[number] }[] {
  return ROLES.flatMap((role) => p[role].filter((token) => providerToken(facts, phase, role, token) === undefined).map((token) => ({ token, role })));
}

