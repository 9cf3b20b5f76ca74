// A small Go text/template, enough for Argo CD ApplicationSet templates with `goTemplate: true`: field chains
// (`.path.basename`, `$.x`, `$var`), pipelines, parentheses, `if`/`else if`/`else`, `range`, `with`, variables,
// `{{-`/`-}}` trimming, comments, Go's builtins (`and or not eq ne lt le gt ge len index print printf`) and the
// sprig functions real ApplicationSets use (`default lower upper title replace trimPrefix trimSuffix trim quote
// squote toYaml toJson nindent indent contains hasPrefix hasSuffix splitList join list dict empty coalesce
// ternary regexReplaceAll b64enc b64dec toString int add sub get hasKey first last`), plus Argo CD's own
// `normalize`, `slugify`, `fromYaml`. No npm library implements Go templates with sprig (only wrappers of a Go
// binary), hence this one. `missingkey=error` makes a missing map key an error; by default it prints `<no value>`.
import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface GoTemplateOptions {
  /** `goTemplateOptions: ["missingkey=error"]`. */
  missingKeyError?: boolean;
  /** Action delimiters, as Go's `Delims` sets them (Flux Operator ResourceSets use `<<` `>>`); default `{{` `}}`. */
  delimiters?: { left: string; right: string };
  /** Functions of the caller (Flux Operator's `inputs`), taking precedence over the built-in ones. */
  functions?: Record<string, TemplateFunction>;
}

type Token =
  | { kind: 'string' | 'number' | 'bool' | 'nil'; value: unknown }
  | { kind: 'field'; chain: string[] }
  | { kind: 'variable'; name: string; chain: string[] }
  /** A function, with the fields of its result when written `fn.field` (Go's chain node). */
  | { kind: 'ident'; name: string; chain?: string[] }
  | { kind: 'punct'; value: '|' | '(' | ')' | ':=' | '=' | ',' };

type Operand = Token | { kind: 'pipe'; pipe: Pipeline; chain: string[] };
interface Command { operands: Operand[] }
interface Pipeline { declare?: string[]; assign?: boolean; commands: Command[] }

type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipeline }
  | { type: 'if' | 'with'; pipe: Pipeline; then: Node[]; otherwise: Node[] }
  | { type: 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

const NO_VALUE = Symbol('no value');

function lexAction(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const chainAt = (): string[] => {
    const chain: string[] = [];
    while (source[i] === '.' && /[A-Za-z_]/.test(source[i + 1] ?? '')) {
      const match = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(source.slice(i))!;
      chain.push(match[1]);
      i += match[0].length;
    }
    return chain;
  };
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '"') {
      const match = /^"(?:[^"\\]|\\.)*"/.exec(source.slice(i));
      if (!match) throw new TemplateError(`unterminated quoted string in {{${source}}}`);
      tokens.push({ kind: 'string', value: JSON.parse(match[0].replace(/\\'/g, "'")) });
      i += match[0].length;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) throw new TemplateError(`unterminated raw string in {{${source}}}`);
      tokens.push({ kind: 'string', value: source.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '.') {
      if (/[A-Za-z_]/.test(source[i + 1] ?? '')) tokens.push({ kind: 'field', chain: chainAt() });
      else { tokens.push({ kind: 'field', chain: [] }); i += 1; }
    } else if (c === '$') {
      const match = /^\$[A-Za-z0-9_]*/.exec(source.slice(i))!;
      i += match[0].length;
      tokens.push({ kind: 'variable', name: match[0], chain: chainAt() });
    } else if (source.startsWith(':=', i)) {
      tokens.push({ kind: 'punct', value: ':=' }); i += 2;
    } else if ('|(),='.includes(c)) {
      tokens.push({ kind: 'punct', value: c as '|' }); i += 1;
      if (c === ')' && source[i] === '.') {
        // `(pipeline).field`: kept as a chain on the parenthesized operand by the parser.
        tokens.push({ kind: 'field', chain: ['\u0000', ...chainAt()] });
      }
    } else if (/[-+0-9]/.test(c)) {
      const match = /^[-+]?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:e[-+]?\d+)?)/.exec(source.slice(i));
      if (!match) throw new TemplateError(`bad number in {{${source}}}`);
      tokens.push({ kind: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      i += match[0].length;
      if (match[0] === 'true' || match[0] === 'false') tokens.push({ kind: 'bool', value: match[0] === 'true' });
      else if (match[0] === 'nil') tokens.push({ kind: 'nil', value: null });
      else {
        const chain = chainAt();
        tokens.push({ kind: 'ident', name: match[0], ...(chain.length > 0 ? { chain } : {}) });
      }
    } else {
      throw new TemplateError(`unexpected "${c}" in {{${source}}}`);
    }
  }
  return tokens;
}

function parsePipeline(tokens: Token[], source: string): Pipeline {
  let position = 0;
  const pipeline: Pipeline = { commands: [] };
  // `$x := ...`, `$i, $v := ...`, `$x = ...`
  const declaration = tokens.findIndex((token) => token.kind === 'punct' && (token.value === ':=' || token.value === '='));
  if (declaration > 0 && tokens.slice(0, declaration).every((token) => token.kind === 'variable' || (token.kind === 'punct' && token.value === ','))) {
    pipeline.declare = tokens.slice(0, declaration).filter((token) => token.kind === 'variable').map((token) => (token as { name: string }).name);
    pipeline.assign = (tokens[declaration] as { value: string }).value === '=';
    position = declaration + 1;
  }
  function parseCommands(stopAtParen: boolean): Command[] {
    const commands: Command[] = [];
    let operands: Operand[] = [];
    while (position < tokens.length) {
      const token = tokens[position];
      if (token.kind === 'punct' && token.value === ')') {
        if (!stopAtParen) throw new TemplateError(`unexpected ")" in {{${source}}}`);
        break;
      }
      position += 1;
      if (token.kind === 'punct' && token.value === '|') {
        if (operands.length === 0) throw new TemplateError(`missing command before "|" in {{${source}}}`);
        commands.push({ operands });
        operands = [];
      } else if (token.kind === 'punct' && token.value === '(') {
        const inner: Pipeline = { commands: parseCommands(true) };
        if (tokens[position]?.kind !== 'punct' || (tokens[position] as { value: string }).value !== ')') throw new TemplateError(`unclosed "(" in {{${source}}}`);
        position += 1;
        let chain: string[] = [];
        const next = tokens[position];
        if (next?.kind === 'field' && next.chain[0] === '\u0000') { chain = next.chain.slice(1); position += 1; }
        operands.push({ kind: 'pipe', pipe: inner, chain });
      } else if (token.kind === 'punct') {
        throw new TemplateError(`unexpected "${token.value}" in {{${source}}}`);
      } else {
        operands.push(token);
      }
    }
    if (operands.length > 0) commands.push({ operands });
    else if (commands.length > 0) throw new TemplateError(`missing command after "|" in {{${source}}}`);
    return commands;
  }
  pipeline.commands = parseCommands(false);
  if (position < tokens.length) throw new TemplateError(`unexpected ")" in {{${source}}}`);
  if (pipeline.commands.length === 0) throw new TemplateError(`missing value in {{${source}}}`);
  return pipeline;
}

function parseTemplate(text: string, left: string, right: string): Node[] {
  const root: Node[] = [];
  type Frame = { node: Extract<Node, { type: 'if' | 'with' | 'range' }>; inElse: boolean; list: Node[]; elseIfDepth: number };
  const stack: Frame[] = [];
  const current = (): Node[] => (stack.length === 0 ? root : stack[stack.length - 1].list);
  let i = 0;
  let trimNext = false;
  while (i < text.length) {
    const open = text.indexOf(left, i);
    let chunk = open < 0 ? text.slice(i) : text.slice(i, open);
    if (trimNext) chunk = chunk.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) { if (chunk) current().push({ type: 'text', text: chunk }); break; }
    let start = open + left.length;
    if (text.startsWith('- ', start) || text.startsWith('-\t', start) || text.startsWith('-\n', start)) { chunk = chunk.replace(/\s+$/, ''); start += 1; }
    if (chunk) current().push({ type: 'text', text: chunk });
    const close = text.indexOf(right, start);
    if (close < 0) throw new TemplateError(`unclosed action: ${text.slice(open, open + 40)}`);
    let end = close;
    if (/\s-$/.test(text.slice(start, close))) { end = close - 1; trimNext = true; }
    const source = text.slice(start, end).trim();
    i = close + right.length;
    if (source.startsWith('/*')) continue;
    const keyword = /^(if|else|end|range|with|define|template|block)\b/.exec(source)?.[1];
    const rest = keyword ? source.slice(keyword.length).trim() : source;
    if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
      const pipe = parsePipeline(lexAction(rest), source);
      const node: Frame['node'] = keyword === 'range'
        ? { type: 'range', pipe, body: [], otherwise: [] }
        : { type: keyword, pipe, then: [], otherwise: [] };
      current().push(node);
      stack.push({ node, inElse: false, list: node.type === 'range' ? node.body : node.then, elseIfDepth: 0 });
    } else if (keyword === 'else') {
      const frame = stack[stack.length - 1];
      if (!frame || frame.inElse) throw new TemplateError('unexpected {{else}}');
      frame.inElse = true;
      frame.list = frame.node.otherwise;
      const elseIf = /^(if|with)\b/.exec(rest);
      if (elseIf) {
        // `{{else if x}}` is `{{else}}{{if x}}...{{end}}` sharing the outer `{{end}}`.
        const pipe = parsePipeline(lexAction(rest.slice(elseIf[1].length)), source);
        const node = { type: elseIf[1] as 'if' | 'with', pipe, then: [], otherwise: [] };
        frame.list.push(node);
        stack.push({ node, inElse: false, list: node.then, elseIfDepth: frame.elseIfDepth + 1 });
        frame.elseIfDepth = 0;
      }
    } else if (keyword === 'end') {
      const frame = stack.pop();
      if (!frame) throw new TemplateError('unexpected {{end}}');
      // The frames its `{{else if}}`s opened end here too.
      for (let depth = frame.elseIfDepth; depth > 0; depth -= 1) stack.pop();
    } else if (keyword) {
      throw new TemplateError(`{{${keyword}}} is not supported`);
    } else {
      current().push({ type: 'action', pipe: parsePipeline(lexAction(source), source) });
    }
  }
  if (stack.length > 0) throw new TemplateError(`unexpected end of template: {{${stack[stack.length - 1].node.type}}} has no {{end}}`);
  return root;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === NO_VALUE || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** How Go's fmt prints a value with %v. */
export function goString(value: unknown): string {
  if (value === NO_VALUE || value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goString).join(' ')}]`;
  if (typeof value === 'object') {
    return `map[${Object.keys(value).sort().map((key) => `${key}:${goString((value as Record<string, unknown>)[key])}`).join(' ')}]`;
  }
  return String(value);
}

function sanitizeName(name: string): string {
  return name.toLowerCase().replace(/[^-a-z0-9.]/g, '-').slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : goString(value);
}

function indentLines(spaces: number, text: string): string {
  const pad = ' '.repeat(spaces);
  return pad + text.replace(/\n/g, `\n${pad}`);
}

function yamlOf(value: unknown): string {
  return value === undefined || value === NO_VALUE || value === null ? 'null' : stringifyYaml(value).replace(/\n$/, '');
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateError(`incompatible types for comparison: ${goString(a)} and ${goString(b)}`);
}

function printf(format: string, ...args: unknown[]): string {
  let index = 0;
  return format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([svdqtfx%])/g, (_whole, _flags, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[index++];
    switch (verb) {
      case 'q': return JSON.stringify(str(arg));
      case 'd': return String(Math.trunc(Number(arg)));
      case 'f': return Number(arg).toFixed(6);
      case 'x': return Number(arg).toString(16);
      default: return str(arg);
    }
  });
}

export type TemplateFunction = (...args: unknown[]) => unknown;

/** Go's hash/adler32 of the UTF-8 bytes, printed in decimal (sprig's adler32sum, the Flux Operator's input ids). */
export function adler32(text: string): string {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

/** sprig's trunc: the first n characters, or with a negative n the last -n. */
function trunc(count: unknown, value: unknown): string {
  const text = str(value);
  const n = Math.trunc(Number(count));
  if (n < 0) return text.length + n > 0 ? text.slice(text.length + n) : text;
  return text.length > n ? text.slice(0, n) : text;
}

/** sprig's substr: a start below 0 means 0, an end below 0 or past the text means its end. */
function substr(start: unknown, end: unknown, value: unknown): string {
  const text = str(value);
  const from = Number(start);
  const to = Number(end);
  if (from < 0) return text.slice(0, to);
  if (to < 0 || to > text.length) return text.slice(from);
  return text.slice(from, to);
}

const FUNCTIONS: Record<string, TemplateFunction> = {
  and: (...args) => { for (const arg of args) if (isEmpty(arg)) return arg; return args[args.length - 1]; },
  or: (...args) => { for (const arg of args) if (!isEmpty(arg)) return arg; return args[args.length - 1]; },
  not: (value: unknown) => isEmpty(value),
  eq: (a, ...rest) => rest.some((b) => a === b || (a == null && b == null)),
  ne: (a, b) => a !== b,
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  len: (value) => {
    if (typeof value === 'string' || Array.isArray(value)) return value.length;
    if (value && typeof value === 'object') return Object.keys(value).length;
    throw new TemplateError(`len of ${goString(value)}`);
  },
  index: (value, ...keys) => {
    let current = value;
    for (const key of keys) {
      if (Array.isArray(current)) {
        const at = Number(key);
        if (!Number.isInteger(at) || at < 0 || at >= current.length) throw new TemplateError(`index out of range: ${goString(key)}`);
        current = current[at];
      } else if (current && typeof current === 'object') {
        current = Object.prototype.hasOwnProperty.call(current, String(key)) ? (current as Record<string, unknown>)[String(key)] : undefined;
      } else {
        throw new TemplateError(`cannot index ${goString(current)} with ${goString(key)}`);
      }
    }
    return current;
  },
  print: (...args) => args.map(str).join(''),
  println: (...args) => `${args.map(str).join(' ')}\n`,
  printf: (format, ...args) => printf(str(format), ...args),
  // sprig
  default: (fallback, ...value) => (value.length === 0 || isEmpty(value[0]) ? fallback : value[0]),
  empty: (value) => isEmpty(value),
  coalesce: (...args) => args.find((arg) => !isEmpty(arg)) ?? null,
  ternary: (yes, no, condition) => (condition === true ? yes : no),
  lower: (value) => str(value).toLowerCase(),
  upper: (value) => str(value).toUpperCase(),
  title: (value) => str(value).replace(/(^|[\s_-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase()),
  replace: (old, replacement, value) => str(value).split(str(old)).join(str(replacement)),
  trimPrefix: (prefix, value) => (str(value).startsWith(str(prefix)) ? str(value).slice(str(prefix).length) : str(value)),
  trimSuffix: (suffix, value) => (str(suffix) && str(value).endsWith(str(suffix)) ? str(value).slice(0, -str(suffix).length) : str(value)),
  trim: (value) => str(value).trim(),
  trimAll: (cut, value) => { const set = str(cut); let s = str(value); while (s && set.includes(s[0])) s = s.slice(1); while (s && set.includes(s[s.length - 1])) s = s.slice(0, -1); return s; },
  quote: (...args) => args.filter((arg) => arg !== null && arg !== undefined).map((arg) => JSON.stringify(str(arg))).join(' '),
  squote: (...args) => args.filter((arg) => arg !== null && arg !== undefined).map((arg) => `'${str(arg)}'`).join(' '),
  toYaml: (value) => yamlOf(value),
  toJson: (value) => JSON.stringify(value === NO_VALUE || value === undefined ? null : value),
  toPrettyJson: (value) => JSON.stringify(value === NO_VALUE || value === undefined ? null : value, null, 2),
  fromYaml: (value) => { try { return parseYaml(str(value)) ?? {}; } catch (error) { return { Error: (error as Error).message }; } },
  fromJson: (value) => { try { return JSON.parse(str(value)); } catch { return {}; } },
  indent: (spaces, value) => indentLines(Number(spaces), str(value)),
  nindent: (spaces, value) => `\n${indentLines(Number(spaces), str(value))}`,
  contains: (needle, value) => str(value).includes(str(needle)),
  hasPrefix: (prefix, value) => str(value).startsWith(str(prefix)),
  hasSuffix: (suffix, value) => str(value).endsWith(str(suffix)),
  splitList: (separator, value) => str(value).split(str(separator)),
  join: (separator, list) => (Array.isArray(list) ? list.map(str).join(str(separator)) : str(list)),
  list: (...args) => args,
  dict: (...args) => { const result: Record<string, unknown> = {}; for (let k = 0; k < args.length; k += 2) result[str(args[k])] = args[k + 1] ?? ''; return result; },
  get: (map, key) => (map && typeof map === 'object' && str(key) in map ? (map as Record<string, unknown>)[str(key)] : ''),
  hasKey: (map, key) => !!map && typeof map === 'object' && Object.prototype.hasOwnProperty.call(map, str(key)),
  first: (list) => (Array.isArray(list) ? list[0] ?? null : null),
  last: (list) => (Array.isArray(list) ? list[list.length - 1] ?? null : null),
  toString: (value: unknown) => str(value),
  int: (value) => Math.trunc(Number(value)) || 0,
  atoi: (value) => Math.trunc(Number(value)) || 0,
  add: (...args) => args.reduce((sum: number, arg) => sum + Number(arg), 0),
  sub: (a, b) => Number(a) - Number(b),
  regexReplaceAll: (pattern, value, replacement) => str(value).replace(new RegExp(str(pattern), 'g'), str(replacement).replace(/\$\{?(\d+)\}?/g, '$$$1')),
  regexMatch: (pattern, value) => new RegExp(str(pattern)).test(str(value)),
  b64enc: (value) => Buffer.from(str(value)).toString('base64'),
  b64dec: (value) => Buffer.from(str(value), 'base64').toString('utf8'),
  trunc,
  substr,
  sha256sum: (value) => createHash('sha256').update(str(value)).digest('hex'),
  sha1sum: (value) => createHash('sha1').update(str(value)).digest('hex'),
  adler32sum: (value) => adler32(str(value)),
  has: (needle, list) => Array.isArray(list) && list.some((item) => item === needle),
  keys: (...maps) => maps.flatMap((map) => (map && typeof map === 'object' ? Object.keys(map) : [])),
  sortAlpha: (list) => (Array.isArray(list) ? list.map(str).sort() : [str(list)]),
  // Argo CD's own
  normalize: (value) => sanitizeName(str(value)),
  slugify: (value) => str(value).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 20).replace(/-+$/, ''),
};

class Scope {
  constructor(readonly variables: Map<string, unknown>, readonly parent?: Scope) {}
  lookup(name: string): unknown {
    if (this.variables.has(name)) return this.variables.get(name);
    if (this.parent) return this.parent.lookup(name);
    throw new TemplateError(`undefined variable: ${name}`);
  }
  set(name: string, value: unknown): void {
    if (this.variables.has(name)) this.variables.set(name, value);
    else if (this.parent) this.parent.set(name, value);
    else throw new TemplateError(`undefined variable: ${name}`);
  }
}

class Evaluator {
  constructor(private readonly options: GoTemplateOptions) {}

  field(value: unknown, chain: string[], described: string): unknown {
    let current = value;
    for (const [index, key] of chain.entries()) {
      if (current === NO_VALUE || current === undefined || current === null) {
        if (this.options.missingKeyError) throw new TemplateError(`nil pointer evaluating ${described}.${chain.slice(index).join('.')}`);
        return NO_VALUE;
      }
      if (typeof current !== 'object' || Array.isArray(current)) throw new TemplateError(`can't evaluate field ${key} in ${goString(current)}`);
      if (!Object.prototype.hasOwnProperty.call(current, key)) {
        if (this.options.missingKeyError) throw new TemplateError(`map has no entry for key "${key}"`);
        return NO_VALUE;
      }
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  }

  operand(operand: Operand, dot: unknown, scope: Scope): unknown {
    switch (operand.kind) {
      case 'string': case 'number': case 'bool': case 'nil': return operand.value;
      case 'field': return this.field(dot, operand.chain, '');
      case 'variable': return this.field(scope.lookup(operand.name), operand.chain, operand.name);
      case 'pipe': return this.field(this.pipeline(operand.pipe, dot, scope), operand.chain, '');
      case 'ident': return this.field(this.call(operand.name, [], dot), operand.chain ?? [], operand.name);
      default: throw new TemplateError(`unexpected ${operand.kind}`);
    }
  }

  call(name: string, args: unknown[], _dot: unknown): unknown {
    const fn = this.options.functions?.[name] ?? FUNCTIONS[name];
    if (!fn) throw new TemplateError(`function "${name}" not defined`);
    return fn(...args);
  }

  command(command: Command, dot: unknown, scope: Scope, piped: unknown[]): unknown {
    const [head, ...rest] = command.operands;
    if (head.kind === 'ident' && !head.chain) {
      return this.call(head.name, [...rest.map((operand) => this.operand(operand, dot, scope)), ...piped], dot);
    }
    if (rest.length > 0 || piped.length > 0) throw new TemplateError('can\'t give argument to non-function');
    return this.operand(head, dot, scope);
  }

  pipeline(pipe: Pipeline, dot: unknown, scope: Scope): unknown {
    let value: unknown;
    pipe.commands.forEach((command, index) => {
      value = this.command(command, dot, scope, index === 0 ? [] : [value]);
    });
    if (pipe.declare && pipe.declare.length === 1) {
      if (pipe.assign) scope.set(pipe.declare[0], value);
      else scope.variables.set(pipe.declare[0], value);
    }
    return value;
  }

  nodes(nodes: Node[], dot: unknown, scope: Scope): string {
    let out = '';
    for (const node of nodes) {
      switch (node.type) {
        case 'text': out += node.text; break;
        case 'action': {
          const value = this.pipeline(node.pipe, dot, scope);
          if (!node.pipe.declare) out += goString(value);
          break;
        }
        case 'if': case 'with': {
          const inner = new Scope(new Map(), scope);
          const value = this.pipeline(node.pipe, dot, inner);
          if (!isEmpty(value)) out += this.nodes(node.then, node.type === 'with' ? value : dot, inner);
          else out += this.nodes(node.otherwise, dot, inner);
          break;
        }
        case 'range': {
          const declare = node.pipe.declare;
          const value = this.pipeline({ commands: node.pipe.commands }, dot, scope);
          const entries: Array<[unknown, unknown]> = Array.isArray(value)
            ? value.map((item, index) => [index, item])
            : value && typeof value === 'object' ? Object.keys(value).sort().map((key) => [key, (value as Record<string, unknown>)[key]])
              : typeof value === 'number' ? Array.from({ length: value }, (_, index) => [index, index]) : [];
          if (entries.length === 0) { out += this.nodes(node.otherwise, dot, scope); break; }
          for (const [key, item] of entries) {
            const inner = new Scope(new Map(), scope);
            if (declare?.length === 1) inner.variables.set(declare[0], item);
            if (declare?.length === 2) { inner.variables.set(declare[0], key); inner.variables.set(declare[1], item); }
            out += this.nodes(node.body, item, inner);
          }
          break;
        }
      }
    }
    return out;
  }
}

/** Renders a Go template against `data` (`.` and `$`); throws a TemplateError for bad syntax or, with missingKeyError, a missing key. */
export function renderGoTemplate(text: string, data: unknown, options: GoTemplateOptions = {}): string {
  const { left, right } = options.delimiters ?? { left: '{{', right: '}}' };
  if (!text.includes(left)) return text;
  try {
    const nodes = parseTemplate(text, left, right);
    return new Evaluator(options).nodes(nodes, data, new Scope(new Map([['$', data]])));
  } catch (error) {
    // Messages quote actions as {{...}}: in the template's own delimiters, they point at what the user wrote.
    if (error instanceof TemplateError && left !== '{{') throw new TemplateError(error.message.replaceAll('{{', left).replaceAll('}}', right));
    throw error;
  }
}

/**
 * fasttemplate as Argo CD uses it (`{{name}}`, `{{ path.basename }}`): each tag is looked up in the flat
 * parameters; a tag that is not a parameter is left as written.
 */
export function renderFastTemplate(text: string, params: Record<string, string>): string {
  return text.replace(/\{\{(.*?)\}\}/g, (whole, tag: string) => {
    const key = tag.trim();
    return Object.prototype.hasOwnProperty.call(params, key) ? params[key] : whole;
  });
}
