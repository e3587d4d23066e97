/**
 * Runs the second pass (./delivery-worker.ts) for the open files, one at a time, in one worker thread. Only the
 * newest request of a file counts: an older one still waiting is dropped, and one already running is stopped
 * (the worker is ended and a fresh one started), so a burst of edits never queues emits.
 */
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { DeliveryJob } from "./delivery-worker.js";

type Outcome = { readonly diagnostics: Diagnostic[] } | { readonly error: string } | { readonly stale: true };

interface Queued {
  readonly key: string;
  readonly job: DeliveryJob;
  readonly done: (outcome: Outcome) => void;
}

export class DeliveryRunner {
  private worker: Worker | undefined;
  private running: Queued | undefined;
  private readonly waiting: Queued[] = [];
  private nextId = 1;

  constructor(private readonly log: (text: string) => void) {}

  /** The deliverability diagnostics of `text`, or { stale } when a newer request for `key` replaced this one. */
  run(key: string, file: string, text: string, strict: boolean): Promise<Outcome> {
    this.cancel(key);
    return new Promise((done) => {
      this.waiting.push({ key, job: { id: this.nextId++, file, text, strict }, done });
      this.next();
    });
  }

  /** Drop the waiting request of `key` and stop its running one. */
  cancel(key: string): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const q = this.waiting[i]!;
      if (q.key !== key) continue;
      this.waiting.splice(i, 1);
      q.done({ stale: true });
    }
    if (this.running?.key === key) this.stopRunning();
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private stopRunning(): void {
    const stale = this.running;
    this.running = undefined;
    this.close();
    stale?.done({ stale: true });
    this.next();
  }

  private next(): void {
    if (this.running || this.waiting.length === 0) return;
    const queued = this.waiting.shift()!;
    this.running = queued;
    this.ensureWorker().postMessage(queued.job);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // stdout: true keeps the worker's output off the server's stdout (the protocol); it goes to stderr.
    const worker = new Worker(new URL("./delivery-worker.js", import.meta.url), { stdout: true });
    worker.stdout.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    worker.unref();
    worker.on("message", (m: { id: number; diagnostics?: Diagnostic[]; error?: string }) => {
      const r = this.running;
      if (!r || r.job.id !== m.id) return;
      this.running = undefined;
      r.done(m.error !== undefined ? { error: m.error } : { diagnostics: m.diagnostics ?? [] });
      this.next();
    });
    worker.on("error", (err) => {
      this.log(`sitewire: the deliverability worker failed: ${err.message}`);
      if (this.worker === worker) this.worker = undefined;
      const r = this.running;
      this.running = undefined;
      r?.done({ error: err.message });
      this.next();
    });
    this.worker = worker;
    return worker;
  }
}
