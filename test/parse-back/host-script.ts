/**
 * Reads the vti facts back from a host's tunnel script (test-only): the `ip link add … type vti`,
 * `ip addr add … remote … dev` and `ip link set dev … mtu` commands it runs (iproute2 syntax, man ip-link,
 * ip-address). Everything else in the script is ignored.
 */
export interface VtiFacts {
  readonly device: string;
  readonly local: string;
  readonly remote: string;
  readonly key: number;
  readonly address?: string;
  readonly length?: number;
  readonly peer?: string;
  readonly mtu?: number;
}

export function vtiDevices(script: string): VtiFacts[] {
  const devices = new Map<string, VtiFacts>();
  for (const m of script.matchAll(/\bip link add (\S+) type vti local (\S+) remote (\S+) key (\d+)\b/g))
    devices.set(m[1]!, { device: m[1]!, local: m[2]!, remote: m[3]!, key: Number(m[4]) });
  for (const m of script.matchAll(/\bip addr add ([\d.]+)\/(\d+) remote ([\d.]+)\/\d+ dev (\S+)/g)) {
    const d = devices.get(m[4]!);
    if (d) devices.set(d.device, { ...d, address: m[1]!, length: Number(m[2]), peer: m[3]! });
  }
  for (const m of script.matchAll(/\bip link set dev (\S+) mtu (\d+)\b/g)) {
    const d = devices.get(m[1]!);
    if (d) devices.set(d.device, { ...d, mtu: Number(m[2]) });
  }
  return [...devices.values()];
}
