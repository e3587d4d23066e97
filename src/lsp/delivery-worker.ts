/**
 * The language server's second pass (./analysis.ts deliveryDiagnostics: emit every target, walk every flow) in a
 * worker thread, so a long emit never holds up the server's answers or the next edit's first pass, and an
 * analysis a newer edit has made stale is stopped by ending the worker (./delivery.ts).
 */
import { parentPort } from "node:worker_threads";
import { analyseText, deliveryDiagnostics } from "./analysis.js";

export interface DeliveryJob {
  readonly id: number;
  readonly file: string;
  readonly text: string;
  readonly strict: boolean;
}

parentPort?.on("message", (job: DeliveryJob) => {
  try {
    const first = analyseText(job.file, job.text, job.strict);
    parentPort!.postMessage({ id: job.id, diagnostics: deliveryDiagnostics(first, job.strict) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
