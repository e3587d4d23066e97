import { describe, expect, it } from "vitest";
import { sourceOf } from "../../test/helpers/source.js";
import { foreignKeyHint } from "./foreign-keys.js";
import { checkShape } from "./shape.js";

describe("hints for keys brought from strongSwan, swanctl and IOS", () => {
  it.each([
    ["leftsubnet", "routes.toHost"],
    ["lefsubnet", "looks like a strongSwan setting 'leftsubnet'"],
    ["rightsubnet", "routes.toPeer"],
    ["keyexchange", "ike.version"],
    ["mark", "the tunnel's key"],
    ["esp_proposals", "a swanctl.conf setting"],
    ["adjust-mss", "an IOS setting"],
  ])("%s → %s", (key, fragment) => expect(foreignKeyHint(key)).toContain(fragment));

  it("stays quiet for unrelated words", () => {
    expect(foreignKeyHint("colour")).toBeUndefined();
  });

  it("is the hint of an unknown key in a tunnel", () => {
    const { source, intent } = sourceOf("site: test\ntunnels:\n  vpn1:\n    lefsubnet: 10.0.0.0/8\n");
    const d = checkShape(source, intent).diagnostics.find((x) => x.code === "SW011");
    expect(d?.message).toBe("unknown key 'lefsubnet' in tunnel 'vpn1'");
    expect(d?.hint).toContain("routes.toHost");
    expect(d?.range?.start).toEqual({ line: 4, column: 5 });
  });
});
