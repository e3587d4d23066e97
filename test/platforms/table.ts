/**
 * The README's far-side platform table, rendered from the registry's capability data (no hand-kept copy):
 * test/platforms/layout.test.ts checks the README holds exactly this.
 */
import type { PlatformDeclaration, Range } from "../../src/platform/contract.js";
import { PLATFORM_DECLARATIONS } from "../../src/targets/platforms.js";

const range = (r: Range, unit = "") => `${r.min}–${r.max}${unit}`;

function row(p: PlatformDeclaration): string {
  const c = p.capabilities;
  const routing = [c.routing.static && (c.routing.tracking ? "static (tracked)" : "static"), c.routing.ospf && "OSPF", c.routing.bgp && "BGP", c.routing.bfd && "BFD"].filter(Boolean).join(", ");
  return [
    `\`${p.name}\``,
    `\`devices/<peer>/${p.artifact.file}\` (${p.artifact.kind})`,
    c.ike.versions.map((v) => `IKEv${v}`).join(", "),
    `${c.tunnelKinds.join(", ")} on \`${c.interfaces.prefix}<n>\`, n ${range(c.interfaces.number)}`,
    `IKE ${range(c.ike.lifetime.ikev2, "s")}, ESP ${range(c.esp.lifetime, "s")}`,
    `every ${range(c.dpd.delay, "s")}, ${c.dpd.retries} retries`,
    `${c.monitor.name}, every ${range(c.monitor.interval, "s")}`,
    routing,
    ipv6(c.ipv6),
  ].join(" | ");
}

/** What sitewire writes of IPv6 on the platform (issue 16; SW210 refuses the rest). */
function ipv6(six: PlatformDeclaration["capabilities"]["ipv6"]): string {
  if (!six.inside) return "none yet";
  const parts = [
    six.ipv6Only ? "inside (IPv6-only too)" : "inside beside IPv4",
    six.dualStack.ikeVersions.length ? `both families in one tunnel (IKEv${six.dualStack.ikeVersions.join("/")}, ${six.dualStack.sas === "one-sa" ? "one SA" : "an SA per family"})` : "",
    six.outer.length ? `IPv6 outer (IKEv${six.outer.join("/")})` : "IPv4 outer only",
    six.bgp ? "BGP IPv6" : "",
  ];
  return parts.filter(Boolean).join(", ");
}

export function platformTable(): string {
  return [
    "| platform | file (kind) | IKE | tunnels | lifetimes | DPD | monitor | routing | IPv6 |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...PLATFORM_DECLARATIONS.map((p) => `| ${row(p)} |`),
  ].join("\n");
}
