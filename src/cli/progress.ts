/**
 * Progress of long work on a terminal: one status line on stderr ("sitewire: compiling 37/1000 sites · 2.1 s ·
 * sites/fra-0037.yaml"), redrawn in place, that appears only once the work has taken a second and is erased
 * when it ends. Nothing at all when stderr is not a terminal, with --format json, or with TERM=dumb: logs and
 * machine-read output never see it. Lines printed through `print` go above the status line.
 */
import type { CliIo, OutStream } from "./io.js";

export interface Progress {
  /** Start a phase of the work ("compiling"); `total` items when it counts them, named `unit`. */
  phase(label: string, total?: number, unit?: string): void;
  /** One item of the phase done; `item` is shown beside the count. */
  tick(item?: string): void;
  /** A permanent line (its own newline added): written above the status line. */
  print(line: string): void;
  /** Erase the status line; later calls draw nothing. */
  done(): void;
}

export interface ProgressOptions {
  readonly enabled: boolean;
  /** Work shorter than this shows nothing (default 1000 ms). */
  readonly delayMs?: number;
  /** Redraw at most this often (default 100 ms). */
  readonly intervalMs?: number;
  /** Also redraw on a timer (for phases without ticks, to keep the elapsed time moving). */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

/** Progress only on a terminal, never with --format json or a dumb terminal. */
export function progressEnabled(stream: OutStream, format: string, env: CliIo["env"]): boolean {
  return stream.isTTY === true && format !== "json" && env.TERM !== "dumb";
}

const CLEAR = "\r\u001b[2K";

export function createProgress(stream: OutStream & { readonly columns?: number }, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 1000;
  const interval = options.intervalMs ?? 100;
  const started = now();
  let label = "";
  let total: number | undefined;
  let unit = "";
  let count = 0;
  let item = "";
  let shown = false;
  let lastDraw = -Infinity;
  let finished = !options.enabled;
  let timer: NodeJS.Timeout | undefined;

  const text = () => {
    const seconds = `${((now() - started) / 1000).toFixed(1)} s`;
    const counted = total !== undefined ? ` ${count}/${total}${unit ? ` ${unit}${total === 1 ? "" : "s"}` : ""}` : "";
    const line = [`sitewire: ${label}${counted}`, seconds, ...(item ? [item] : [])].join(" · ");
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  };

  function draw(force = false): void {
    if (finished) return;
    const t = now();
    if (t - started < delay || (!force && t - lastDraw < interval)) return;
    lastDraw = t;
    shown = true;
    stream.write(CLEAR + text());
  }

  return {
    phase(l, t, u = "") {
      if (!finished && options.refreshMs && !timer) {
        timer = setInterval(() => draw(true), options.refreshMs);
        timer.unref();
      }
      label = l;
      total = t;
      unit = u;
      count = 0;
      item = "";
      draw(true);
    },
    tick(i) {
      count++;
      item = i ?? "";
      draw(count === total);
    },
    print(line) {
      if (shown && !finished) stream.write(CLEAR);
      stream.write(`${line}\n`);
      if (shown) draw(true);
    },
    done() {
      if (timer) clearInterval(timer);
      if (shown && !finished) stream.write(CLEAR);
      finished = true;
    },
  };
}
