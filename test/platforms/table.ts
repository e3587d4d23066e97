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
  ].join(" | ");
}

export function platformTable(): string {
  return [
    "| platform | file (kind) | IKE | tunnels | lifetimes | DPD | monitor | routing |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...PLATFORM_DECLARATIONS.map((p) => `| ${row(p)} |`),
  ].join("\n");
}
