import assert from 'node:assert/strict';
import { describeConflicts, parseApplyConflicts } from '../../../src/core/sync/conflicts';

describe('core/sync parseApplyConflicts', () => {
  it('reads the manager and field of a one-conflict message', () => {
    const message = 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas';
    assert.deepEqual(parseApplyConflicts(message), [{ manager: 'kubectl-edit', fields: ['.spec.replicas'] }]);
  });

  it('reads several fields of one manager', () => {
    const message = 'Apply failed with 2 conflicts: conflicts with "helm" using v1:\n- .data.a\n- .data.b';
    assert.deepEqual(parseApplyConflicts(message), [{ manager: 'helm', fields: ['.data.a', '.data.b'] }]);
  });

  it('reads several managers, with and without an API version', () => {
    const message = 'Apply failed with 3 conflicts: conflicts with "hpa":\n- .spec.replicas\nconflicts with "kubectl" using apps/v1:\n- .spec.paused\n- .metadata.labels.tier';
    assert.deepEqual(parseApplyConflicts(message), [
      { manager: 'hpa', fields: ['.spec.replicas'] },
      { manager: 'kubectl', fields: ['.spec.paused', '.metadata.labels.tier'] },
    ]);
  });

  it('finds nothing in a message that is not an apply conflict', () => {
    assert.deepEqual(parseApplyConflicts('Operation cannot be fulfilled on configmaps "x": the object has been modified'), []);
  });

  it('describes conflicts by field and owner', () => {
    assert.equal(describeConflicts([{ manager: 'hpa', fields: ['.spec.replicas'] }, { manager: 'kubectl', fields: ['.a', '.b'] }]),
      '.spec.replicas owned by "hpa"; .a, .b owned by "kubectl"');
  });
});
