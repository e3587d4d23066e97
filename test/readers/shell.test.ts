/** Shell scripts are read by bash itself; shellWords() splits its canonical lines the way the shell quotes. */
import { describe, expect, it } from "vitest";
import { missing } from "../harness/tools.js";
import { readShell, shellWords } from "./shell.js";

describe("shell", () => {
  it("splits words as the shell quotes them; operators and expansions stand as written", () => {
    expect(shellWords(`ensure_addr tunnel1 '169.254.0.2 peer 169.254.0.1/30' ip addr add "a b"\\ c x;`)).toEqual(["ensure_addr", "tunnel1", "169.254.0.2 peer 169.254.0.1/30", "ip", "addr", "add", "a b c", "x", ";"]);
    expect(shellWords(`readonly SYSCTLS=(a b) "$(printf '%s' "$x")" \${y:-z}`)).toEqual(["readonly", "SYSCTLS=", "(", "a", "b", ")", `$(printf '%s' "$x")`, "${y:-z}"]);
    expect(() => shellWords("echo 'x")).toThrow(/unterminated/);
  });

  it.skipIf(missing("bash"))("reads the commands bash parses: comments gone, continued lines joined; refuses what bash -n refuses", () => {
    expect(readShell("# ip link add x\nip link add a \\\n  type vti # c\n")).toEqual(["ip link add a type vti"]);
    expect(() => readShell("if true; then\n")).toThrow(/bash/);
  });
});
