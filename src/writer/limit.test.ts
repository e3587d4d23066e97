import { describe, expect, it } from "vitest";
import { limiter } from "./limit.js";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("limiter", () => {
  it("never runs more tasks than it has slots, and runs them all", async () => {
    const limit = limiter(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        limit(async () => {
          running++;
          most = Math.max(most, running);
          for (let n = i % 4; n >= 0; n--) await tick();
          running--;
          return i;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("starts waiting tasks in the order they came, also after the queue ran empty", async () => {
    const limit = limiter(1);
    const started: number[] = [];
    const wave = (from: number) => Promise.all(Array.from({ length: 5 }, (_, i) => limit(async () => void started.push(from + i))));
    await wave(0);
    await wave(10);
    expect(started).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
  });

  it("frees the slot of a task that fails", async () => {
    const limit = limiter(1);
    await expect(limit(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit(async () => "next")).resolves.toBe("next");
  });
});
