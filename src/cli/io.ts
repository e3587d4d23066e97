/**
 * The CLI's only view of its process: streams, environment and working directory, passed in so commands
 * hold no global state and can run in-process in tests.
 */
import * as util from "node:util";

export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
}

/** Colors only on a terminal, never with --no-color or a non-empty NO_COLOR (https://no-color.org). */
export function colorEnabled(stream: OutStream, env: CliIo["env"], noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export type Style = "red" | "green" | "yellow" | "cyan" | "bold" | "dim";

type StyleText = (format: Style, text: string, options?: { validateStream?: boolean }) => string;

/** util.styleText when the running Node has it (20.12+); plain text otherwise or when color is off. */
export function paint(style: Style, text: string, enabled: boolean): string {
  const styleText = (util as unknown as { styleText?: StyleText }).styleText;
  if (!enabled || !styleText || text === "") return text;
  // The caller already decided about the stream; newer Node would otherwise re-check process.stdout.
  return styleText(style, text, { validateStream: false });
}
