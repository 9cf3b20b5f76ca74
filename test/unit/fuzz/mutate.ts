// Mutated inputs for the fuzz targets: a valid seed (a real file) changed by a few edits, each edit plain data
// so that fast-check can shrink a failing input to the edits that matter. Edits work on bytes, so truncation and
// byte flips can leave invalid UTF-8; a structural edit (YAML/JSON seeds) puts a value of the wrong type, or
// none, at some key before the bytes are touched. Fully arbitrary strings and bytes are mixed in.
import fc from 'fast-check';
import { dump, loadAll } from 'js-yaml';

export type Syntax = 'yaml' | 'json' | 'flat';

/** Values of the wrong type (or shape) for any key, as YAML/JSON text. */
const WRONG_VALUES = [
  '[]', '{}', 'null', '~', '0', '-1', '1e400', '-.inf', '.nan', '99999999999999999999999', 'true', "''", '""', '"x"',
  '[1, [2, [3]]]', '{a: {b: {c: 1}}}', '*anchor', '&anchor x', '!!binary AAAA', '!!str', '!custom x', '|', '>-', '- x',
  '0x1F', '2024-01-01T00:00:00Z', '"\\u0000"', '"\\ud800"', '[', '{', '"', "'", ': :', '? x', '!!map [1]',
];

const YAML_SNIPPETS = [
  '---', '...', '%YAML 1.1', '%TAG !e! tag:example.com,2000:', '? [complex, key]\n: value', '<<: *anchor', '<<: [*a, *b]',
  'a: &a [*a]', 'key: value: other', '- - - - x', '\t- tab', '!!python/object:os.system x', '!!js/function "() => 1"',
  '__proto__: {polluted: yes}', 'constructor: {prototype: {polluted: yes}}', 'k: !!timestamp 2001-12-14',
  'k: "unterminated', "k: 'unterminated", 'k: |\n  block\n    more', 'k: >\n folded', '#', '# comment', '&x', '*x',
  'sops:', 'sops: {}', 'sops: []', 'sops: null', 'sops:\n  mac: x\n  lastmodified: 2020-01-01T00:00:00Z',
  'items: null', 'metadata: null', 'metadata: {name: [1]}', 'kind: List', 'kind: List\nitems: [null, 1, {}]',
];

const JSON_SNIPPETS = [
  '{', '}', '[', ']', ',', ':', '"', '\\', '"\\u00"', '"\\ud800"', 'null', '1e400', '-0', '01', 'NaN', 'Infinity',
  '"__proto__": {"polluted": "yes"}', '"constructor": {"prototype": {"polluted": "yes"}}', '"sops": null', '"sops": []',
  '{"type": "ERROR", "object": null}', '{"type": "ADDED"}', '{"type": "ADDED", "object": {}}', 'null', '[]', '"x"',
  '"items": null', '"metadata": null', '"resources": null', '"resources": [null, 1, {}]', '"code": "410"',
];

const FLAT_SNIPPETS = [
  '[sops]', '[', ']', '=', '==', 'novalue', ' = x', 'sops_=', 'sops_version=', 'sops_mac=x', 'sops_lastmodified=x',
  'sops_key_groups__list_0__map_age__list_0__map_recipient=age1x', 'sops___proto____map_polluted=yes',
  'sops_constructor__map_prototype__map_polluted=yes', 'sops_age__list_999999999__map_enc=x',
  'sops_age__list_-1__map_enc=x', 'sops_age__list_x=1', 'sops_age__map___proto____map_polluted=yes',
  'sops_age__list_0=x', 'sops_age__list_0__list_0__map_enc=x', 'k = """never closed', 'k = """a\nb"""', ';', '#',
  '__proto__ = x', 'k = `tick`', 'k = "quoted"', '[__proto__]', '[DEFAULT]', '[sops]\nversion = 3',
];

/** Byte sequences that are not valid UTF-8 (or are unusual in text): a lone lead, a surrogate, an overlong NUL, a BOM. */
const RAW_BYTES = [[0xff], [0xc3], [0x80], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xef, 0xbb, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x0d]];

/** One edit of the bytes. Positions are taken modulo the length, so any number is a valid position. */
export type Edit =
  | { op: 'truncate'; at: number }
  | { op: 'byte'; at: number; byte: number }
  | { op: 'raw'; at: number; bytes: number[] }
  | { op: 'insert'; at: number; text: string; asLine: boolean }
  | { op: 'deleteLines'; at: number; count: number }
  | { op: 'duplicateLines'; at: number; count: number; times: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'indent'; at: number; delta: number }
  | { op: 'replaceValue'; at: number; value: string }
  | { op: 'alias'; anchorAt: number; aliasAt: number };

/** A change to the parsed seed: a key deleted, set to another value, renamed, or a list item duplicated. */
export interface StructEdit {
  at: number;
  action: 'delete' | 'set' | 'rename' | 'duplicate';
  value: unknown;
  key: string;
}

export interface Mutation {
  seed: number;
  struct: StructEdit | null;
  edits: Edit[];
}

const position = fc.nat({ max: 1_000_000 });

/** Text that is big or deep, within reason: a long line, deep brackets or block nesting, an alias bomb of bounded size. */
function bigText(syntax: Syntax): fc.Arbitrary<string> {
  const deep = fc.integer({ min: 50, max: 1500 });
  const options: Array<fc.Arbitrary<string>> = [
    fc.tuple(fc.integer({ min: 1000, max: 100_000 }), fc.constantFrom('A', '9', ' ', '\\', '"', ':', '-')).map(([n, c]) => c.repeat(n)),
    deep.map((d) => '['.repeat(d) + ']'.repeat(d)),
    deep.map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
    deep.map((d) => '['.repeat(d)),
  ];
  if (syntax === 'yaml') {
    options.push(
      fc.integer({ min: 20, max: 1000 }).map((d) => Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x'),
      fc.integer({ min: 20, max: 2000 }).map((d) => '- '.repeat(d) + 'x'),
      aliasBomb(),
    );
  }
  if (syntax === 'flat') {
    options.push(fc.integer({ min: 10, max: 3000 }).map((d) => `sops_x${'__map_a'.repeat(d)}=1`));
    options.push(fc.integer({ min: 10, max: 3000 }).map((d) => `sops_x${'__list_0'.repeat(d)}=1`));
  }
  return fc.oneof(...options);
}

/** The billion-laughs shape: `levels` anchors, each a list of `fanout` aliases of the one before (fanout^levels leaves). */
export function aliasBomb(): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 10 }), fc.boolean()).map(([levels, fanout, asMap]) => {
    const lines = ['l0: &l0 [lol, lol]'];
    for (let level = 1; level <= levels; level++) {
      const aliases = Array.from({ length: fanout }, () => `*l${level - 1}`);
      lines.push(asMap
        ? `l${level}: &l${level} {${aliases.map((alias, i) => `k${i}: ${alias}`).join(', ')}}`
        : `l${level}: &l${level} [${aliases.join(', ')}]`);
    }
    return lines.join('\n');
  });
}

function editArbitrary(syntax: Syntax, snippets: string[]): fc.Arbitrary<Edit> {
  const dictionary = [...(syntax === 'yaml' ? YAML_SNIPPETS : syntax === 'json' ? JSON_SNIPPETS : FLAT_SNIPPETS), ...snippets];
  const text = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...dictionary) },
    { weight: 2, arbitrary: fc.constantFrom(...WRONG_VALUES) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  );
  const edits: Array<fc.Arbitrary<Edit>> = [
    fc.record({ op: fc.constant('truncate' as const), at: position }),
    fc.record({ op: fc.constant('byte' as const), at: position, byte: fc.nat({ max: 255 }) }),
    fc.record({ op: fc.constant('raw' as const), at: position, bytes: fc.constantFrom(...RAW_BYTES) }),
    fc.record({ op: fc.constant('insert' as const), at: position, text, asLine: fc.boolean() }),
    fc.record({ op: fc.constant('deleteLines' as const), at: position, count: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ op: fc.constant('duplicateLines' as const), at: position, count: fc.integer({ min: 1, max: 4 }), times: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ op: fc.constant('swapLines' as const), a: position, b: position }),
    fc.record({ op: fc.constant('indent' as const), at: position, delta: fc.integer({ min: -4, max: 4 }) }),
    fc.record({ op: fc.constant('replaceValue' as const), at: position, value: fc.oneof(fc.constantFrom(...WRONG_VALUES), fc.string({ maxLength: 10 })) }),
  ];
  if (syntax === 'yaml') edits.push(fc.record({ op: fc.constant('alias' as const), anchorAt: position, aliasAt: position }));
  return fc.oneof(...edits);
}

/** Values for structural edits: every JSON type, empty and nested containers, numbers at the edges, odd keys. */
export function wrongValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 + 2, 1e21, -1e-7, '', ' ', 'x', '0', 'true', 'null', [], {}, [[]], [null], [{}]),
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom('{"__proto__": {"polluted": "yes"}}', '{"constructor": {"prototype": {"polluted": "yes"}}}').map((text) => JSON.parse(text) as unknown),
    fc.integer({ min: 10, max: 200 }).map((depth) => {
      let value: unknown = 'deep';
      for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
      return value;
    }),
  );
}

const ODD_KEYS = ['__proto__', 'constructor', 'prototype', '', ' ', '-', '0', 'sops', 'metadata', 'name', 'items', 'kind', 'apiVersion', 'type', 'object'];

function structArbitrary(keys: string[]): fc.Arbitrary<StructEdit> {
  return fc.record({
    at: position,
    action: fc.constantFrom('delete' as const, 'set' as const, 'set' as const, 'set' as const, 'rename' as const, 'duplicate' as const),
    value: wrongValue(),
    key: fc.oneof(fc.constantFrom(...ODD_KEYS, ...keys), fc.string({ maxLength: 8 })),
  });
}

export interface MutationOptions {
  syntax: Syntax;
  /** Extra text snippets the edits may insert (format-specific keys, say). */
  snippets?: string[];
  /** Extra key names the structural edits may rename to. */
  keys?: string[];
  /** Largest number of byte edits per input (default 4). */
  maxEdits?: number;
}

export function mutationArbitrary(seedCount: number, options: MutationOptions): fc.Arbitrary<Mutation> {
  const structural = options.syntax !== 'flat';
  return fc.record({
    seed: fc.nat({ max: seedCount - 1 }),
    struct: structural ? fc.option(structArbitrary(options.keys ?? []), { freq: 2 }) : fc.constant(null),
    edits: fc.array(editArbitrary(options.syntax, options.snippets ?? []), { maxLength: options.maxEdits ?? 4 }),
  });
}

/** The seed's bytes after the mutation. */
export function applyMutation(seeds: readonly string[], syntax: Syntax, mutation: Mutation): Buffer {
  let text = seeds[mutation.seed];
  if (mutation.struct) text = applyStruct(text, syntax, mutation.struct);
  // Latin-1 keeps one character per byte, so the edits below work on bytes.
  let bytes = Buffer.from(text, 'utf8').toString('latin1');
  for (const edit of mutation.edits) bytes = applyEdit(bytes, edit);
  return Buffer.from(bytes, 'latin1');
}

const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function applyEdit(s: string, edit: Edit): string {
  const at = (n: number, length = s.length) => (length === 0 ? 0 : n % (length + 1));
  const lines = () => s.split('\n');
  switch (edit.op) {
    case 'truncate': return s.slice(0, at(edit.at));
    case 'byte': {
      const i = at(edit.at, Math.max(0, s.length - 1));
      return s.slice(0, i) + String.fromCharCode(edit.byte) + s.slice(i + 1);
    }
    case 'raw': {
      const i = at(edit.at);
      return s.slice(0, i) + String.fromCharCode(...edit.bytes) + s.slice(i);
    }
    case 'insert': {
      const text = asBytes(edit.text);
      if (!edit.asLine) {
        const i = at(edit.at);
        return s.slice(0, i) + text + s.slice(i);
      }
      const all = lines();
      all.splice(at(edit.at, all.length), 0, text);
      return all.join('\n');
    }
    case 'deleteLines': {
      const all = lines();
      all.splice(at(edit.at, all.length), edit.count);
      return all.join('\n');
    }
    case 'duplicateLines': {
      const all = lines();
      const i = at(edit.at, all.length);
      const chunk = all.slice(i, i + edit.count);
      all.splice(i, 0, ...Array.from({ length: edit.times }, () => chunk).flat());
      return all.join('\n');
    }
    case 'swapLines': {
      const all = lines();
      const a = at(edit.a, all.length - 1);
      const b = at(edit.b, all.length - 1);
      [all[a], all[b]] = [all[b], all[a]];
      return all.join('\n');
    }
    case 'indent': {
      const all = lines();
      const i = at(edit.at, all.length - 1);
      all[i] = edit.delta > 0 ? ' '.repeat(edit.delta) + all[i] : all[i].slice(Math.min(-edit.delta, /^ */.exec(all[i])![0].length));
      return all.join('\n');
    }
    case 'alias': {
      // An anchor on one key's value and an alias of it as another key's value: a shared value, an alias
      // above its anchor, or (alias inside the anchored value) a cycle.
      const all = lines();
      const keyed = all.map((line, i) => [line, i] as const).filter(([line]) => /^\s*(?:- )?[^\s:#-][^:]*:(\s|$)/.test(line));
      if (keyed.length === 0) return s;
      const [anchorLine, a] = keyed[edit.anchorAt % keyed.length];
      const [aliasLine, b] = keyed[edit.aliasAt % keyed.length];
      const colon = (line: string) => line.search(/:(\s|$)/) + 1;
      all[b] = `${aliasLine.slice(0, colon(aliasLine))} *fz`;
      if (a !== b) all[a] = `${anchorLine.slice(0, colon(anchorLine))} &fz${anchorLine.slice(colon(anchorLine))}`;
      return all.join('\n');
    }
    case 'replaceValue': {
      // The value part of a `key: value`, `"key": value` or `key=value` line.
      const all = lines();
      const candidates = all.map((line, i) => [line, i] as const).filter(([line]) => /^[^:=]*[:=]/.test(line));
      if (candidates.length === 0) return s;
      const [line, i] = candidates[edit.at % candidates.length];
      const cut = line.search(/[:=]/) + 1;
      const trailingComma = /,\s*$/.test(line) ? ',' : '';
      all[i] = `${line.slice(0, cut)} ${asBytes(edit.value)}${trailingComma}`;
      return all.join('\n');
    }
  }
}

type Container = Record<string, unknown> | unknown[];

/** The containers of a parsed value, depth first, each with its keys. */
function containers(value: unknown, out: Container[] = []): Container[] {
  if (value && typeof value === 'object') {
    out.push(value as Container);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

function applyStruct(text: string, syntax: Syntax, edit: StructEdit): string {
  let documents: unknown[];
  try {
    documents = syntax === 'json' ? [JSON.parse(text)] : loadAll(text);
  } catch {
    return text;
  }
  const all = documents.flatMap((doc) => containers(doc));
  if (all.length === 0) return text;
  const target = all[edit.at % all.length];
  const keys = Object.keys(target);
  const key = keys.length ? keys[Math.floor(edit.at / all.length) % keys.length] : undefined;
  if (Array.isArray(target)) {
    const index = key === undefined ? 0 : Number(key);
    if (edit.action === 'delete') target.splice(index, 1);
    else if (edit.action === 'duplicate') target.splice(index, 0, target[index]);
    else if (edit.action === 'rename') target.push(edit.value);
    else target[index] = edit.value;
  } else if (key !== undefined || edit.action === 'set') {
    const name = key ?? edit.key;
    if (edit.action === 'delete') delete target[name];
    else if (edit.action === 'rename') {
      const value = target[name];
      delete target[name];
      Object.defineProperty(target, edit.key, { value, enumerable: true, configurable: true, writable: true });
    } else {
      const value = edit.action === 'duplicate' ? [target[name], target[name]] : edit.value;
      // An own property even for `__proto__`, as a parser would make it.
      Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
    }
  }
  try {
    return syntax === 'json'
      ? JSON.stringify(documents[0], null, '\t')
      : documents.map((doc) => dump(doc, { noRefs: true, lineWidth: -1 })).join('---\n');
  } catch {
    return text;
  }
}

/** Mutated seeds (mostly), arbitrary bytes and strings (some), as bytes: what a file on disk could hold. */
export function mutatedBytes(seeds: readonly string[], options: MutationOptions): fc.Arbitrary<Buffer> {
  // Big inputs are rare: parsers take long on them (yaml needs ~100 ms for 1,000 levels), and one in a
  // hundred is enough to meet each shape many times over a run.
  const big = fc.record({
    seed: fc.nat({ max: seeds.length - 1 }),
    struct: fc.constant(null),
    edits: fc.tuple(position, bigText(options.syntax), fc.boolean()).map(([at, text, asLine]): Edit[] => [{ op: 'insert', at, text, asLine }]),
  });
  return fc.oneof(
    { weight: 90, arbitrary: mutationArbitrary(seeds.length, options).map((m) => applyMutation(seeds, options.syntax, m)) },
    { weight: 1, arbitrary: big.map((m) => applyMutation(seeds, options.syntax, m)) },
    { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s, 'utf8')) },
    { weight: 6, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  );
}

/**
 * The same as a file's content for the targets that read files: the bytes as a Latin-1 string (one character
 * per byte), so that a failing input is printed readably; write it with Buffer.from(content, 'latin1').
 */
export function mutatedFile(seeds: readonly string[], options: MutationOptions): fc.Arbitrary<string> {
  return mutatedBytes(seeds, options).map((bytes) => bytes.toString('latin1'));
}

/** The same, as the text a reader decoding UTF-8 gets (invalid bytes become U+FFFD), plus arbitrary JS strings (lone surrogates). */
export function mutatedText(seeds: readonly string[], options: MutationOptions): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 14, arbitrary: mutatedBytes(seeds, options).map((b) => b.toString('utf8')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  );
}
