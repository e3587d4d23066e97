/**
 * The target of a far-side device platform: one configuration per peer of that platform with tunnels, at
 * `devices/<peer>/<file>`, rendered by the platform's own render function. Every registered platform gets one
 * (src/targets/registry.ts), named after its folder (the manifest's `target`).
 *
 * The renderers are loaded once, from each declaration's folder (src/targets/<folder>/index.ts exports
 * `device`, ./device-modules.ts), so the registry of declarations stays data and `validate` never loads a renderer.
 */
import type { DevicePlatform } from "../platform/contract.js";
import { DEVICE_MODULES } from "./device-modules.js";
import { BY_HAND } from "./kinds.js";
import { PLATFORM_DECLARATIONS, devicePath } from "./platforms.js";
import type { Artifact, Target } from "./target.js";

export function deviceTarget(d: DevicePlatform): Target {
  const { platform } = d;
  return {
    name: platform.folder,
    description: `${platform.title} configuration per ${platform.name} peer`,
    // Applied on the device by hand / the operator's change process; sitewire never logs in.
    kinds: { [platform.artifact.kind]: { text: platform.artifact.text, handler: "none", mode: 0o644, appliedBy: BY_HAND } },
    emit(site): Artifact[] {
      return site.peers
        .filter((p) => p.platform === platform.name && p.tunnels.length > 0)
        .map((peer) => ({ path: devicePath(platform, peer.name), content: d.render(site, peer), mode: 0o644, kind: platform.artifact.kind, device: peer.name }));
    },
  };
}

/** Every registered platform's device (declaration + render), from its folder's index.ts (./device-modules.ts). */
export const DEVICES: readonly DevicePlatform[] = PLATFORM_DECLARATIONS.map((platform) => {
  const { device } = (DEVICE_MODULES[platform.folder] ?? {}) as { device?: DevicePlatform };
  if (device?.platform !== platform) throw new Error(`internal: src/targets/${platform.folder}/index.ts must export \`device\` with the platform of ./platform.ts`);
  return device;
});
