// The value tree every SOPS store loads into and emits from, and the walk that visits its leaves in
// document order with their AAD path, exactly as sops's TreeBranch.walkBranch does: keys add to the path,
// list positions do not, comments are leaves of the collection that holds them, nulls are skipped.

/** A scalar as SOPS types it (the `type:` of an ENC[] value). Ints keep their decimal text to stay exact. */
export type PlainValue =
  | { type: 'str'; value: string }
  | { type: 'int'; value: string }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'null' };

export interface ValueLeaf {
  kind: 'value';
  value: PlainValue;
  /** Store-private link back to the source node (the YAML store writes values back into its AST). */
  ref?: unknown;
}

export interface CommentItem {
  kind: 'comment';
  /** The comment text without its marker (`#` or `;`), as sops stores it. */
  text: string;
  ref?: unknown;
}

export interface MapEntry {
  kind: 'entry';
  key: string;
  value: TreeNode;
}

export interface TreeMap {
  kind: 'map';
  items: Array<MapEntry | CommentItem>;
}

export interface TreeList {
  kind: 'list';
  items: Array<TreeNode | CommentItem>;
}

export type TreeNode = ValueLeaf | TreeMap | TreeList;

/** What the walk hands to its visitor for each value or comment. */
export interface LeafVisit {
  leaf: ValueLeaf | CommentItem;
  path: string[];
  /** Comments seen before this leaf at each nesting level (for the *_comment_regex rules). */
  commentStack: string[][];
}

export const str = (value: string): PlainValue => ({ type: 'str', value });

/** Visits every non-null value and every comment of the branches in document order. */
export function walkBranches(branches: TreeMap[], visit: (v: LeafVisit) => void): void {
  for (const branch of branches) walkItems(branch.items, [], [], visit);
}

/** Walks the items of one collection: keys extend the path, comments stack up until the next value. */
function walkItems(items: Array<MapEntry | TreeNode | CommentItem>, path: string[], stack: string[][], visit: (v: LeafVisit) => void): void {
  const level: string[] = [];
  const inner = [...stack, level];
  for (const item of items) {
    if (item.kind === 'comment') {
      level.push(item.text);
      visit({ leaf: item, path, commentStack: inner });
      continue;
    }
    if (item.kind === 'entry') walkNode(item.value, [...path, item.key], inner, visit);
    else walkNode(item, path, inner, visit);
    level.length = 0;
  }
}

function walkNode(node: TreeNode, path: string[], stack: string[][], visit: (v: LeafVisit) => void): void {
  if (node.kind === 'map' || node.kind === 'list') walkItems(node.items, path, stack, visit);
  else if (node.value.type !== 'null') visit({ leaf: node, path, commentStack: stack });
}

/** The AAD sops binds a value to: its keys joined by ':' plus a trailing ':' (":" at the top level). */
export function aadOf(path: string[]): string {
  return path.join(':') + ':';
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): the shortest round-trip digits (as JavaScript), never an exponent. */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = lead + fraction;
  const exponent = Number(exponentText);
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  // JavaScript only uses exponents from 1e21 on, where every digit stands before the point.
  return sign + digits.padEnd(exponent + 1, '0');
}

/** The bytes sops feeds to the MAC for a value (ToBytes: bools Title-cased like the Python original). */
export function macBytes(value: PlainValue): string {
  switch (value.type) {
    case 'str': return value.value;
    case 'int': return value.value;
    case 'float': return formatGoFloat(value.value);
    case 'bool': return value.value ? 'True' : 'False';
    case 'null': return '';
  }
}
