/**
 * A valid site with `count` route-based tunnels for the language server's timing test: two strongSwan gateways,
 * one Cisco IOS router per tunnel with its own data-centre network, so every tunnel routes its own prefix (no
 * redundant pair, SW165). Deterministic: the same count gives the same text.
 */
export function bigSite(count: number, name = "big"): string {
  const lines = [
    "# yaml-language-server: $schema=../schema/site.schema.json",
    `site: ${name}`,
    "networks:",
    "  vpc: 172.16.0.0/16",
  ];
  for (let i = 0; i < count; i++) lines.push(`  dc${i}: 10.${100 + Math.floor(i / 200)}.${i % 200}.0/24`);
  lines.push(
    "hosts:",
    "  gw-a: { os: debian, address: 172.16.1.10/24, publicAddress: 198.51.100.10 }",
    "  gw-b: { os: debian, address: 172.16.2.10/24, publicAddress: 198.51.100.20 }",
    "peers:",
  );
  for (let i = 0; i < count; i++)
    lines.push(`  r${i}: { platform: cisco-ios, address: 10.${100 + Math.floor(i / 200)}.${i % 200}.1, publicAddress: 203.0.${Math.floor(i / 250)}.${(i % 250) + 1} }`);
  lines.push("tunnels:");
  for (let i = 0; i < count; i++) {
    const inside = 4 * i;
    lines.push(
      `  t${i}:`,
      `    between: [${i % 2 === 0 ? "gw-a" : "gw-b"}, r${i}]`,
      "    ike: { proposals: [aes256-sha256-modp3072] }",
      "    esp: { proposals: [aes256-sha256-modp3072] }",
      `    psk: { env: BIG_T${i}_PSK }`,
      `    inside: 169.254.${Math.floor(inside / 256)}.${inside % 256}/30`,
      `    key: ${i + 1}`,
      `    routes: { toPeer: [dc${i}], toHost: [vpc] }`,
    );
  }
  return lines.join("\n") + "\n";
}
