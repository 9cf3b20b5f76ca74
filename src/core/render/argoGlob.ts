// The globs of Argo CD's `directory.include` / `exclude`, as its glob.Match compiles them (gobwas/glob without
// separators): `*` and `**` match any characters, `/` included; `?` one character; `[abc]`, `[a-z]`, `[!a-z]`;
// `{a,b}` alternatives, which may nest and hold wildcards; `\` escapes. A pattern that does not compile (an
// unclosed `[` or `{`) matches nothing, as there.

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

class Unclosed extends Error {}

/** Translates pattern[from..] up to (not including) a `}` or `,` closing an alternative when `inBraces`. */
function translate(pattern: string, from: number, inBraces: boolean): { source: string; end: number } {
  let source = '';
  let i = from;
  while (i < pattern.length) {
    const c = pattern[i];
    if (inBraces && (c === ',' || c === '}')) return { source, end: i };
    if (c === '*') {
      while (pattern[i + 1] === '*') i += 1;
      source += '.*';
    } else if (c === '?') {
      source += '.';
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) throw new Unclosed();
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^')}]`;
      i = close;
    } else if (c === '{') {
      const alternatives: string[] = [];
      let at = i + 1;
      for (;;) {
        const part = translate(pattern, at, true);
        alternatives.push(part.source);
        at = part.end + 1;
        if (pattern[part.end] === '}') break;
      }
      source += `(?:${alternatives.join('|')})`;
      i = at - 1;
    } else if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      source += pattern[i].replace(REGEX_SPECIAL, '\\$&');
    } else {
      source += c.replace(REGEX_SPECIAL, '\\$&');
    }
    i += 1;
  }
  if (inBraces) throw new Unclosed();
  return { source, end: i };
}

/** Whether `text` matches the Argo CD directory glob `pattern`. */
export function argoGlobMatcher(pattern: string): (text: string) => boolean {
  let regex: RegExp | undefined;
  try {
    regex = new RegExp(`^${translate(pattern, 0, false).source}$`, 's');
  } catch {
    regex = undefined; // unclosed class or alternatives, or a class the RegExp engine refuses
  }
  return (text) => regex?.test(text) ?? false;
}
