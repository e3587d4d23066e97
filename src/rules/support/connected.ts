/** The networks a host is directly attached to, as the model describes them (both families). */
import { addressBits } from "../../net/ip.js";
import type { HostModel, Prefix } from "../../model/types.js";

export interface ConnectedNetwork {
  readonly device: string;
  readonly network: Prefix;
  /** What put it there, for messages: "address 172.16.1.157/24", "tun0 172.16.0.10/24", "tunnel vpn1". */
  readonly origin: string;
  /** The tunnel or link it belongs to, if any. */
  readonly owner?: string;
}

/**
 * Every address of the host's interface (hosts.<h>.address and address6), interfaces created elsewhere, the
 * inside networks of its route-based tunnels (inside and inside6) and links. A /32 or /128 connects nothing.
 */
export function connectedNetworks(host: HostModel): ConnectedNetwork[] {
  const all: ConnectedNetwork[] = [
    ...host.addresses.map((a) => ({ device: host.interface, network: a.network, origin: `address ${a.cidr}` })),
    ...host.externalInterfaces.map((i) => ({ device: i.device, network: i.address.network, origin: `${i.device} ${i.address.cidr}` })),
    ...host.vtis.flatMap((v) => [
      { device: v.device, network: v.address.network, origin: `tunnel ${v.tunnel}`, owner: v.tunnel },
      ...(v.address6 ? [{ device: v.device, network: v.address6.network, origin: `tunnel ${v.tunnel}`, owner: v.tunnel }] : []),
    ]),
    ...host.ipips.map((l) => ({ device: l.device, network: l.address.network, origin: `link ${l.link}`, owner: l.link })),
  ];
  return all.filter((c) => c.network.length < addressBits(c.network.family));
}
