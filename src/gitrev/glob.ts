/**
 * Matching a path list against the globs users pass for site files, the way globby (fast-glob) matches them
 * on disk: `*` and `?` stay inside one segment, `**` spans segments, `{a,b}` and `[…]` as in the shell, and
 * a wildcard never matches a segment starting with `.` (fast-glob's default `dot: false`). Used for a git
 * revision, where there is no file system to walk.
 */

/** A RegExp matching whole '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  let braces = 0;
  const segments = glob.split("/");
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === "**") {
      // Zero or more whole segments that do not start with a dot.
      out += last ? "(?:(?!\\.)[^/]*(?:/(?!\\.)[^/]*)*)?" : "(?:(?!\\.)[^/]*/)*";
      return;
    }
    // A segment that starts with a wildcard must not match a leading dot.
    if (/^[*?[{]/.test(segment)) out += "(?!\\.)";
    for (let i = 0; i < segment.length; i++) {
      const c = segment[i]!;
      if (c === "\\" && i + 1 < segment.length) out += escape(segment[++i]!);
      else if (c === "*") out += "[^/]*";
      else if (c === "?") out += "[^/]";
      else if (c === "[") {
        const close = segment.indexOf("]", i + 2);
        if (close < 0) out += "\\[";
        else {
          const body = segment.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\");
          out += `[${body}]`;
          i = close;
        }
      } else if (c === "{") {
        braces++;
        out += "(?:";
      } else if (c === "," && braces > 0) out += "|";
      else if (c === "}" && braces > 0) {
        braces--;
        out += ")";
      } else out += escape(c);
    }
    if (!last) out += "/";
  });
  // fast-glob matches nothing for an unbalanced brace (a file with that very name is found as a path, not a glob).
  if (braces > 0) return /(?!)/;
  return new RegExp(`^${out}$`);
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
