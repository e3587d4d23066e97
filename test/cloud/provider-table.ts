/**
 * The README's provider table ("Cloud VPN and BGP"), rendered from src/model/cloud-providers.ts so that the
 * README can never say something the data does not: test/cloud/readme-providers.test.ts checks the README holds
 * exactly this text.
 */
import { CLOUD_PROVIDERS, isConfirmed, type Fact, type ProviderFacts, type Unconfirmed } from "../../src/model/cloud-providers.js";

type Cell = Fact<unknown> | Unconfirmed;

/** A source as a Markdown link when it is a URL, else as code (a file of a provider's repository). */
function source(s: string): string {
  const url = /^https:\/\/[^\s;)]+/.exec(s)?.[0];
  return url ? `[src](${url})` : `src: \`${s.replace(/`/g, "")}\``;
}

function cell(fact: Cell, show: (value: never) => string): string {
  if (!isConfirmed(fact)) return "not checked (no source)";
  return `${show(fact.value as never)} ${source(fact.source)}`;
}

const list = (names: readonly { readonly strongswan: string }[]) => [...new Set(names.map((n) => n.strongswan))].join(", ");
const lifetime = (v: { min: number; max: number; default: number }) =>
  v.min === v.max ? `fixed ${v.min} s` : `${v.min}–${v.max} s (default ${v.default})`;

const ROWS: readonly { readonly what: string; readonly of: (p: ProviderFacts) => string }[] = [
  { what: "gateway (`cloud.gateway`)", of: (p) => cell(p.gateways, (v: string[]) => v.join(", ")) },
  { what: "IKE versions", of: (p) => cell(p.ikeVersions, (v: number[]) => v.map((x) => `v${x}`).join(", ")) },
  { what: "IKE encryption", of: (p) => cell(p.phase1.encryption, list) },
  { what: "IKE integrity", of: (p) => cell(p.phase1.integrity, list) },
  { what: "IKE DH groups", of: (p) => cell(p.phase1.dh, list) },
  { what: "IKE lifetime", of: (p) => cell(p.phase1.lifetimeSeconds, lifetime) },
  { what: "ESP encryption", of: (p) => cell(p.phase2.encryption, list) },
  { what: "ESP integrity", of: (p) => cell(p.phase2.integrity, list) },
  { what: "ESP PFS groups", of: (p) => cell(p.phase2.dh, list) },
  { what: "ESP lifetime", of: (p) => cell(p.phase2.lifetimeSeconds, lifetime) },
  {
    what: "DPD timeout",
    of: (p) =>
      cell(p.dpd.timeoutSeconds, (v: { min?: number; max?: number; default: number }) =>
        `${v.min !== undefined ? `≥ ${v.min} s` : ""}${v.max !== undefined ? ` ≤ ${v.max} s` : ""} (default ${v.default})`.trim(),
      ),
  },
  { what: "inside network", of: (p) => cell(p.inside.within, (v: string[]) => `/${p.inside.prefixLength.value} in ${v.join(", ")}`) },
  { what: "reserved inside blocks", of: (p) => cell(p.inside.reserved, (v: string[]) => (v.length ? v.join(", ") : "none")) },
  {
    what: "provider's inside address",
    of: (p) => cell(p.inside.providerTakes, (v: string) => (v === "first" ? "the first (`insideOrder: peer-first`)" : "either (`insideOrder` free)")),
  },
  { what: "provider ASN (default)", of: (p) => cell(p.bgp.providerDefaultAsn, (v: number) => String(v)) },
  {
    what: "customer ASNs refused",
    of: (p) => cell(p.bgp.reservedAsns, (v: { min: number; max: number; why: string }[]) => (v.length ? v.map((r) => (r.min === r.max ? `${r.min}` : `${r.min}–${r.max}`)).join(", ") : "none")),
  },
  { what: "BGP hold time / keepalive", of: (p) => `${cell(p.bgp.holdTimeSeconds, (v: number) => `${v} s`)} / ${cell(p.bgp.keepaliveSeconds, (v: number) => `${v} s`)}` },
  { what: "tunnels per connection", of: (p) => cell(p.tunnelsPerConnection, (v: number) => String(v)) },
  { what: "static routing", of: (p) => cell(p.staticRouting, (v: boolean) => (v ? "yes" : "no: BGP only")) },
  // IPv6 (issue 16; SW166 checks a tunnel that carries IPv6 or runs over it against these).
  { what: "IPv6 on", of: (p) => cell(p.ipv6.gateways, (v: string[]) => (v.length ? v.join(", ") : "no gateway")) },
  {
    what: "IPv6 inside / both families in one tunnel / IPv6 outer",
    of: (p) => [p.ipv6.inside, p.ipv6.dualStack, p.ipv6.outer].map((f) => cell(f, (v: boolean) => (v ? "yes" : "no"))).join(" / "),
  },
  { what: "IPv6 inside network", of: (p) => (p.ipv6.insideWithin ? cell(p.ipv6.insideWithin, (v: { within: string; prefixLength: number }) => `/${v.prefixLength} in ${v.within}`) : "not checked (no source)") },
];

export function providerTable(): string {
  const providers = Object.values(CLOUD_PROVIDERS);
  const head = `| | ${providers.map((p) => `${p.title} (\`${p.platform}\`)`).join(" | ")} |`;
  const rule = `| --- | ${providers.map(() => "---").join(" | ")} |`;
  const rows = ROWS.map((r) => `| ${r.what} | ${providers.map((p) => r.of(p).replace(/\|/g, "\\|")).join(" | ")} |`);
  return [head, rule, ...rows].join("\n");
}
