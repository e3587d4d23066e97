import { containsPrefix, overlaps, parseCidr } from "../net/ip.js";
import { customerAsnProblem, isConfirmed, providerFacts, type ProviderFacts, type Range } from "../model/cloud-providers.js";
import type { CloudPlatform, PeerModel, Prefix } from "../model/types.js";
import { defineRule } from "./rule.js";
import { inFileOrder } from "./support/file-order.js";

/**
 * ASNs the provider's own side may have (not yet in src/model/cloud-providers.ts, which has the customer side
 * only; belongs in BgpFacts there). AWS: "a private ASN … 64512 to 65534 for 16-bit ASNs and 4200000000 to
 * 4294967294 for 32-bit ASNs" (amazonSideAsn, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayRequestOptions.html
 * and API_CreateVpnGateway). Google Cloud: a Cloud Router's ASN is a private ASN (RFC 6996),
 * https://cloud.google.com/sdk/gcloud/reference/compute/routers/create. Azure: not checked (any ASN except
 * the reserved ones, which the gateway itself may use: 65515 is its default).
 */
const RFC6996_PRIVATE: readonly Range[] = [
  { min: 64512, max: 65534 },
  { min: 4200000000, max: 4294967294 },
];
const PROVIDER_SIDE_ASNS: Partial<Record<CloudPlatform, readonly Range[]>> = { "aws-vpn": RFC6996_PRIVATE, "gcp-ha-vpn": RFC6996_PRIVATE };

/** "reserved by AWS in eu-west-1" applies in that region only (when the peer names its region). */
function appliesIn(why: string, region: string | undefined): boolean {
  const m = /\bin ([a-z]{2}(?:-[a-z]+)+-\d+)$/.exec(why);
  return !m || region === undefined || m[1] === region;
}

/**
 * The numbers a managed cloud gateway fixes (provider data, src/model/cloud-providers.ts): the customer
 * side's ASN must not be one the provider reserves, the provider side's ASN must be in the provider's range,
 * and each tunnel's inside network must be of the provider's length, within its range and outside its
 * reserved blocks; a provider that takes the first inside address needs insideOrder peer-first. Each family's
 * inside network is judged by that family's form (insideForm): an IPv6 inside (inside6, or an IPv6-only
 * tunnel's inside) by the provider's IPv6 facts, never by its IPv4 /30 rules.
 */
export const cloudNumbers = defineRule({
  code: "SW164",
  name: "cloud-numbers",
  description:
    "ASNs and inside networks of tunnels to a cloud peer follow the provider's rules: customer ASN not reserved, provider ASN in range, inside network of each family of the right length, in range (AWS IPv6: a /126 from fd00::/8), not reserved, and in the provider's address order.",
  severity: "error",
  messages: {
    customerAsn: "host '{{host}}' connects to {{title}} '{{peer}}' with AS {{as}}: {{problem}}",
    providerAsn: "{{title}} '{{peer}}' cannot have AS {{as}}: the provider's side takes a private ASN ({{ranges}})",
    insideLength: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': inside network {{cidr}} is a /{{length}}; the provider takes a /{{expected}}",
    insideRange: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': inside network {{cidr}} is not within {{within}}",
    insideReserved: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': inside network {{cidr}} overlaps {{reserved}}, which the provider reserves",
    insideOrder: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': the provider takes the first inside address, so insideOrder must be peer-first",
  },
  check({ source, model }, report) {
    const customerReported = new Set<string>();
    for (const peer of model.peers) {
      const facts = providerFacts(peer.platform);
      if (!facts) continue;
      const who = { title: facts.title, peer: peer.name };
      const tunnels = inFileOrder(source, model.tunnels.filter((t) => t.peer.node === peer.name), (t) => ["tunnels", t.name], "key");
      providerAsn(peer, facts.platform, (ranges) =>
        report("providerAsn", ["peers", peer.name, "routing", "bgp", "as"], { ...who, as: peer.bgp!.as, ranges }, { hint: `e.g. ${facts.bgp.providerDefaultAsn && isConfirmed(facts.bgp.providerDefaultAsn) ? facts.bgp.providerDefaultAsn.value : 64512}` }),
      );
      for (const t of tunnels) {
        const host = model.hosts.find((h) => h.name === t.host.node);
        if (host?.bgp && !customerReported.has(`${host.name} ${facts.platform}`)) {
          customerReported.add(`${host.name} ${facts.platform}`);
          const reserved = facts.bgp.reservedAsns.value.filter((r) => appliesIn(r.why, peer.cloud?.region));
          const problem = customerAsnProblem({ ...facts, bgp: { ...facts.bgp, reservedAsns: { ...facts.bgp.reservedAsns, value: reserved } } }, host.bgp.as);
          if (problem)
            report("customerAsn", ["hosts", host.name, "routing", "bgp", "as"], { ...who, host: host.name, as: host.bgp.as, problem }, { hint: `pick another private ASN, e.g. 65010 (${facts.bgp.reservedAsns.source})` });
        }
        if (!t.inside) continue;
        const insides: { inside: Prefix; key: string }[] = [{ inside: t.inside, key: "inside" }, ...(t.inside6 ? [{ inside: t.inside6, key: "inside6" }] : [])];
        for (const { inside, key } of insides) {
          const data = { ...who, tunnel: t.name, cidr: inside.cidr };
          const at = ["tunnels", t.name, key];
          const form = insideForm(facts, inside.family);
          // No form: the provider's IPv6 inside rules are not stated, or it has no IPv6 inside at all (SW166 says so).
          if (!form) continue;
          const clash = form.reserved.find((r) => overlaps(r, inside));
          if (inside.length !== form.prefixLength)
            report("insideLength", at, { ...data, length: inside.length, expected: form.prefixLength }, { hint: `use a /${form.prefixLength} (${form.lengthSource})` });
          else if (!form.within.some((w) => containsPrefix(w, inside)))
            report("insideRange", at, { ...data, within: form.within.map((w) => w.cidr).join(" or ") }, { hint: `pick a /${form.prefixLength} from ${form.within.map((w) => w.cidr).join(" or ")} (${form.withinSource})` });
          else if (clash) report("insideReserved", at, { ...data, reserved: clash.cidr }, { hint: `pick another /${form.prefixLength} (${form.reservedSource})` });
        }
        if (facts.inside.providerTakes.value === "first" && t.insideOrder === "host-first")
          report("insideOrder", ["tunnels", t.name, "insideOrder"], { ...who, tunnel: t.name }, { hint: `drop insideOrder (peer-first is the default; ${facts.inside.providerTakes.source})` });
      }
    }
  },
});

/**
 * The form a provider's inside network of a family takes: IPv4 from ProviderFacts.inside, IPv6 from
 * ProviderFacts.ipv6.insideWithin (AWS: a /126 from fd00::/8, transit gateways only; SW166 reports the
 * gateways and providers without IPv6 inside). Undefined where the provider states none for the family.
 */
function insideForm(
  facts: ProviderFacts,
  family: 4 | 6,
): { prefixLength: number; within: Prefix[]; reserved: Prefix[]; lengthSource: string; withinSource: string; reservedSource: string } | undefined {
  if (family === 4) {
    const reserved = facts.inside.reserved;
    return {
      prefixLength: facts.inside.prefixLength.value,
      within: facts.inside.within.value.map((c) => parseCidr(c).prefix),
      reserved: isConfirmed(reserved) ? reserved.value.map((c) => parseCidr(c).prefix) : [],
      lengthSource: facts.inside.prefixLength.source,
      withinSource: facts.inside.within.source,
      reservedSource: isConfirmed(reserved) ? reserved.source : "",
    };
  }
  const form = facts.ipv6.inside.value ? facts.ipv6.insideWithin : undefined;
  if (!form) return undefined;
  return { prefixLength: form.value.prefixLength, within: [parseCidr(form.value.within).prefix], reserved: [], lengthSource: form.source, withinSource: form.source, reservedSource: "" };
}

function providerAsn(peer: PeerModel, platform: CloudPlatform, problem: (ranges: string) => void): void {
  const ranges = PROVIDER_SIDE_ASNS[platform];
  if (!ranges || !peer.bgp) return;
  if (!ranges.some((r) => peer.bgp!.as >= r.min && peer.bgp!.as <= r.max)) problem(ranges.map((r) => `${r.min}-${r.max}`).join(" or "));
}
