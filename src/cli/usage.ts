/** Help texts, one per command. Kept as plain text so `--help` output is reviewable in one place. */

export const COMMANDS = ["validate", "compile", "check", "diff", "schema"] as const;
export type CommandName = (typeof COMMANDS)[number];

const COMMON_OPTIONS = `Options:
  --out DIR                    output directory (default: out)
  --strict                     treat warnings (weak crypto, weak keys…) as errors
  --format text|json|github    how to print diagnostics and results (default: text)
  --no-color                   no colors (also when NO_COLOR is set or output is not a terminal)
  -h, --help                   show this help`;

const PATHS = `Paths are site files, directories or globs, relative to the current directory (default: sites/*.yaml).`;

export const TOP_HELP = `sitewire: compile site intent files (sites/<site>.yaml) into device and cluster configuration (out/<site>/)

Usage: sitewire <command> [options] [paths...]

Commands:
  validate [paths...]   check site files; write nothing
  compile  [paths...]   compile and write out/<site>/ (nothing is written if any site has errors)
  check    [paths...]   compare out/ with a fresh compile, for CI (exit 2 on drift)
  diff     [paths...]   show as a unified diff what compile would change
  schema [--write]      print the JSON Schema of site files, or write schema/site.schema.json
  help [command]        show help for a command

${COMMON_OPTIONS}
  --version                    print the version

${PATHS}

Exit codes: 0 ok, 1 invalid input or errors, 2 drift (check), 64 bad command line, 70 internal error.
Run 'sitewire <command> --help' for details.
`;

export const COMMAND_HELP: Readonly<Record<CommandName, string>> = {
  validate: `Usage: sitewire validate [options] [paths...]

Load and check site files (YAML, schema, meaning, both ends of every tunnel) and print every problem.
Nothing is compiled or written.

${COMMON_OPTIONS}

${PATHS}

Exit codes: 0 no errors (warnings allowed), 1 errors found.
`,
  compile: `Usage: sitewire compile [options] [paths...]

Compile every site and write out/<site>/. If any site has errors, nothing at all is written. Only files
that changed are rewritten; files the previous manifest lists but that are no longer produced are removed;
files sitewire does not manage are never touched.

${COMMON_OPTIONS}

${PATHS}

Exit codes: 0 written (or already up to date), 1 errors found or output not writable.
`,
  check: `Usage: sitewire check [options] [paths...]

Compile in memory and compare with out/ (for CI). On drift, print the unified diff and one summary line
per site. Modes are compared as git records them (the executable bit).

${COMMON_OPTIONS}

${PATHS}

Exit codes: 0 out/ is up to date, 1 invalid input, 2 out/ differs (run 'sitewire compile' and commit).
`,
  diff: `Usage: sitewire diff [options] [paths...]

Print what 'sitewire compile' would change, as a unified diff (a/ = on disk, b/ = fresh) on stdout; a
summary per site goes to stderr, so the output can be saved as a patch.

${COMMON_OPTIONS}

${PATHS}

Exit codes: 0 (with or without changes), 1 invalid input.
`,
  schema: `Usage: sitewire schema [--write]

Print the JSON Schema of site files. With --write, write it to schema/site.schema.json (relative to the
current directory) when it changed; editors use it for completion.

Options:
  --write        write schema/site.schema.json instead of printing
  -h, --help     show this help

Exit codes: 0 ok, 1 the file cannot be written.
`,
};
