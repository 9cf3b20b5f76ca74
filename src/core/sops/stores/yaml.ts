// The YAML store, on the `yaml` package's Document API so that comments, key order, quoting and layout of
// the user's file survive a decrypt/edit/encrypt cycle: the value tree keeps a link to every scalar and
// comment line of the AST, and emitting writes the (re-)encrypted values back into that AST.
// Comment placement follows sops's YAML store: comments of a key or scalar value belong to the enclosing
// collection; comments of a collection value belong to that collection. Every document carries `sops`.
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yamlErrorText, yamlNestingProblem } from '../../yamlLimits';
import { isEncryptedValue } from '../format/aes';
import { CommentItem, PlainValue, TreeList, TreeMap, TreeNode, ValueLeaf } from '../tree';
import { LoadedDocument, RawMetadata, Store, StoreError } from './store';

type CommentHolder = { commentBefore?: string | null; comment?: string | null };

interface CommentSlot {
  holder: CommentHolder;
  field: 'commentBefore' | 'comment';
  lines: string[];
}

interface Builder {
  file: string;
  slots: CommentSlot[];
}

export const yamlStore: Store = {
  load(text, file, form): LoadedDocument {
    const tooDeep = yamlNestingProblem(text);
    if (tooDeep) throw new StoreError(`${file}: invalid YAML: ${tooDeep}`);
    const lines = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
    // An empty or comment-only stream has no document: sops still writes one (holding the metadata).
    const docs = parsed.length > 0 ? parsed : [emptyDocument((parsed as { comment?: string }).comment)];
    for (const doc of docs) {
      const error = doc.errors[0];
      if (error) {
        const { line, text: detail } = yamlErrorText(error, lines);
        throw new StoreError(`${file}: invalid YAML at line ${line}: ${detail}`);
      }
    }
    const metadata = form === 'encrypted' ? takeMetadata(docs, file) : undefined;
    const builder: Builder = { file, slots: [] };
    const branches = docs.map((doc) => buildDocument(doc, builder));
    const layout = detectLayout(text);
    const crlf = text.includes('\r\n');
    return {
      branches,
      metadata,
      emit(md) {
        writeBack(branches, builder.slots);
        const out = docs.map((doc, i) => {
          const copy = md ? withMetadata(doc, md, file) : doc;
          // lineWidth 0: never fold a line. minContentWidth is then read only by !!binary values, which yaml
          // splits into lines of that width (0 made it Math.ceil(n / 0) lines: RangeError "Invalid array length").
          const text = doc.contents === null && !md ? commentsOnly(doc) : copy.toString({ ...layout, lineWidth: 0, minContentWidth: 76 });
          return i > 0 && !text.startsWith('---') ? `---\n${text}` : text;
        }).join('');
        return crlf ? out.replace(/\r?\n/g, '\r\n') : out;
      },
    };
  },
};

/** An empty document as text: its comments, if any (the yaml package would print `null`). */
function commentsOnly(doc: Document.Parsed): string {
  const lines = [doc.commentBefore, doc.comment].filter((c): c is string => !!c).join('\n').split('\n');
  return lines.filter((l, i) => l !== '' || i < lines.length - 1).map((l) => (l === '' ? '\n' : `#${l}\n`)).join('');
}

function emptyDocument(comment: string | undefined): Document.Parsed {
  const doc = new Document(null) as unknown as Document.Parsed;
  if (comment) doc.commentBefore = comment;
  return doc;
}

function takeMetadata(docs: Document.Parsed[], file: string): RawMetadata {
  let metadata: RawMetadata | undefined;
  for (const doc of docs) {
    if (!isMap(doc.contents)) continue;
    const value: unknown = doc.contents.get('sops', true);
    if (value !== undefined && metadata === undefined) metadata = (value as { toJSON(): RawMetadata }).toJSON();
    doc.contents.delete('sops');
    // A document that held only the metadata was empty (or comments only) before encryption.
    if (doc.contents.items.length === 0 && !doc.contents.commentBefore && !doc.contents.comment) doc.contents = null;
  }
  if (!metadata || typeof metadata !== 'object') throw new StoreError(`${file}: sops metadata not found`);
  return metadata;
}

function withMetadata(doc: Document.Parsed, md: RawMetadata, file: string): Document {
  const copy = doc.clone() as Document;
  if (copy.contents === null || (isScalar(copy.contents) && copy.contents.value === null)) copy.contents = copy.createNode({});
  if (!isMap(copy.contents)) throw new StoreError(`${file}: YAML documents must be mappings`);
  const node = copy.createNode(md);
  for (const scalar of scalarsOf(node)) {
    if (typeof scalar.value !== 'string') continue;
    if (scalar.value.includes('\n')) scalar.type = Scalar.BLOCK_LITERAL;
    // Quoted like sops (yaml.v3) writes them, so YAML 1.1 readers keep dates as strings.
    else if (/^\d{4}-\d\d-\d\dT/.test(scalar.value)) scalar.type = Scalar.QUOTE_DOUBLE;
  }
  copy.contents.set(copy.createNode('sops'), node);
  return copy;
}

function* scalarsOf(node: unknown): Generator<Scalar> {
  if (isScalar(node)) yield node;
  else if (isMap(node)) for (const pair of node.items) yield* scalarsOf(pair.value);
  else if (isSeq(node)) for (const item of node.items) yield* scalarsOf(item);
}

function buildDocument(doc: Document.Parsed, b: Builder): TreeMap {
  const root: TreeMap = { kind: 'map', items: [] };
  root.items.push(...comments(doc as CommentHolder, 'commentBefore', b));
  const contents = doc.contents;
  checkAnchor(contents, b);
  if (isMap(contents)) root.items.push(...buildMap(contents, b).items);
  else if (isSeq(contents)) throw new StoreError(`${b.file}: YAML documents that are sequences are not supported by SOPS`);
  else if (contents && !(isScalar(contents) && contents.value === null)) {
    throw new StoreError(`${b.file}: YAML documents that are single values are not supported by SOPS`);
  }
  if (isScalar(contents)) root.items.push(...comments(contents, 'commentBefore', b), ...comments(contents, 'comment', b));
  root.items.push(...comments(doc as CommentHolder, 'comment', b));
  return root;
}

/** yaml reads anchors its own writer refuses (a control character or a space in the name): refused here, before any save. */
function checkAnchor(node: unknown, b: Builder): void {
  const anchor = (node as { anchor?: string } | null)?.anchor;
  // eslint-disable-next-line no-control-regex -- the characters yaml's anchorIsValid refuses
  if (anchor !== undefined && /[\x00-\x19\s,[\]{}]/.test(anchor)) {
    throw new StoreError(`${b.file}: the YAML anchor ${JSON.stringify(anchor)} has a space or control character in its name`);
  }
}

/**
 * A mapping or sequence tagged as a scalar type (`data: !!str` over a mapping): yaml reads it as the collection
 * but writes it back as the text "undefined", so the values would be lost on the first save. Refused on load.
 */
function checkCollectionTag(node: YAMLMap | YAMLSeq, b: Builder, where: string): void {
  const scalarTag = /^tag:yaml\.org,2002:(str|int|float|bool|null|binary|timestamp)$/.exec(node.tag ?? '');
  if (scalarTag) {
    const kind = isMap(node) ? 'mapping' : 'sequence';
    throw new StoreError(`${b.file}: the ${kind} under ${where} is tagged !!${scalarTag[1]}, which SOPS files cannot keep: remove the tag`);
  }
}

function buildMap(map: YAMLMap, b: Builder, where = 'the document'): TreeMap {
  checkAnchor(map, b);
  checkCollectionTag(map, b, where);
  const out: TreeMap = { kind: 'map', items: [...comments(map, 'commentBefore', b)] };
  for (const pair of map.items) {
    const key = pair.key;
    if (!isScalar(key)) throw new StoreError(`${b.file}: only scalar keys are supported by SOPS`);
    checkAnchor(key, b);
    out.items.push(...comments(key, 'commentBefore', b), ...comments(key, 'comment', b));
    const value = pair.value;
    if (!isMap(value) && !isSeq(value)) {
      out.items.push(...comments(value as CommentHolder | null, 'commentBefore', b), ...comments(value as CommentHolder | null, 'comment', b));
    }
    out.items.push({ kind: 'entry', key: String(key.value), value: buildNode(value, b, String(key.value)) });
  }
  out.items.push(...comments(map, 'comment', b));
  return out;
}

function buildSeq(seq: YAMLSeq, b: Builder, where: string): TreeList {
  checkAnchor(seq, b);
  checkCollectionTag(seq, b, where);
  const out: TreeList = { kind: 'list', items: [...comments(seq, 'commentBefore', b)] };
  for (const item of seq.items) {
    if (!isMap(item) && !isSeq(item)) {
      out.items.push(...comments(item as CommentHolder | null, 'commentBefore', b), ...comments(item as CommentHolder | null, 'comment', b));
    }
    out.items.push(buildNode(item, b, where));
  }
  out.items.push(...comments(seq, 'comment', b));
  return out;
}

function buildNode(node: unknown, b: Builder, where: string): TreeNode {
  if (isMap(node)) return buildMap(node, b, where);
  if (isSeq(node)) return buildSeq(node, b, where);
  if (isAlias(node)) throw new StoreError(`${b.file}: YAML aliases (*${node.source}) are not supported in SOPS files (under ${where})`);
  if (node === null || node === undefined) return { kind: 'value', value: { type: 'null' } };
  if (!isScalar(node)) throw new StoreError(`${b.file}: unsupported YAML node under ${where}`);
  checkAnchor(node, b);
  const value = plainValueOf(node);
  const leaf: ValueLeaf = { kind: 'value', value, ref: { node, original: value } };
  return leaf;
}

function plainValueOf(node: Scalar): PlainValue {
  const v = node.value;
  if (v === null || v === undefined) return { type: 'null' };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: v.toString() };
  if (typeof v === 'number') {
    const source = (node as { source?: string }).source ?? String(v);
    const isInt = Number.isInteger(v) && (node.format === 'HEX' || node.format === 'OCT' || /^[-+]?\d+$/.test(source));
    return isInt ? { type: 'int', value: BigInt(v).toString() } : { type: 'float', value: v };
  }
  if (typeof v === 'string') return { type: 'str', value: v };
  // Explicitly tagged values: the MAC must not depend on how yaml lays them out again (a !!binary block is
  // re-wrapped at 76 columns, a !!timestamp written in full), so they are read as their canonical text.
  if (v instanceof Uint8Array) return { type: 'str', value: Buffer.from(v).toString('base64') };
  if (v instanceof Date && !Number.isNaN(v.getTime())) return { type: 'str', value: v.toISOString() };
  return { type: 'str', value: (node as { source?: string }).source ?? String(v) };
}

function comments(holder: CommentHolder | null | undefined, field: CommentSlot['field'], b: Builder): CommentItem[] {
  const text = holder?.[field];
  if (!holder || !text) return [];
  const slot: CommentSlot = { holder, field, lines: text.split('\n') };
  b.slots.push(slot);
  return slot.lines.flatMap((line, index) => (line === '' ? [] : [{ kind: 'comment', text: line, ref: { slot, index } } as CommentItem]));
}

function writeBack(branches: TreeMap[], slots: CommentSlot[]): void {
  const visit = (node: TreeNode | CommentItem): void => {
    if (node.kind === 'comment') {
      const { slot, index } = node.ref as { slot: CommentSlot; index: number };
      slot.lines[index] = node.text;
    } else if (node.kind === 'map') {
      for (const item of node.items) visit(item.kind === 'entry' ? item.value : item);
    } else if (node.kind === 'list') {
      node.items.forEach(visit);
    } else if (node.ref) {
      const { node: scalar, original } = node.ref as { node: Scalar; original: PlainValue };
      if (JSON.stringify(original) !== JSON.stringify(node.value)) writeScalar(scalar, node.value);
    }
  };
  branches.forEach(visit);
  for (const slot of slots) slot.holder[slot.field] = slot.lines.join('\n');
}

function writeScalar(node: Scalar, value: PlainValue): void {
  // The written value (ENC[] text, or a decrypted value) is not in the form of an explicit tag such as
  // !!binary, !!timestamp or !!float: keeping the tag made yaml stringify it as that type (a TypeError).
  node.tag = undefined;
  node.format = undefined;
  node.minFractionDigits = undefined;
  switch (value.type) {
    case 'str':
      node.value = value.value;
      node.type = value.value.includes('\n') ? Scalar.BLOCK_LITERAL
        : isEncryptedValue(value.value) || node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED ? Scalar.PLAIN : node.type;
      return;
    case 'int': {
      const big = BigInt(value.value);
      node.value = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
      node.type = Scalar.PLAIN;
      return;
    }
    case 'float':
      node.value = value.value;
      // Keep "1.0" a float when read back; YAML would otherwise see the int 1.
      if (Number.isInteger(value.value)) node.minFractionDigits = 1;
      node.type = Scalar.PLAIN;
      return;
    case 'bool':
      node.value = value.value;
      node.type = Scalar.PLAIN;
      return;
    case 'null':
      node.value = null;
  }
}

/** The indentation the file already uses, so re-emitting it does not reformat every line. */
function detectLayout(text: string): { indent: number; indentSeq: boolean } {
  const lines = text.split('\n');
  let indent = 0;
  let indentSeq: boolean | undefined;
  for (let i = 0; i < lines.length - 1; i++) {
    const parent = /^(\s*)(?:- )?[^\s#-][^#]*:\s*$/.exec(lines[i]);
    if (!parent) continue;
    const child = /^(\s*)(- )?\S/.exec(lines[i + 1]);
    if (!child) continue;
    const depth = child[1].length - parent[1].length;
    if (child[2]) indentSeq ??= depth > 0;
    else if (depth > 0 && indent === 0) indent = depth;
    if (indent && indentSeq !== undefined) break;
  }
  return { indent: indent || 2, indentSeq: indentSeq ?? true };
}
