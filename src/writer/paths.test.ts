import fc from "fast-check";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveInside, WriterError } from "./paths.js";

const segment = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,12}$/).filter((s) => s !== "." && s !== "..");
const rel = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"));
const root = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`),
  // not normalised: a trailing separator, `.` and `..` segments, a relative root
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join("/")}/`),
  fc.array(segment, { minLength: 2, maxLength: 3 }).map((s) => `/${s.join("/./")}/../x`),
  fc.array(segment, { minLength: 1, maxLength: 2 }).map((s) => s.join("/")),
);

describe("resolveInside", () => {
  it("equals path.resolve of the segments, whether or not the root is normalised (the fast path included)", () => {
    fc.assert(
      fc.property(root, rel, (r, p) => {
        expect(resolveInside(r, p)).toBe(resolve(r, ...p.split("/")));
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses what could leave the root, on both paths", () => {
    for (const r of ["/srv/out/site", "/srv/out/site/", "/srv/./out/site"]) {
      for (const bad of ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a/.", "", ".hidden", "a\\b"]) {
        expect(() => resolveInside(r, bad), `${r} + ${bad}`).toThrow(WriterError);
      }
    }
  });
});
