import * as assert from 'node:assert/strict';
import { changedPaths } from '../../../src/core/drift/changedPaths';

describe('changedPaths', () => {
  it('is empty for equal documents', () => {
    assert.deepEqual(changedPaths({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }), []);
  });

  it('names changed, added and removed fields as JSON pointers', () => {
    const live = { spec: { replicas: 1, paused: false }, metadata: { labels: { 'app.kubernetes.io/name': 'web' } } };
    const desired = { spec: { replicas: 2, strategy: {} }, metadata: { labels: {} } };
    assert.deepEqual(changedPaths(live, desired).sort(), [
      '/metadata/labels/app.kubernetes.io~1name', '/spec/paused', '/spec/replicas', '/spec/strategy',
    ]);
  });

  it('names list elements by index, and extra elements of a longer list', () => {
    assert.deepEqual(changedPaths({ l: ['a', 'b'] }, { l: ['a', 'c', 'd'] }), ['/l/1', '/l/2']);
  });

  it('tells a number from the string of that number', () => {
    assert.deepEqual(changedPaths({ v: 1 }, { v: '1' }), ['/v']);
  });
});
