import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { applyIgnoreRules, ruleMatches } from '../../../src/core/drift/ignoreRules';
import { formatPointer, parsePointer, removeAtPointer } from '../../../src/core/drift/jsonPointer';
import { valueAt } from '../../support/valueAt';

const deployment: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', annotations: { 'a/b': 'x' } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } },
};

describe('ignore rules', () => {
  it('match by group, kind, name and namespace; absent selectors match everything', () => {
    assert.ok(ruleMatches({ jsonPointers: [] }, deployment));
    assert.ok(ruleMatches({ group: 'apps', kind: 'Deployment', name: 'web', namespace: 'shop', jsonPointers: [] }, deployment));
    assert.ok(!ruleMatches({ group: '', kind: 'Deployment', jsonPointers: [] }, deployment));
    assert.ok(!ruleMatches({ kind: 'StatefulSet', jsonPointers: [] }, deployment));
    assert.ok(!ruleMatches({ name: 'api', jsonPointers: [] }, deployment));
    assert.ok(!ruleMatches({ namespace: 'other', jsonPointers: [] }, deployment));
  });

  it('remove the fields their pointers name from matching objects only, on a copy', () => {
    const ignored = applyIgnoreRules(deployment, [
      { kind: 'Deployment', jsonPointers: ['/spec/replicas', '/metadata/annotations/a~1b'] },
      { kind: 'Service', jsonPointers: ['/spec'] },
    ]);
    assert.equal(valueAt(ignored, '/spec/replicas'), undefined);
    assert.deepEqual(ignored.metadata.annotations, {});
    assert.equal(valueAt(deployment, '/spec/replicas'), 3, 'input untouched');
  });

  it('ignore pointers to fields that are absent', () => {
    const ignored = applyIgnoreRules(deployment, [{ jsonPointers: ['/spec/nothing/here', '/spec/template/spec/containers/7'] }]);
    assert.deepEqual(ignored, deployment);
  });
});

describe('JSON pointers', () => {
  it('escape "/" and "~" both ways', () => {
    assert.equal(formatPointer(['metadata', 'annotations', 'a/b~c']), '/metadata/annotations/a~1b~0c');
    assert.deepEqual(parsePointer('/metadata/annotations/a~1b~0c'), ['metadata', 'annotations', 'a/b~c']);
  });

  it('remove an array element by index', () => {
    const doc = { list: ['a', 'b', 'c'] };
    assert.ok(removeAtPointer(doc, '/list/1'));
    assert.deepEqual(doc.list, ['a', 'c']);
  });

  it('refuse a pointer without a leading slash, naming it', () => {
    assert.throws(() => parsePointer('spec/replicas'), /"spec\/replicas" must start with "\/"/);
  });
});
