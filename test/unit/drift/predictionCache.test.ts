import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { PredictionCache, stableJson } from '../../../src/core/drift/predictionCache';

const object = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });

describe('prediction cache', () => {
  it('keys by desired content (whatever its key order), live resourceVersion and context', () => {
    const key = PredictionCache.key(object({ a: '1', b: '2' }), '7', 'prod');
    assert.equal(PredictionCache.key(object({ b: '2', a: '1' }), '7', 'prod'), key);
    assert.notEqual(PredictionCache.key(object({ a: '1', b: '3' }), '7', 'prod'), key);
    assert.notEqual(PredictionCache.key(object({ a: '1', b: '2' }), '8', 'prod'), key);
    assert.notEqual(PredictionCache.key(object({ a: '1', b: '2' }), '7', 'staging'), key);
  });

  it('forgets the least recently used entry beyond its capacity', () => {
    const cache = new PredictionCache(2);
    cache.set('a', object({ n: 'a' }));
    cache.set('b', object({ n: 'b' }));
    cache.get('a');
    cache.set('c', object({ n: 'c' }));
    assert.equal(cache.size, 2);
    assert.ok(cache.get('a') && cache.get('c'));
    assert.equal(cache.get('b'), undefined);
  });

  it('stableJson sorts keys at every depth and keeps list order', () => {
    assert.equal(stableJson({ b: [2, { d: 1, c: 0 }], a: null }), '{"a":null,"b":[2,{"c":0,"d":1}]}');
  });
});
