import assert from 'node:assert/strict';
import { describePlan, hasWork, summarizePlan, type SyncPlan } from '../../../src/core/sync';

const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'c2VjcmV0' } };

function plan(overrides: Partial<SyncPlan> = {}): SyncPlan {
  return {
    environment: 'dev', context: 'kind-dev', app: 'shop', protected: false, blocked: [], warnings: [], prune: false, forceConflicts: false, skipRefused: false, replace: false,
    changes: [
      { action: 'create', ref: { apiVersion: 'v1', kind: 'Namespace', name: 'shop' } },
      { action: 'update', ref: { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' }, object: secret, changedPaths: ['/data/password'] },
      { action: 'unchanged', ref: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' } },
      { action: 'prune', ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'old' }, note: 'tracked as part of app shop' },
    ],
    ...overrides,
  };
}

describe('core/sync describePlan', () => {
  it('lists each change with its fields, never a Secret value, and counts the unchanged', () => {
    const text = describePlan(plan()).join('\n');
    assert.match(text, /create\s+Namespace\/shop/);
    assert.match(text, /update\s+Secret\/shop\/db\s+\(\/data\/password\)/);
    assert.match(text, /prune\s+ConfigMap\/shop\/old\s+\(tracked as part of app shop; not deleted without prune\)/);
    assert.match(text, /1 unchanged/);
    assert.ok(!text.includes('c2VjcmV0'));
  });

  it('summarizes and tells whether applying writes anything', () => {
    assert.equal(summarizePlan(plan()), '1 to create, 1 to update, 1 to prune');
    const onlyPrune = plan({ changes: plan().changes.filter((c) => c.action === 'prune') });
    assert.equal(hasWork(onlyPrune), false);
    assert.equal(hasWork({ ...onlyPrune, prune: true }), true);
  });
});
