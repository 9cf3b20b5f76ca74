// Go RE2 patterns (as written in .sops.yaml and in sops metadata) translated to JavaScript RegExps.
// Differences handled: inline flags `(?i)` `(?s)` `(?m)` (leading → RegExp flags; later or scoped
// `(?i:...)` → case-folded character classes, since Node 20 has no inline modifiers), `(?P<name>`,
// `\A`, `\z`, `\Q...\E`, POSIX classes `[[:alpha:]]`. Unsupported RE2 features fail with a clear error.

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

export class GoRegexError extends Error {}

/** Compiles a Go regexp for JavaScript; `context` names where the pattern came from, for errors. */
export function compileGoRegex(pattern: string, context: string): RegExp {
  let flags = '';
  let rest = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(rest);
  if (leading) {
    if (leading[1].includes('U')) throw new GoRegexError(`${context}: the RE2 flag U (ungreedy) has no JavaScript equivalent: ${pattern}`);
    flags = [...new Set(leading[1])].join('');
    rest = rest.slice(leading[0].length);
  }
  const source = translate(rest, flags.includes('i'), pattern, context);
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new GoRegexError(`${context}: invalid regular expression ${pattern}: ${(err as Error).message}`);
  }
}

function translate(pattern: string, globalIgnoreCase: boolean, original: string, context: string): string {
  let out = '';
  // Stack of case-folding scopes opened by (?i:...) groups; a bare (?i) folds until the group closes.
  const foldStack: boolean[] = [false];
  let i = 0;
  const folding = () => !globalIgnoreCase && foldStack[foldStack.length - 1];
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end === -1 ? undefined : end);
        out += [...literal].map((ch) => foldChar(escapeLiteral(ch), ch, folding())).join('');
        i = end === -1 ? pattern.length : end + 2;
      } else if (next === 'A') {
        out += '(?<![\\s\\S])';
        i += 2;
      } else if (next === 'z') {
        out += '(?![\\s\\S])';
        i += 2;
      } else if (next === 'p' || next === 'P') {
        throw new GoRegexError(`${context}: Unicode classes (\\p) are not supported: ${original}`);
      } else {
        out += foldChar(c + next, next, folding() && /[a-zA-Z]/.test(next) && !/[dDwWsSbBntrfv]/.test(next));
        i += 2;
      }
    } else if (c === '[') {
      const [cls, end] = readClass(pattern, i);
      out += folding() ? foldClass(cls) : cls;
      i = end;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const named = /^\(\?P?<([A-Za-z_]\w*)>/.exec(pattern.slice(i));
      const scoped = /^\(\?([imsU-]*):/.exec(pattern.slice(i));
      const bare = /^\(\?([imsU-]+)\)/.exec(pattern.slice(i));
      if (named) {
        out += `(?<${named[1]}>`;
        foldStack.push(foldStack[foldStack.length - 1]);
        i += named[0].length;
      } else if (scoped) {
        out += '(?:';
        foldStack.push(flagFolds(scoped[1], foldStack[foldStack.length - 1], original, context));
        i += scoped[0].length;
      } else if (bare) {
        foldStack[foldStack.length - 1] = flagFolds(bare[1], foldStack[foldStack.length - 1], original, context);
        i += bare[0].length;
      } else {
        out += '(?';
        foldStack.push(foldStack[foldStack.length - 1]);
        i += 2;
      }
    } else if (c === '(') {
      out += c;
      foldStack.push(foldStack[foldStack.length - 1]);
      i += 1;
    } else if (c === ')') {
      out += c;
      if (foldStack.length > 1) foldStack.pop();
      i += 1;
    } else {
      out += foldChar(c, c, folding());
      i += 1;
    }
  }
  return out;
}

function flagFolds(flags: string, current: boolean, original: string, context: string): boolean {
  const [on, off = ''] = flags.split('-');
  if (/[msU]/.test(on + off)) {
    throw new GoRegexError(`${context}: inline flags other than i are only supported at the start of the pattern: ${original}`);
  }
  if (on.includes('i')) return true;
  if (off.includes('i')) return false;
  return current;
}

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

function foldChar(text: string, ch: string, fold: boolean): string {
  if (!fold || ch.toLowerCase() === ch.toUpperCase()) return text;
  return `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
}

/** Reads a bracket class starting at `start`; returns its JavaScript text and the index after it. */
function readClass(pattern: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '^') { out += '^'; i++; }
  if (pattern[i] === ']') { out += '\\]'; i++; }
  while (i < pattern.length && pattern[i] !== ']') {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
    if (posix && POSIX_CLASSES[posix[2]] !== undefined && !posix[1]) {
      out += POSIX_CLASSES[posix[2]];
      i += posix[0].length;
    } else if (pattern[i] === '\\') {
      out += pattern.slice(i, i + 2);
      i += 2;
    } else {
      out += pattern[i] === '[' ? '\\[' : pattern[i];
      i++;
    }
  }
  return [out + ']', i + 1];
}

/** Adds the other case of every letter and letter range of a class. */
function foldClass(cls: string): string {
  const body = cls.slice(1, -1);
  const extra = body.replace(/\\.|([a-zA-Z])-([a-zA-Z])|([a-zA-Z])/g, (_m, a?: string, b?: string, single?: string) => {
    if (a && b) return `${swapCase(a)}-${swapCase(b)}`;
    if (single) return swapCase(single);
    return '';
  });
  return `[${body}${extra}]`;
}

function swapCase(ch: string): string {
  return ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
}
