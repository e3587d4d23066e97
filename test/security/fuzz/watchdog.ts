/**
 * A hang guard for synchronous loops. The compiler is synchronous, so a hang inside it blocks the test's own
 * timers; a worker thread watches a progress counter instead, and when it stops moving for `hangMs` it writes
 * the input being processed to a file, says where on stderr, and kills the test process (vitest then reports
 * the file as failed). The input is shared through a SharedArrayBuffer, so recording it costs a copy.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

const CAPACITY = 16 * 1024 * 1024;

const WATCHER = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const progress = new Int32Array(workerData.progress);
const bytes = new Uint8Array(workerData.input);
let last = -1;
for (;;) {
  Atomics.wait(progress, 1, 0, workerData.hangMs);
  if (Atomics.load(progress, 1) === 1) break;
  const now = Atomics.load(progress, 0);
  if (now === last) {
    const length = Atomics.load(progress, 2);
    fs.writeFileSync(workerData.file, bytes.subarray(0, length));
    fs.writeSync(2, "\\n*** fuzz watchdog: input " + now + " ran over " + workerData.hangMs + " ms; it is in " + workerData.file + " ***\\n");
    process.kill(process.pid, "SIGKILL");
  }
  last = now;
}
`;

export class Watchdog {
  private readonly progress = new Int32Array(new SharedArrayBuffer(12));
  private readonly input = new Uint8Array(new SharedArrayBuffer(CAPACITY));
  private readonly worker: Worker;
  private readonly encoder = new TextEncoder();
  readonly file = join(tmpdir(), `sitewire-fuzz-hang-${process.pid}.yaml`);

  constructor(hangMs: number) {
    this.worker = new Worker(WATCHER, { eval: true, workerData: { progress: this.progress.buffer, input: this.input.buffer, hangMs, file: this.file } });
    this.worker.unref();
  }

  /** Call before processing each input. */
  next(text: string): void {
    const { written } = this.encoder.encodeInto(text.slice(0, CAPACITY / 4), this.input);
    Atomics.store(this.progress, 2, written);
    Atomics.add(this.progress, 0, 1);
  }

  async stop(): Promise<void> {
    Atomics.store(this.progress, 1, 1);
    Atomics.notify(this.progress, 1);
    await this.worker.terminate();
  }
}
