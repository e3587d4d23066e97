/**
 * A small seeded PRNG for the benchmark generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded
 * through splitmix32 so that nearby seeds give unrelated streams. Deterministic on every platform: only 32-bit
 * integer arithmetic (`| 0`, `>>> 0`, Math.imul).
 */
export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** A generator for (seed, stream): each site gets its own stream, so site N is the same in every repo size. */
export function createRng(seed: number, stream = 0): Rng {
  let a = splitmix32(seed);
  let b = splitmix32(a ^ stream);
  let c = splitmix32(b + 0x6a09e667);
  let d = 1;
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32(); // discard the warm-up outputs
  const int = (min: number, max: number): number => min + (uint32() % (max - min + 1));
  return {
    uint32,
    int,
    chance: (p) => uint32() / 0x1_0000_0000 < p,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!,
  };
}
