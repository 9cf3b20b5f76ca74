// The dotenv store (stores/dotenv): `KEY=VALUE` lines split at the first '=', `#` lines are comments,
// blank lines dropped; the metadata is flattened into `sops_*` keys.
import { flattenMetadata, unflattenMetadata } from '../metadata';
import { MapEntry, TreeMap } from '../tree';
import { LoadedDocument, Store, StoreError } from './store';

const PREFIX = 'sops_';

export const dotenvStore: Store = {
  load(text, file, form): LoadedDocument {
    const root: TreeMap = { kind: 'map', items: [] };
    const metadataPairs: Array<[string, string]> = [];
    text.split('\n').forEach((line, index) => {
      if (line.length === 0) return;
      if (line.startsWith('#')) {
        root.items.push({ kind: 'comment', text: line.slice(1) });
        return;
      }
      const eq = line.indexOf('=');
      if (eq === -1) throw new StoreError(`${file}: line ${index + 1} is not KEY=VALUE`);
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      if (form === 'encrypted' && key.startsWith(PREFIX)) metadataPairs.push([key.slice(PREFIX.length), value]);
      else root.items.push({ kind: 'entry', key, value: { kind: 'value', value: { type: 'str', value } } });
    });
    if (form === 'encrypted' && metadataPairs.length === 0) throw new StoreError(`${file}: sops metadata not found`);
    return {
      branches: [root],
      metadata: form === 'encrypted' ? unflattenMetadata(metadataPairs, file) : undefined,
      emit(md) {
        const lines = root.items.map((item) => {
          if (item.kind === 'comment') return `#${item.text}`;
          return `${item.key}=${scalarText(item, file)}`;
        });
        if (md) for (const [k, v] of flattenMetadata(md)) lines.push(`${PREFIX}${k}=${v}`);
        return lines.map((l) => `${l}\n`).join('');
      },
    };
  },
};

function scalarText(entry: MapEntry, file: string): string {
  if (entry.value.kind !== 'value') throw new StoreError(`${file}: dotenv files cannot hold nested values (key ${entry.key})`);
  const v = entry.value.value;
  return v.type === 'null' ? '' : String(v.value);
}
