/** The networks a host is directly attached to, as the model describes them. */
import type { HostModel, Prefix } from "../../model/types.js";

export interface ConnectedNetwork {
  readonly device: string;
  readonly network: Prefix;
  /** What put it there, for messages: "address 172.16.1.157/24", "tun0 172.16.0.10/24", "tunnel vpn1". */
  readonly origin: string;
  /** The tunnel or link it belongs to, if any. */
  readonly owner?: string;
}

/** Primary address, interfaces created elsewhere, vti and ipip inside networks. A /32 connects nothing. */
export function connectedNetworks(host: HostModel): ConnectedNetwork[] {
  const all: ConnectedNetwork[] = [
    { device: host.interface, network: host.address.network, origin: `address ${host.address.cidr}` },
    ...host.externalInterfaces.map((i) => ({ device: i.device, network: i.address.network, origin: `${i.device} ${i.address.cidr}` })),
    ...host.vtis.map((v) => ({ device: v.device, network: v.address.network, origin: `tunnel ${v.tunnel}`, owner: v.tunnel })),
    ...host.ipips.map((l) => ({ device: l.device, network: l.address.network, origin: `link ${l.link}`, owner: l.link })),
  ];
  return all.filter((c) => c.network.length < 32);
}
