// The variable expansion kustomize-controller runs over each built object's YAML for `postBuild` (fluxcd/pkg
// envsubst, a fork of drone/envsubst), rewritten here with the same grammar and results, since a field compares
// equal only when it is expanded exactly as the controller expands it:
//   ${name}; ${name:=word} ${name=word} ${name:-word} ${name:+word} ${name:?word} (all give `word` when the
//   value is empty: the fork maps every one of them to "value, else word"); ${#name} (length in bytes);
//   ${name:offset} ${name:offset:length}; ${name,} ${name,,} ${name^} ${name^^}; ${name#glob} ${name##glob}
//   ${name%glob} ${name%%glob}; ${name/text/repl} ${name//text/repl} ${name/#text/repl} ${name/%text/repl}.
// `$$` is a literal `$` (so `$${name}` stays `${name}`); `$name` without braces is left alone; `${name-word}`
// (no colon) is a syntax error there, and here. Words may hold `${...}` themselves.

/** A syntax error: kustomize-controller fails the whole Kustomization with it ("bad substitution", ...). */
export class SubstitutionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubstitutionSyntaxError';
  }
}

/** What a variable is: its value, unset (undefined), or not known yet (UNKNOWN: the expression is kept as written). */
export const UNKNOWN: unique symbol = Symbol('unknown variable');
export type Lookup = (name: string) => string | undefined | typeof UNKNOWN;

export interface Expansion {
  text: string;
  /** Variables used bare or transformed (no word to fall back to) that the lookup left unset: the controller gives "" (strict mode: fails). */
  unset: string[];
  /** Every variable the text refers to. */
  names: string[];
}

type Part = { text: string } | Expression;

interface Expression {
  name: string;
  /** '' for ${name}, 'len' for ${#name}, else the operator as written (':=', '//', '^^', ...). */
  op: string;
  args: Part[];
  /** The expression as written, kept when a variable it uses is UNKNOWN. */
  raw: string;
}

const DEFAULT_OPS = new Set(['=', ':=', ':-', ':+', ':?']);
const isNameChar = (char: string | undefined) => char !== undefined && /^[\p{L}\p{Nd}_]$/u.test(char);

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  /** The whole text: literal runs and expressions. */
  parts(): Part[] {
    const parts: Part[] = [];
    let literal = '';
    while (this.at < this.text.length) {
      if (this.startsExpression()) {
        if (literal) parts.push({ text: literal });
        literal = '';
        parts.push(this.expression());
      } else if (this.text[this.at] === '$' && this.text[this.at + 1] === '$') {
        literal += '$';
        this.at += 2;
      } else {
        literal += this.text[this.at++];
      }
    }
    if (literal) parts.push({ text: literal });
    return parts;
  }

  private startsExpression(): boolean {
    return this.text[this.at] === '$' && this.text[this.at + 1] === '{';
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.at + offset];
  }

  private fail(message: string): never {
    throw new SubstitutionSyntaxError(`${message} at \`${this.text.slice(Math.max(0, this.at - 20), this.at + 20).replace(/\n/g, '\\n')}\``);
  }

  /** After `${`: one expression, through its closing brace. */
  private expression(): Expression {
    const start = this.at;
    this.at += 2;
    const done = (name: string, op: string, args: Part[]): Expression => ({ name, op, args, raw: this.text.slice(start, this.at) });
    if (this.peek() === '#') {
      this.at += 1;
      const name = this.name();
      if (!name) this.fail('bad substitution');
      this.closingBrace();
      return done(name, 'len', []);
    }
    const name = this.name();
    if (!name) this.fail('unable to parse variable name');
    const next = this.peek();
    if (next === ':' && '=-?+'.includes(this.peek(1) ?? 'x')) {
      const op = `:${this.peek(1)}`;
      this.at += 2;
      return done(name, op, this.words());
    }
    if (next === ':') {
      this.at += 1;
      const args = [this.word((char) => char !== ':' && char !== '}', false)];
      if (this.peek() === ':') {
        this.at += 1;
        args.push(this.word((char) => char !== '}', false));
      }
      this.closingBrace();
      return done(name, ':', args);
    }
    if (next === '=') {
      this.at += 1;
      return done(name, '=', this.words());
    }
    if (next === ',' || next === '^') {
      const op = this.run((char, index) => (char === ',' || char === '^') && index < 2);
      this.closingBrace();
      return done(name, op, []);
    }
    if (next === '#' || next === '%') {
      const op = this.run((char, index) => char === next && index < 2);
      const args = [this.word((char) => char !== '}', false)];
      this.closingBrace();
      return done(name, op, args);
    }
    if (next === '/') {
      const op = this.run((char, index) => (index === 0 ? char === '/' : index === 1 && '/#%'.includes(char)));
      const args: Part[] = [this.peek() === '/' ? { text: '' } : this.word((char) => char !== '/', true)];
      if (this.peek() !== '/') this.fail('bad substitution');
      this.at += 1;
      if (this.peek() !== '}') args.push(this.word((char) => char !== '}', true));
      this.closingBrace();
      return done(name, op, args);
    }
    this.closingBrace('missing closing brace');
    return done(name, '', []);
  }

  private name(): string {
    return this.run((char) => isNameChar(char));
  }

  /** The longest run of characters `accept` takes (given its index in the run). */
  private run(accept: (char: string, index: number) => boolean): string {
    const start = this.at;
    while (this.at < this.text.length && accept(this.text[this.at], this.at - start)) this.at += 1;
    return this.text.slice(start, this.at);
  }

  private closingBrace(message = 'bad substitution'): void {
    if (this.peek() !== '}') this.fail(message);
    this.at += 1;
  }

  /** The words of a default operator, through the closing brace. */
  private words(): Part[] {
    const args: Part[] = [];
    while (this.peek() !== '}') args.push(this.word((char) => char !== '}', false));
    this.at += 1;
    return args;
  }

  /**
   * One argument: a nested expression, or the literal run `accept` takes up to the next `${` (with `$$`, `\/`
   * and `\\` unescaped where `escapes`, as in the replace operators). Empty is a syntax error.
   */
  private word(accept: (char: string) => boolean, escapes: boolean): Part {
    if (this.startsExpression()) return this.expression();
    let literal = '';
    while (this.at < this.text.length && !this.startsExpression()) {
      const char = this.text[this.at];
      if (escapes && ((char === '$' && this.peek(1) === '$') || (char === '\\' && (this.peek(1) === '/' || this.peek(1) === '\\')))) {
        literal += this.text[this.at + 1];
        this.at += 2;
        continue;
      }
      if (!accept(char)) break;
      literal += char;
      this.at += 1;
    }
    if (!literal) this.fail('unable to parse substitution within function');
    return { text: literal };
  }
}

/** Expands `text` with `lookup`; throws SubstitutionSyntaxError where the controller's expansion fails. */
export function expand(text: string, lookup: Lookup): Expansion {
  const unset = new Set<string>();
  const names = new Set<string>();
  const evaluate = (part: Part): string | typeof UNKNOWN => {
    if (!('name' in part)) return part.text;
    names.add(part.name);
    const args: string[] = [];
    for (const arg of part.args) {
      const value = evaluate(arg);
      if (value === UNKNOWN) return UNKNOWN;
      args.push(value);
    }
    const value = lookup(part.name);
    if (value === UNKNOWN) return UNKNOWN;
    if (value === undefined && !DEFAULT_OPS.has(part.op)) unset.add(part.name);
    return apply(part.op, value ?? '', args);
  };
  const parts = new Parser(text).parts();
  const expanded = parts.map((part) => {
    const value = evaluate(part);
    return value === UNKNOWN ? (part as Expression).raw : value;
  }).join('');
  return { text: expanded, unset: [...unset], names: [...names] };
}

/** Whether `text` has anything the expansion would change (an expression or a `$$`). */
export function mayExpand(text: string): boolean {
  return text.includes('${') || text.includes('$$');
}

function apply(op: string, value: string, args: string[]): string {
  switch (op) {
    case 'len': return String(Buffer.byteLength(value));
    case ',': return value.slice(0, 1).toLowerCase() + value.slice(1);
    case ',,': return value.toLowerCase();
    case '^': return value.slice(0, 1).toUpperCase() + value.slice(1);
    case '^^': return value.toUpperCase();
    case ':': return substring(value, args);
    case '#': return trimPrefix(value, args[0], 'shortest');
    case '##': return trimPrefix(value, args[0], 'longest');
    case '%': return reverse(trimPrefix(reverse(value), reverse(args[0]), 'shortest'));
    case '%%': return reverse(trimPrefix(reverse(value), reverse(args[0]), 'longest'));
    case '/': return args[1] === undefined ? value.replace(args[0], '') : value.replace(args[0], () => args[1]);
    case '//': return value.split(args[0]).join(args[1] ?? '');
    case '/#': return args.length === 2 && value.startsWith(args[0]) ? args[1] + value.slice(args[0].length) : value;
    case '/%': return args.length === 2 && value.endsWith(args[0]) ? value.slice(0, value.length - args[0].length) + args[1] : value;
    // ${name}, and every default operator: the value, else the words.
    default: return value === '' ? args.join('') : value;
  }
}

const INTEGER = /^[+-]?\d+$/;

/** ${name:offset:length}, in bytes, as bash does (an offset or length that is no number gives the value whole). */
function substring(value: string, args: string[]): string {
  const bytes = Buffer.from(value);
  if (!INTEGER.test(args[0])) return value;
  let start = Number(args[0]);
  if (start < 0) start = Math.max(0, bytes.length + start);
  if (args.length === 1) return start < bytes.length ? bytes.subarray(start).toString() : '';
  if (!INTEGER.test(args[1])) return value;
  const length = Number(args[1]);
  if (length < 0) {
    const end = bytes.length + length;
    return end < start ? '' : bytes.subarray(start, end).toString();
  }
  if (start + length >= bytes.length) return start < bytes.length ? bytes.subarray(start).toString() : '';
  return bytes.subarray(start, start + length).toString();
}

function reverse(text: string): string {
  return [...text].reverse().join('');
}

/** Removes the shortest or longest prefix matching the glob (Go's path.Match); an invalid glob removes nothing. */
function trimPrefix(value: string, pattern: string, which: 'shortest' | 'longest'): string {
  const glob = globRegExp(pattern);
  if (!glob) return value;
  let match = '';
  for (let length = value.length; length >= 1; length -= 1) {
    if (!glob.test(value.slice(0, length))) continue;
    match = value.slice(0, length);
    if (which === 'longest') break;
  }
  return value.slice(match.length);
}

/** Go path.Match as a regular expression: `*` and `?` never match `/`, `[...]` classes (`^` negates), `\` escapes. */
function globRegExp(pattern: string): RegExp | undefined {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\') {
      if (index + 1 >= pattern.length) return undefined;
      source += escapeRegExp(pattern[++index]);
    } else if (char === '[') {
      const end = pattern.indexOf(']', index + 2);
      if (end < 0) return undefined;
      let body = pattern.slice(index + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      index = end;
    } else source += escapeRegExp(char);
  }
  try {
    return new RegExp(`^${source}$`, 'su');
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
