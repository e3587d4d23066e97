/**
 * A minimal LSP client for the tests: spawns the built CLI (`node dist/src/cli/main.js lsp --stdio`) and talks
 * JSON-RPC 2.0 with Content-Length framing over its stdin/stdout, exactly as an editor does
 * (https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#baseProtocol).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));

export interface Message {
  readonly jsonrpc: "2.0";
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: any;
  readonly result?: any;
  readonly error?: { code: number; message: string };
}

interface Received {
  readonly message: Message;
  /** performance.now() when the whole message had arrived. */
  readonly at: number;
}

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly notifications: Received[] = [];
  /** Raw bytes of stdout, to prove nothing but framed messages is written there. */
  readonly raw: Buffer[] = [];
  stderr = "";
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly waiters: { method: string; test: (m: Message) => boolean; resolve: (r: Received) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(cwd = ROOT, args: readonly string[] = ["--stdio"]) {
    this.child = spawn(process.execPath, [MAIN, "lsp", ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString("utf8")));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  private receive(chunk: Buffer): void {
    this.raw.push(chunk);
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString("ascii");
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (!Number.isFinite(length)) throw new Error(`bad header from the server: ${JSON.stringify(header)}`);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message, performance.now());
    }
  }

  private dispatch(message: Message, at: number): void {
    if (message.id !== undefined && message.method === undefined) {
      const p = this.pending.get(message.id as number);
      this.pending.delete(message.id as number);
      if (message.error) p?.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else p?.resolve(message);
      return;
    }
    if (message.id !== undefined && message.method !== undefined) {
      // A request from the server (e.g. window/workDoneProgress/create): answer like a client that accepts it.
      this.write({ jsonrpc: "2.0", id: message.id, result: null });
      return;
    }
    const received = { message, at };
    this.notifications.push(received);
    for (const [i, w] of this.waiters.entries()) {
      if (w.method === message.method && w.test(message)) {
        this.waiters.splice(i, 1);
        w.resolve(received);
        break;
      }
    }
  }

  private write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  async request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    const answer = new Promise<Message>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.write({ jsonrpc: "2.0", id, method, params });
    return (await answer).result;
  }

  notify(method: string, params: unknown): number {
    this.write({ jsonrpc: "2.0", method, params });
    return performance.now();
  }

  /** The first notification `method` (already received or still to come) that passes `test`. */
  waitFor(method: string, test: (m: Message) => boolean = () => true, timeoutMs = 10_000): Promise<Received> {
    const seen = this.notifications.find((r) => r.message.method === method && test(r.message));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ method, test, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  /** The diagnostics published for `uri` at document `version`. */
  diagnostics(uri: string, version: number, timeoutMs?: number): Promise<Received> {
    return this.waitFor("textDocument/publishDiagnostics", (m) => m.params.uri === uri && m.params.version === version, timeoutMs);
  }

  async initialize(rootUri: string, initializationOptions?: unknown): Promise<any> {
    const result = await this.request("initialize", {
      processId: process.pid,
      rootUri,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ["markdown"] } } },
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    });
    this.notify("initialized", {});
    return result;
  }

  async shutdown(): Promise<number | null> {
    await this.request("shutdown", null);
    this.notify("exit", null);
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
