/**
 * Real-program checks need tools (iptables, charon, shellcheck, ansible) and root for network namespaces.
 * In CI (CI=true) a missing tool or missing root FAILS the run; elsewhere the test is skipped and the reason
 * is printed loudly, once per tool. Use `needs("iptables-restore", "root")` as the `skipIf` of a describe.
 */
import { execFileSync } from "node:child_process";

const inCI = process.env.CI === "true" || process.env.CI === "1";
const announced = new Set<string>();

function has(tool: string): boolean {
  if (tool === "root") return process.getuid?.() === 0 && canMakeNetns();
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

let netnsOk: boolean | undefined;
function canMakeNetns(): boolean {
  if (netnsOk !== undefined) return netnsOk;
  const name = `swprobe${process.pid}`;
  try {
    execFileSync("ip", ["netns", "add", name], { stdio: "ignore" });
    execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
    netnsOk = true;
  } catch {
    netnsOk = false;
  }
  return netnsOk;
}

/**
 * Returns true when the test must be SKIPPED (for `describe.skipIf(missing(...))`). In CI, throws instead,
 * so the suite fails loudly.
 */
export function missing(...tools: string[]): boolean {
  const absent = tools.filter((t) => !has(t));
  if (absent.length === 0) return false;
  const what = absent.map((t) => (t === "root" ? "root with network namespaces" : t)).join(", ");
  if (inCI) throw new Error(`CI=true but ${what} is missing: .ci/run must install it`);
  if (!announced.has(what)) {
    announced.add(what);
    process.stderr.write(`\n*** SKIPPED real-program checks: ${what} not available here (they run in CI) ***\n`);
  }
  return true;
}
