/**
 * The one list of far-side device platforms. Adding a platform: create src/targets/<folder>/ with platform.ts
 * (`export const platform: PlatformDeclaration<"<name>">`, the capability data), index.ts (`export const device:
 * DevicePlatform`, its render function) and templates/<folder>/, then add one line here. The schema's platform
 * list, the model's platform type, the generic rules (SW208 expressible, SW206 DPD range), the devices targets
 * and their artifact kinds, the site README and the Ansible grouping all derive from this list;
 * test/platforms.test.ts fails when a platform lacks its data, renderer, templates, goldens, reader or README row.
 *
 * Only the declarations (data) are imported here, so `sitewire validate` loads no renderer: the devices target
 * (./devices.ts) loads each folder's index.ts by the declaration's `folder`.
 */
import type { PlatformDeclaration } from "../platform/contract.js";
import { platform as fortigate } from "./fortigate/platform.js";
import { platform as ios } from "./ios/platform.js";
import { platform as juniperSrx } from "./juniper-srx/platform.js";
import { platform as paloaltoPanos } from "./paloalto-panos/platform.js";

export const PLATFORMS = [
  ios,
  fortigate,
  juniperSrx,
  paloaltoPanos,
] as const satisfies readonly PlatformDeclaration[];

export const PLATFORM_DECLARATIONS: readonly PlatformDeclaration[] = PLATFORMS;

/** The declaration of a device platform by its intent name; undefined for strongswan and cloud peers. */
export function platformNamed(name: string): PlatformDeclaration | undefined {
  return PLATFORM_DECLARATIONS.find((p) => p.name === name);
}

/** `devices/<peer>/<file>`: where a device's configuration goes. */
export function devicePath(platform: PlatformDeclaration, peer: string): string {
  return `devices/${peer}/${platform.artifact.file}`;
}
