// The JSON store: key order kept exactly (integer-like keys included, which JSON.parse would reorder);
// every number is a float as in sops (Go's encoding/json decodes numbers to float64); tab indentation.
import { MAX_YAML_DEPTH } from '../../yamlLimits';
import { MapEntry, PlainValue, TreeList, TreeMap, TreeNode } from '../tree';
import { LoadedDocument, RawMetadata, Store, StoreError } from './store';

export const jsonStore: Store = {
  load(text, file, form) {
    const root = parseJson(text, file);
    return jsonDocument(root, file, form);
  },
};

export function jsonDocument(root: TreeMap, file: string, form: 'plain' | 'encrypted'): LoadedDocument {
  let metadata: RawMetadata | undefined;
  if (form === 'encrypted') {
    const index = root.items.findIndex((i) => i.kind === 'entry' && i.key === 'sops');
    if (index >= 0) metadata = toPlainObject((root.items[index] as MapEntry).value) as RawMetadata;
    if (index >= 0) root.items.splice(index, 1);
    if (!metadata) throw new StoreError(`${file}: sops metadata not found`);
  }
  return {
    branches: [root],
    metadata,
    emit: (md) => emitJson(md ? { ...root, items: [...root.items, { kind: 'entry', key: 'sops', value: fromPlainObject(md) }] } : root) + '\n',
  };
}

export function emitJson(node: TreeNode, indent = ''): string {
  const inner = indent + '\t';
  if (node.kind === 'map') {
    const entries = node.items.filter((i): i is MapEntry => i.kind === 'entry');
    if (entries.length === 0) return '{}';
    return `{\n${entries.map((e) => `${inner}${JSON.stringify(e.key)}: ${emitJson(e.value, inner)}`).join(',\n')}\n${indent}}`;
  }
  if (node.kind === 'list') {
    const items = node.items.filter((i): i is TreeNode => i.kind !== 'comment');
    if (items.length === 0) return '[]';
    return `[\n${items.map((i) => `${inner}${emitJson(i, inner)}`).join(',\n')}\n${indent}]`;
  }
  return scalarJson(node.value);
}

function scalarJson(value: PlainValue): string {
  switch (value.type) {
    case 'str': return JSON.stringify(value.value);
    case 'int': return value.value;
    case 'float': return Number.isFinite(value.value) ? JSON.stringify(value.value) : 'null';
    case 'bool': return String(value.value);
    case 'null': return 'null';
  }
}

/** Converts a metadata value tree into plain JavaScript data. */
export function toPlainObject(node: TreeNode): unknown {
  if (node.kind === 'map') {
    return Object.fromEntries(node.items.filter((i): i is MapEntry => i.kind === 'entry').map((e) => [e.key, toPlainObject(e.value)]));
  }
  if (node.kind === 'list') return node.items.filter((i): i is TreeNode => i.kind !== 'comment').map(toPlainObject);
  const v = node.value;
  return v.type === 'null' ? null : v.type === 'int' ? Number(v.value) : v.value;
}

export function fromPlainObject(value: unknown): TreeNode {
  if (Array.isArray(value)) return { kind: 'list', items: value.map(fromPlainObject) };
  if (value && typeof value === 'object') {
    return { kind: 'map', items: Object.entries(value).map(([key, v]) => ({ kind: 'entry', key, value: fromPlainObject(v) })) };
  }
  if (typeof value === 'number') return { kind: 'value', value: Number.isInteger(value) ? { type: 'int', value: String(value) } : { type: 'float', value } };
  if (typeof value === 'boolean') return { kind: 'value', value: { type: 'bool', value } };
  if (value === null || value === undefined) return { kind: 'value', value: { type: 'null' } };
  return { kind: 'value', value: { type: 'str', value: String(value) } };
}

/** A small recursive-descent JSON parser producing the value tree; errors carry the line number. */
function parseJson(text: string, file: string): TreeMap {
  let pos = 0;
  const fail = (what: string): never => {
    const line = text.slice(0, pos).split('\n').length;
    throw new StoreError(`${file}: invalid JSON at line ${line}: ${what}`);
  };
  const skip = () => { while (pos < text.length && /\s/.test(text[pos])) pos++; };
  const expect = (ch: string) => { skip(); if (text[pos] !== ch) fail(`expected '${ch}'`); pos++; };
  const parseString = (): string => {
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters (U+0000-U+001F) in a string
    const match = /^"(?:[^"\\\u0000-\u001f]|\\.)*"/.exec(text.slice(pos));
    if (!match) return fail('expected a string');
    let value: string;
    try {
      value = JSON.parse(match[0]) as string;
    } catch {
      return fail('invalid escape in a string'); // `\x`, `\u00`: the pattern above lets any escape through
    }
    pos += match[0].length;
    return value;
  };
  /** Items separated by commas up to `close` (the opening bracket already read). */
  const parseItems = (close: string, parseItem: () => void): void => {
    skip();
    if (text[pos] === close) { pos++; return; }
    for (;;) {
      parseItem();
      skip();
      if (text[pos] !== ',') break;
      pos++;
    }
    expect(close);
  };
  let depth = 0;
  const parseValue = (): TreeNode => {
    skip();
    const ch = text[pos];
    // A depth limit rather than a stack overflow: one inside a regular expression leaves V8 unable to compile it.
    if ((ch === '{' || ch === '[') && ++depth > MAX_YAML_DEPTH) fail(`nested deeper than ${MAX_YAML_DEPTH} levels`);
    if (ch === '{') {
      pos++;
      const map: TreeMap = { kind: 'map', items: [] };
      parseItems('}', () => {
        skip();
        const key = parseString();
        expect(':');
        map.items.push({ kind: 'entry', key, value: parseValue() });
      });
      depth--;
      return map;
    }
    if (ch === '[') {
      pos++;
      const list: TreeList = { kind: 'list', items: [] };
      parseItems(']', () => list.items.push(parseValue()));
      depth--;
      return list;
    }
    if (ch === '"') return { kind: 'value', value: { type: 'str', value: parseString() } };
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos));
    if (!literal) return fail('unexpected character');
    pos += literal[0].length;
    const word = literal[0];
    if (word === 'true' || word === 'false') return { kind: 'value', value: { type: 'bool', value: word === 'true' } };
    if (word === 'null') return { kind: 'value', value: { type: 'null' } };
    return { kind: 'value', value: { type: 'float', value: Number(word) } };
  };
  skip();
  if (text[pos] !== '{') fail('SOPS only supports JSON documents whose top level is an object');
  const root = parseValue() as TreeMap;
  skip();
  if (pos < text.length) fail('unexpected content after the top-level object');
  return root;
}
