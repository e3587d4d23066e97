/**
 * A cap on file operations in flight. Every site's tree is read in parallel, and a file read holds its
 * descriptor until libuv's thread pool reaches it: 1,000 sites × 21 files would hold 21,000 descriptors at
 * once and fail with EMFILE (macOS allows 256 by default, many Linux shells 1,024).
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** At most `slots` tasks run at a time; the others wait in order. */
export function limiter(slots: number): Limiter {
  let running = 0;
  // A queue as an array and a read index: Array#shift is O(n), and 100,000 queued reads made it quadratic.
  let waiting: (() => void)[] = [];
  let head = 0;
  // A finished task hands its slot straight to the next waiter.
  const release = (): void => {
    if (head < waiting.length) {
      const next = waiting[head]!;
      waiting[head++] = undefined as never;
      if (head === waiting.length) (waiting = []), (head = 0);
      next();
    } else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < slots) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
