// The INI store (stores/ini, on go-ini): sections are the top-level keys, each a flat map of strings;
// comments belong to the section or key below them; keys without a section go to DEFAULT; `=` is aligned
// per section like go-ini's pretty format; the metadata is a flattened `[sops]` section.
import { flattenMetadata, unflattenMetadata } from '../metadata';
import { CommentItem, MapEntry, TreeMap } from '../tree';
import { LoadedDocument, Store, StoreError } from './store';

const SECTION_COMMENT = 'section';

export const iniStore: Store = {
  load(text, file, form): LoadedDocument {
    const root: TreeMap = { kind: 'map', items: [] };
    const metadataPairs: Array<[string, string]> = [];
    let section = openSection(root, 'DEFAULT');
    let inMetadata = false;
    let pending: CommentItem[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      if (line.startsWith(';') || line.startsWith('#')) {
        pending.push({ kind: 'comment', text: line.replace(/^[;#]+\s*/, '') });
        continue;
      }
      const header = /^\[(.*)\]$/.exec(line);
      // `[db]x = y` is no key: encrypted, its line ends in `]` (ENC[...]) and is read back as a section.
      if (!header && line.startsWith('[')) throw new StoreError(`${file}: line ${i + 1} starts with "[" but is not a [section] header`);
      if (header) {
        inMetadata = form === 'encrypted' && header[1] === 'sops';
        section = inMetadata ? { kind: 'map', items: [] } : openSection(root, header[1]);
        // Comments above a header belong to the section (go-ini): they are written above it again.
        section.items.push(...pending.map((c) => ({ ...c, ref: SECTION_COMMENT })));
        pending = [];
        continue;
      }
      const delimiter = line.search(/[=:]/);
      if (delimiter <= 0) throw new StoreError(`${file}: line ${i + 1} is not "key = value"`);
      const key = line.slice(0, delimiter).trim();
      let value = line.slice(delimiter + 1).trim();
      if (value.startsWith('"""')) {
        value = value.slice(3);
        while (!value.endsWith('"""') && i + 1 < lines.length) value += '\n' + lines[++i];
        value = value.replace(/"""$/, '');
      } else if (/^(".*"|`.*`)$/.test(value) && value.length >= 2) {
        value = value.slice(1, -1);
      }
      if (inMetadata) {
        metadataPairs.push([key, value]);
        continue;
      }
      section.items.push(...pending, { kind: 'entry', key, value: { kind: 'value', value: { type: 'str', value } } });
      pending = [];
    }
    section.items.push(...pending);
    if (form === 'encrypted' && metadataPairs.length === 0) throw new StoreError(`${file}: sops metadata not found`);
    return {
      branches: [root],
      metadata: form === 'encrypted' ? unflattenMetadata(metadataPairs, file) : undefined,
      emit: (md) => emitIni(root, md ? flattenMetadata(md) : undefined, file),
    };
  },
};

function openSection(root: TreeMap, name: string): TreeMap {
  const existing = root.items.find((i): i is MapEntry => i.kind === 'entry' && i.key === name);
  if (existing && existing.value.kind === 'map') return existing.value;
  const section: TreeMap = { kind: 'map', items: [] };
  root.items.push({ kind: 'entry', key: name, value: section });
  return section;
}

function emitIni(root: TreeMap, metadata: Array<[string, string]> | undefined, file: string): string {
  const sections: Array<{ name: string; items: Array<MapEntry | CommentItem> }> = [];
  for (const item of root.items) {
    if (item.kind !== 'entry' || item.value.kind !== 'map') {
      throw new StoreError(`${file}: INI files hold only sections of key = value pairs`);
    }
    sections.push({ name: item.key, items: item.value.items });
  }
  if (metadata) {
    sections.push({ name: 'sops', items: metadata.map(([key, value]) => ({ kind: 'entry', key, value: { kind: 'value', value: { type: 'str', value } } })) });
  }
  const out: string[] = [];
  for (const { name, items } of sections) {
    if (name === 'DEFAULT' && items.length === 0) continue;
    const aboveHeader = items.filter((i) => i.kind === 'comment' && i.ref === SECTION_COMMENT);
    for (const c of aboveHeader) out.push(`; ${(c as CommentItem).text}`);
    out.push(`[${name}]`);
    const entries = items.filter((i): i is MapEntry => i.kind === 'entry');
    const width = Math.max(0, ...entries.map((e) => e.key.length));
    for (const item of items.filter((i) => !aboveHeader.includes(i))) {
      if (item.kind === 'comment') out.push(`; ${item.text}`);
      else out.push(`${item.key.padEnd(width)} = ${quote(item, file)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function quote(entry: MapEntry, file: string): string {
  if (entry.value.kind !== 'value') throw new StoreError(`${file}: INI values cannot be nested (key ${entry.key})`);
  const v = entry.value.value;
  const text = v.type === 'null' ? '' : String(v.value);
  if (text.includes('\n')) return `"""${text}"""`;
  if (/^\s|\s$/.test(text)) return `"${text}"`;
  // Read back, a value wrapped in "..." or `...` loses them and one starting with """ runs on over the next
  // lines: such a value is wrapped, in backticks unless it ends with one.
  if (/^["`]/.test(text)) return text.endsWith('`') ? `"${text}"` : `\`${text}\``;
  if (/[#;]/.test(text)) return `\`${text}\``;
  return text;
}
