import * as assert from 'node:assert/strict';
import type { AppResult, ResourceResult, StatusReport, SyncStatus } from '../../../src/core/model';
import { appStatus, countStatuses, exitCodeFor } from '../../../src/core/drift/summarize';

function resource(status: SyncStatus): ResourceResult {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: status.toLowerCase(), status };
}

function report(statuses: SyncStatus[][], environmentReason?: string): StatusReport {
  const apps: AppResult[] = statuses.map((list, index) => {
    const counts = countStatuses(list.map(resource));
    return { name: `app${index}`, environment: 'staging', status: appStatus(counts, undefined), renderer: 'yaml', path: '/r', counts, resources: list.map(resource) };
  });
  return { repo: '/r', generatedAt: '', environments: [{ name: 'staging', context: 'c', protected: false, apps, reason: environmentReason }] };
}

describe('status roll-ups', () => {
  it('count resources per status', () => {
    assert.deepEqual(countStatuses(['Synced', 'Synced', 'OutOfSync', 'Missing', 'Extra', 'Unknown'].map((s) => resource(s as SyncStatus))),
      { synced: 2, outOfSync: 1, missing: 1, extra: 1, unknown: 1 });
  });

  it('make an app OutOfSync for any drift, Unknown for an app-level reason or an unknown resource, else Synced', () => {
    const none = { synced: 3, outOfSync: 0, missing: 0, extra: 0, unknown: 0 };
    assert.equal(appStatus(none, undefined), 'Synced');
    assert.equal(appStatus({ ...none, extra: 1, unknown: 1 }, undefined), 'OutOfSync');
    assert.equal(appStatus({ ...none, unknown: 1 }, undefined), 'Unknown');
    assert.equal(appStatus(none, 'render failed'), 'Unknown');
  });

  it('give exit code 0 in sync, 1 for drift (even next to an error), 2 for errors only or nothing to compare', () => {
    assert.equal(exitCodeFor(report([['Synced']])), 0);
    assert.equal(exitCodeFor(report([['Synced', 'Missing'], ['Unknown']])), 1);
    assert.equal(exitCodeFor(report([['Synced'], ['Unknown']])), 2);
    assert.equal(exitCodeFor(report([], 'cluster unreachable: context "prod"')), 2);
    assert.equal(exitCodeFor({ repo: '/r', generatedAt: '', environments: [] }), 2, 'nothing to compare is not "in sync"');
  });
});
