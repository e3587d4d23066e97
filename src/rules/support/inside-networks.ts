/** The inside networks of route-based tunnels and links: point-to-point networks sitewire addresses itself. */
import type { IntentPath } from "../../intent/source.js";
import type { Prefix, SiteModel } from "../../model/types.js";

export interface InsideNetwork {
  /** "tunnel 'vpn1'" or "link 'vpnnic'", for messages. */
  readonly owner: string;
  readonly prefix: Prefix;
  readonly path: IntentPath;
  /** Hosts the network is configured on. */
  readonly hosts: readonly string[];
}

export function insideNetworks(model: SiteModel): InsideNetwork[] {
  return [
    ...model.tunnels.flatMap((t) =>
      t.kind !== "ipsec-vti" || !t.inside
        ? []
        : [
            { owner: `tunnel '${t.name}'`, prefix: t.inside, path: ["tunnels", t.name, "inside"], hosts: [t.host.node] },
            ...(t.inside6 ? [{ owner: `tunnel '${t.name}'`, prefix: t.inside6, path: ["tunnels", t.name, "inside6"], hosts: [t.host.node] }] : []),
          ],
    ),
    ...model.links.map((l) => ({ owner: `link '${l.name}'`, prefix: l.inside, path: ["links", l.name, "inside"], hosts: [...l.hosts] })),
  ];
}
