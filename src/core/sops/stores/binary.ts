// The binary store: the whole plaintext is one string value `data`, kept in a JSON envelope when encrypted.
import { jsonDocument, jsonStore } from './json';
import { LoadedDocument, Store, StoreError } from './store';
import { TreeMap } from '../tree';

export const binaryStore: Store = {
  load(text, file, form): LoadedDocument {
    const doc = form === 'encrypted'
      ? jsonStore.load(text, file, 'encrypted')
      : jsonDocument({ kind: 'map', items: [{ kind: 'entry', key: 'data', value: { kind: 'value', value: { type: 'str', value: text } } }] }, file, 'plain');
    return {
      ...doc,
      emit: (md) => (md ? doc.emit(md) : dataOf(doc.branches[0], file)),
    };
  },
};

function dataOf(root: TreeMap, file: string): string {
  const entry = root.items.find((i) => i.kind === 'entry' && i.key === 'data');
  if (!entry || entry.kind !== 'entry' || entry.value.kind !== 'value' || entry.value.value.type !== 'str') {
    throw new StoreError(`${file}: the binary document has no string "data" value`);
  }
  return entry.value.value.value;
}
