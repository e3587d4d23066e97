import { describe, it, expect } from "vitest";
import { escapeControlChars, formatGithub, formatJson, formatText } from "./format.js";
import type { Diagnostic } from "./diagnostic.js";
import { loadSource } from "../intent/load.js";
import { checkShape } from "../intent/shape.js";

const FILE = "sites/x.yaml";

function at(line: number, column: number, endLine: number, endColumn: number): Diagnostic["range"] {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

const SOURCE = ["site: x", "tunnels:", "  vpn1:", "    inside: 10.0.0.0/24", "    mtu: 70000", ""].join("\n");

const INSIDE: Diagnostic = {
  code: "SW104",
  severity: "error",
  message: "tunnel 'vpn1' inside network 10.0.0.0/24 is not a /30 or /31",
  file: FILE,
  range: at(4, 13, 4, 24),
  hint: "use a /30 such as 10.0.0.0/30",
};
const MTU: Diagnostic = { code: "SW108", severity: "warning", message: "MTU 70000 out of range", file: FILE, range: at(5, 10, 5, 15) };
const SITE: Diagnostic = { code: "SW100", severity: "error", message: "site name does not match", file: FILE, range: at(1, 7, 1, 8) };

const sources = new Map([[FILE, SOURCE]]);

describe("formatText", () => {
  it("prints location, severity, code, message, code frame, hint and a summary, in position order", () => {
    const out = formatText([MTU, INSIDE, SITE], sources, { color: false });
    expect(out).toBe(
      [
        "sites/x.yaml:1:7: error SW100: site name does not match",
        " 1 | site: x",
        "   |       ^",
        "sites/x.yaml:4:13: error SW104: tunnel 'vpn1' inside network 10.0.0.0/24 is not a /30 or /31",
        " 4 |     inside: 10.0.0.0/24",
        "   |             ^~~~~~~~~~~",
        "  hint: use a /30 such as 10.0.0.0/30",
        "sites/x.yaml:5:10: warning SW108: MTU 70000 out of range",
        " 5 |     mtu: 70000",
        "   |          ^~~~~",
        "2 errors, 1 warning in 1 file",
        "",
      ].join("\n"),
    );
  });

  it("prints nothing at all when there is nothing to report", () => {
    expect(formatText([], sources, { color: false })).toBe("");
  });

  it("counts files and singulars in the summary", () => {
    const other = { ...MTU, file: "sites/y.yaml" };
    expect(formatText([MTU, other], new Map(), { color: false }).split("\n").at(-2)).toBe("2 warnings in 2 files");
    expect(formatText([SITE], new Map(), { color: false }).split("\n").at(-2)).toBe("1 error in 1 file");
  });

  it("prints notes (accepted on purpose) as notes and counts them apart from warnings", () => {
    const note: Diagnostic = { ...MTU, severity: "note", message: "weak, accepted on this tunnel (allowWeak): legacy" };
    const out = formatText([note, SITE], sources, { color: false }).split("\n");
    expect(out[3]).toBe("sites/x.yaml:5:10: note SW108: weak, accepted on this tunnel (allowWeak): legacy");
    expect(out.at(-2)).toBe("1 error, 1 note in 1 file");
  });

  it("prints whole-file problems without a position or frame", () => {
    const big: Diagnostic = { code: "SW002", severity: "error", message: "file is 2.0 MiB", file: FILE };
    expect(formatText([big], sources, { color: false })).toBe("sites/x.yaml: error SW002: file is 2.0 MiB\n1 error in 1 file\n");
  });

  it("never prints the source line of a redacted diagnostic", () => {
    const secret: Diagnostic = { ...INSIDE, redact: true };
    const out = formatText([secret], sources, { color: false });
    expect(out).not.toContain("10.0.0.0/24 \n");
    expect(out.split("\n")).toEqual([
      "sites/x.yaml:4:13: error SW104: tunnel 'vpn1' inside network 10.0.0.0/24 is not a /30 or /31",
      "  hint: use a /30 such as 10.0.0.0/30",
      "1 error in 1 file",
      "",
    ]);
  });

  it("keeps tabs in the caret line so it stays aligned", () => {
    const text = "a:\n\tb:\t[x, y]\n";
    const d: Diagnostic = { ...SITE, range: at(2, 5, 2, 11) };
    const lines = formatText([d], new Map([[FILE, text]]), { color: false }).split("\n");
    expect(lines.slice(1, 3)).toEqual([" 2 | \tb:\t[x, y]", "   | \t  \t^~~~~~"]);
  });

  it("escapes control characters in source lines, messages and hints, and aligns the caret after them", () => {
    const text = 'a: "\u001b[31mred"  x\r\n';
    const d: Diagnostic = { ...SITE, message: "bad\nline", hint: "beware \u202e", range: at(1, 15, 1, 16) };
    const out = formatText([d], new Map([[FILE, text]]), { color: false });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    expect(out.split("\n")).toEqual([
      "sites/x.yaml:1:15: error SW100: bad\\nline",
      ' 1 | a: "\\u001b[31mred"  x',
      "   |                    ^",
      "  hint: beware \\u202e",
      "1 error in 1 file",
      "",
    ]);
  });

  it("underlines to the end of the line when the range spans lines, and strips a BOM", () => {
    const text = "\uFEFFhosts:\n  a: 1\n";
    const d: Diagnostic = { ...SITE, range: at(1, 1, 2, 7) };
    expect(formatText([d], new Map([[FILE, text]]), { color: false }).split("\n").slice(1, 3)).toEqual([" 1 | hosts:", "   | ^~~~~~"]);
  });

  it("shows a window of very long lines, with the caret still under the range", () => {
    const text = `a: [${"x, ".repeat(200)}bad, ${"y, ".repeat(200)}z]\n`;
    const column = text.indexOf("bad") + 1;
    const d: Diagnostic = { ...SITE, range: at(1, column, 1, column + 3) };
    const [, source, caret] = formatText([d], new Map([[FILE, text]]), { color: false }).split("\n");
    expect(source?.length).toBeLessThan(180);
    expect(source).toMatch(/^ 1 \| … ?x, .*…$/);
    expect(source?.slice(caret?.indexOf("^"), (caret?.indexOf("^") ?? 0) + 3)).toBe("bad");
    expect(caret).toMatch(/\^~~$/);
  });

  it("colors severity and location only when asked", () => {
    const colored = formatText([INSIDE, MTU], sources, { color: true });
    expect(colored).toContain("\u001b[31m");
    expect(colored).toContain("\u001b[33m");
    expect(colored).toContain("\u001b[1msites/x.yaml:4:13");
    expect(formatText([INSIDE, MTU], sources, { color: false })).not.toContain("\u001b");
  });
});

describe("formatJson", () => {
  it("prints sorted records with only the fields present, newline-terminated", () => {
    const big: Diagnostic = { code: "SW002", severity: "error", message: "too large", file: "sites/a.yaml" };
    const out = formatJson([MTU, big]);
    expect(out.endsWith("}\n")).toBe(true);
    expect(JSON.parse(out)).toEqual({
      diagnostics: [
        { code: "SW002", severity: "error", message: "too large", file: "sites/a.yaml" },
        { code: "SW108", severity: "warning", message: "MTU 70000 out of range", file: FILE, line: 5, column: 10, endLine: 5, endColumn: 15 },
      ],
    });
    expect(Object.keys(JSON.parse(out).diagnostics[1])).toEqual(["code", "severity", "message", "file", "line", "column", "endLine", "endColumn"]);
    expect(formatJson([])).toBe('{"diagnostics":[]}\n');
  });
});

describe("formatGithub", () => {
  it("prints workflow commands with GitHub's escaping", () => {
    const d: Diagnostic = {
      code: "SW104",
      severity: "error",
      message: "100% wrong,\r\nreally: yes",
      file: "sites/a,b:c.yaml",
      range: at(4, 13, 4, 24),
      hint: "fix it",
    };
    expect(formatGithub([d, MTU])).toBe(
      [
        "::error file=sites/a%2Cb%3Ac.yaml,line=4,col=13,endLine=4,endColumn=24,title=SW104::100%25 wrong,\\r\\nreally: yes%0Ahint: fix it",
        "::warning file=sites/x.yaml,line=5,col=10,endLine=5,endColumn=15,title=SW108::MTU 70000 out of range",
        "",
      ].join("\n"),
    );
    expect(formatGithub([])).toBe("");
  });

  it("prints a note as a notice annotation (GitHub has no 'note' command)", () => {
    expect(formatGithub([{ ...MTU, severity: "note" }])).toBe("::notice file=sites/x.yaml,line=5,col=10,endLine=5,endColumn=15,title=SW108::MTU 70000 out of range\n");
  });

  it("omits position properties for whole-file problems", () => {
    const big: Diagnostic = { code: "SW002", severity: "error", message: "too large", file: FILE };
    expect(formatGithub([big])).toBe("::error file=sites/x.yaml,title=SW002::too large\n");
  });
});

describe("secrets never reach any output", () => {
  it("a pasted psk is SW017 and its value appears in no format", () => {
    const secret = "hunter2-Correct-Horse";
    const text = [
      "site: x",
      "tunnels:",
      "  vpn1:",
      "    between: [gw, dc]",
      "    ike: { proposals: [aes256-sha256-modp3072], lifetime: 8 }",
      "    esp: { proposals: [aes256-sha256-modp3072] }",
      `    psk: ${secret}`,
      `    overrides: { dc: { psk: { env: ${secret} } }, gw: { psk: "${secret}", mtu: x } }`,
      "",
    ].join("\n");
    const loaded = loadSource(FILE, text);
    expect(loaded.diagnostics).toEqual([]);
    if (!loaded.source) throw new Error("not loaded");
    const { diagnostics } = checkShape(loaded.source, loaded.data);
    expect(diagnostics.map((d) => `${d.code}@${d.range?.start.line}:${d.range?.start.column}`)).toEqual([
      "SW013@5:59",
      "SW017@7:5",
      "SW014@8:36",
      "SW017@8:69",
      "SW013@8:104",
    ]);
    expect(diagnostics.filter((d) => d.range?.start.line !== 5).every((d) => d.redact)).toBe(true);
    const outputs = [
      formatText(diagnostics, new Map([[FILE, text]]), { color: false }),
      formatText(diagnostics, new Map([[FILE, text]]), { color: true }),
      formatJson(diagnostics),
      formatGithub(diagnostics),
    ];
    for (const out of outputs) {
      expect(out).not.toContain("hunter2");
      expect(out).toContain("SW017");
    }
  });

  it("a syntax error on a psk line is not echoed either", () => {
    const text = 'site: x\ntunnels:\n  vpn1:\n    psk: "hunter2\n';
    const loaded = loadSource(FILE, text);
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(["SW003"]);
    expect(formatText(loaded.diagnostics, new Map([[FILE, text]]), { color: false })).not.toContain("hunter2");
  });
});

describe("escapeControlChars", () => {
  it("escapes controls, separators, bidi overrides and lone surrogates, and keeps the rest", () => {
    expect(escapeControlChars("a\tb\nc\u0000\u007f\u0085\u2028\u202e\u2066\ud800 é 🙂")).toBe(
      "a\\tb\\nc\\u0000\\u007f\\u0085\\u2028\\u202e\\u2066\\ud800 é 🙂",
    );
  });
});
