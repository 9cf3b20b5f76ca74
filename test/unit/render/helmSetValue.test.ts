// valuesFrom targetPath as helm-controller applies it: helm's `--set` line `<targetPath>=<value>` (strvals), and
// the deep merge of valuesFrom and spec.values (fluxcd/pkg transform.MergeMaps).
import assert from 'node:assert/strict';
import { SetValueError, setPathValue } from '../../../src/core/render/helmSetValue';
import { mergeMaps } from '../../../src/core/render/helmValues';

const set = (path: string, value: string, into: Record<string, unknown> = {}, literal = false) => {
  setPathValue(into, path, value, literal);
  return into;
};

describe('valuesFrom targetPath (helm --set syntax)', () => {
  it('types values as --set does: booleans, null, integers without a leading zero; anything else is a string', () => {
    assert.deepEqual(set('a', 'true'), { a: true });
    assert.deepEqual(set('a', 'FALSE'), { a: false });
    assert.deepEqual(set('a', 'null'), { a: null });
    assert.deepEqual(set('a', '0'), { a: 0 });
    assert.deepEqual(set('a', '42'), { a: 42 });
    assert.deepEqual(set('a', '0755'), { a: '0755' });
    assert.deepEqual(set('a', '1.5'), { a: '1.5' });
    assert.deepEqual(set('a', 'v1.2.3'), { a: 'v1.2.3' });
  });

  it('sets a quoted value as a string without its quotes', () => {
    assert.deepEqual(set('a', '"true"'), { a: 'true' });
    assert.deepEqual(set('a', "'42'"), { a: '42' });
  });

  it('follows dots into maps (keeping their other keys), escaped dots, and list indexes', () => {
    assert.deepEqual(set('image.tag', '1.2', { image: { repository: 'nginx' } }), { image: { repository: 'nginx', tag: '1.2' } });
    assert.deepEqual(set('annotations.example\\.com/team', 'web'), { annotations: { 'example.com/team': 'web' } });
    assert.deepEqual(set('hosts[1].name', 'b', { hosts: [{ name: 'a' }] }), { hosts: [{ name: 'a' }, { name: 'b' }] });
    assert.deepEqual(set('ports[2]', '80'), { ports: [null, null, 80] });
  });

  it('reads a comma as another assignment and {a,b} as a list, as helm does on its command line', () => {
    assert.deepEqual(set('a', '1,b=2'), { a: 1, b: 2 });
    assert.deepEqual(set('list', '{x,y}'), { list: ['x', 'y'] });
    assert.throws(() => set('a', 'x,y'), /key "y" has no value/);
  });

  it('with literal, sets the value as it is (--set-literal)', () => {
    assert.deepEqual(set('config.file', 'a=1,b={2}\n', {}, true), { config: { file: 'a=1,b={2}\n' } });
  });

  it('refuses a path through a value that is not a map or list, naming it', () => {
    assert.throws(() => set('image.tag', '1', { image: 'nginx' }), (error: unknown) => error instanceof SetValueError && /image is a string, not a map/.test(error.message));
    assert.throws(() => set('hosts[0]', '1', { hosts: 'x' }), /hosts is a string, not a list/);
    assert.throws(() => set('a[-1]', '1'), /negative -1 index not allowed/);
  });
});

describe('valuesFrom merge (transform.MergeMaps)', () => {
  it('merges maps key by key, the later side winning; lists and scalars are replaced, null too', () => {
    assert.deepEqual(
      mergeMaps({ a: { b: 1, c: [1, 2] }, d: 'x', e: 1 }, { a: { c: [3], f: true }, d: null }),
      { a: { b: 1, c: [3], f: true }, d: null, e: 1 },
    );
  });
});
