/**
 * The two programs the lab writes out and runs, checked as programs: the ip shim (bash -n, and shellcheck
 * where it is installed) and the probe agent (node --check, and one real TCP and UDP exchange on loopback).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AGENT } from "./agent.js";
import { IP_SHIM } from "./ip-shim.js";

const dir = mkdtempSync(join(tmpdir(), "sw-lab-assets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function has(tool: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("the ip shim", () => {
  const path = join(dir, "ip");
  writeFileSync(path, IP_SHIM, { mode: 0o755 });

  it("is valid bash", () => {
    execFileSync("bash", ["-n", path]);
  });

  it.skipIf(!has("shellcheck"))("passes shellcheck", () => {
    execFileSync("shellcheck", ["-s", "bash", path], { encoding: "utf8" });
  });

  it("refuses to run outside a named network namespace", () => {
    let err: { status?: number; stderr?: string } = {};
    try {
      execFileSync(path, ["link", "show"], { encoding: "utf8", stdio: "pipe", env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", SITEWIRE_SHIM_STATE: dir } });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.status).toBe(1);
    expect(err.stderr).toContain("refusing to run outside a named network namespace");
  });
});

describe("the probe agent", () => {
  const path = join(dir, "agent.mjs");
  writeFileSync(path, AGENT);

  it("is valid JavaScript", () => {
    execFileSync(process.execPath, ["--check", path]);
  });

  it("answers a TCP and a UDP probe with the token and the source it saw, and reports a refused port", async () => {
    const tcpPort = 20000 + (process.pid % 20000);
    const udpPort = tcpPort + 1;
    const server = spawn(process.execPath, [path, "serve", JSON.stringify([{ address: "127.0.0.1", protocol: "tcp", port: tcpPort }, { address: "127.0.0.1", protocol: "udp", port: udpPort }])]);
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout.setEncoding("utf8").on("data", (d: string) => (d.includes("ready") ? resolve() : d.startsWith("error") ? reject(new Error(d)) : undefined));
        server.on("exit", () => reject(new Error("the listener exited")));
      });
      const probe = (protocol: string, port: number) =>
        JSON.parse(execFileSync(process.execPath, [path, "probe", JSON.stringify({ protocol, address: "127.0.0.1", port, token: "abc123", timeoutMs: 1000, tries: 2 })], { encoding: "utf8" })) as {
          ok: boolean;
          seenAs?: string;
          error?: string;
        };
      expect(probe("tcp", tcpPort)).toMatchObject({ ok: true, seenAs: "127.0.0.1" });
      expect(probe("udp", udpPort)).toMatchObject({ ok: true, seenAs: "127.0.0.1" });
      const refused = probe("tcp", udpPort);
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatch(/connection refused/);
    } finally {
      server.kill();
    }
  });
});
