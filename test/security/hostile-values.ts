/**
 * The hostile corpus: values a pull request could put into any free-text or name field of an intent. Each
 * aims at one of the syntaxes sitewire emits (shell, strongSwan, iptables-restore, nftables, IOS, systemd, sysctl,
 * YAML, Markdown) or at the paths it writes. Every payload is inert if it ever runs: the commands it would start
 * (`sw_injected`) do not exist, and nothing here deletes, kills or writes anything.
 */

export interface HostileValue {
  /** Short stable name, shown in failures and in the reproducer. */
  readonly name: string;
  readonly value: string;
  /**
   * One of the representatives of each kind of attack (line breaks, each quote, each shell metacharacter,
   * keyword lines, paths, NUL, length, look-alikes, keyword names) that go into every field; the others go
   * into the free-text fields, the only ones that reach artifacts as text.
   */
  readonly core?: boolean;
}

/** A command name no system has: if it ever appears as a command in an artifact, something was injected. */
export const INJECTED_COMMAND = "sw_injected";

const line = (tail: string) => `x\n${tail}`;

export const HOSTILE_VALUES: readonly HostileValue[] = [
  // Line breaks of every kind, each followed by a line that would mean something in one of the syntaxes.
  { name: "lf-command", core: true, value: line(`${INJECTED_COMMAND} --now`) },
  { name: "lf-conn", core: true, value: line("conn injected\n  left=%any") },
  { name: "lf-include", value: line("include /etc/shadow") },
  { name: "lf-ios-end", value: line("end\nno crypto isakmp policy 100") },
  { name: "lf-iptables", value: line("-A FORWARD -j ACCEPT") },
  { name: "lf-nft", value: line("flush ruleset") },
  { name: "lf-yaml-doc", value: line("---\nkind: Secret") },
  { name: "cr-conn", core: true, value: "x\rconn injected" },
  { name: "crlf-section", core: true, value: "x\r\n[Service]\r\nExecStartPre=/bin/sw_injected" },
  { name: "vertical-tab", value: "x\u000bconn injected" },
  { name: "form-feed", value: "x\u000cconn injected" },
  { name: "nel-yaml-doc", core: true, value: "x\u0085---\u0085{apiVersion: v1, kind: Namespace, metadata: {name: injected}}\u0085---" },
  { name: "nel-yaml-key", value: "x\u0085injected: true" },
  { name: "line-separator", core: true, value: "x\u2028conn injected" },
  { name: "paragraph-separator", value: "x\u2029conn injected" },
  // Quotes and shell metacharacters.
  { name: "double-quote", core: true, value: 'x" ; injected="y' },
  { name: "single-quote", core: true, value: `x' ; ${INJECTED_COMMAND} '` },
  { name: "backtick", core: true, value: `\`${INJECTED_COMMAND}\`` },
  { name: "command-substitution", core: true, value: `$(${INJECTED_COMMAND})` },
  { name: "arithmetic", value: "$((1+1))" },
  { name: "parameter", value: "${PATH} $HOME $0" },
  { name: "semicolon", core: true, value: `x; ${INJECTED_COMMAND}` },
  { name: "and-and", core: true, value: `x && ${INJECTED_COMMAND}` },
  { name: "or-pipe", value: `x || ${INJECTED_COMMAND} | ${INJECTED_COMMAND}` },
  { name: "redirect", value: "x > /etc/passwd < /dev/null 2>&1" },
  { name: "background", value: `x & ${INJECTED_COMMAND} &` },
  { name: "hash", core: true, value: "x # not a comment" },
  { name: "bang", core: true, value: "! no ip route 0.0.0.0 0.0.0.0" },
  { name: "history-expansion", value: "!! !$ !-1" },
  { name: "percent", core: true, value: "%any %H %n %% %i" },
  { name: "braces", core: true, value: "} injected { x = y" },
  { name: "brace-expansion", value: "{a,b}{c,d}" },
  { name: "glob", value: "* ? [a-z] **" },
  { name: "tilde", value: "~root/.ssh" },
  { name: "backslash-end", core: true, value: "x\\" },
  { name: "backslash-escapes", value: "x\\ny\\t\\\"z\\'" },
  { name: "ios-question", value: "show ?" },
  { name: "iptables-comment-break", value: '" -j ACCEPT -m comment --comment "' },
  { name: "nft-comment-break", value: '" accept; flush ruleset; comment "' },
  { name: "leading-dash", value: "-rf --help" },
  // Lines that mean something on their own, without a line break.
  { name: "conn-line", core: true, value: "conn injected" },
  { name: "include-line", core: true, value: "include /etc/shadow" },
  { name: "yaml-mapping", value: "injected: {a: 1}" },
  { name: "yaml-anchor", value: "&a [*a, *a]" },
  { name: "markdown-html", value: "<!-- <script>alert(1)</script> | a | b |" },
  { name: "placeholder", core: true, value: "@@sitewire-secret:env:HOME@@" },
  { name: "quoted-placeholder", value: '"@@sitewire-secret:env:HOME@@"' },
  // Paths.
  { name: "dotdot", core: true, value: "../../../../etc/passwd" },
  { name: "dotdot-bare", value: ".." },
  { name: "dot", value: "." },
  { name: "absolute", core: true, value: "/etc/passwd" },
  { name: "backslash-path", value: "..\\..\\windows" },
  { name: "slash-name", core: true, value: "a/b" },
  { name: "hidden-file", value: ".ssh" },
  // Characters that are not what they look like, or not characters at all.
  { name: "nul", core: true, value: "x\u0000conn injected" },
  { name: "escape-sequence", core: true, value: "x\u001b[2J\u001b]0;owned\u0007" },
  { name: "c1-csi", value: "x\u009b2J" },
  { name: "delete", value: "x\u007f" },
  { name: "tab", value: "x\ty" },
  { name: "lookalike-cyrillic", core: true, value: "vрn1" },
  { name: "fullwidth", value: "ｖｐｎ１" },
  { name: "zero-width-space", core: true, value: "vpn\u200b1" },
  { name: "bidi-override", value: "x\u202e; txet" },
  { name: "bom", value: "\ufeffvpn1" },
  { name: "lone-surrogate", value: "x\ud800y" },
  { name: "emoji", value: "🙂" },
  // Lengths.
  { name: "empty", core: true, value: "" },
  { name: "space", value: " " },
  { name: "long-201", value: "d".repeat(201) },
  { name: "very-long", core: true, value: "v".repeat(100_000) },
  // Names that pass the name patterns but are keywords somewhere.
  { name: "word-conn", core: true, value: "conn" },
  { name: "word-include", core: true, value: "include" },
  { name: "word-config", value: "config" },
  { name: "word-end", value: "end" },
  { name: "word-exit", value: "exit" },
  { name: "word-all", core: true, value: "all" },
  { name: "word-default", value: "default" },
  { name: "word-no", core: true, value: "no" },
  { name: "word-null", core: true, value: "null" },
  { name: "word-number", core: true, value: "1e3" },
  { name: "word-octal", value: "0o17" },
];

export const CORE_VALUES: readonly HostileValue[] = HOSTILE_VALUES.filter((h) => h.core);
