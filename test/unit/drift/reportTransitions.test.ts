import * as assert from 'node:assert/strict';
import { appStatus, countStatuses } from '../../../src/core/drift/summarize';
import { describeTransitions, reportTransitions } from '../../../src/core/drift/reportTransitions';
import type { ConditionStatus } from '../../../src/core/health/controllerState';
import type { AppResult, HealthStatus, ResourceResult, StatusReport, SyncStatus } from '../../../src/core/model';

function configMap(name: string, status: SyncStatus): ResourceResult {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name, status };
}

function rollout(health: HealthStatus, healthMessage?: string): ResourceResult {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: 'shop', name: 'web', status: 'Synced', health, ...(healthMessage ? { healthMessage } : {}) };
}

function app(name: string, resources: ResourceResult[]): AppResult {
  const counts = countStatuses(resources);
  return { name, environment: 'dev', status: appStatus(counts, undefined), renderer: 'yaml', path: `/r/${name}`, counts, resources };
}

function report(...apps: AppResult[]): StatusReport {
  return { repo: '/r', generatedAt: '', environments: [{ name: 'dev', context: 'kind-dev', protected: false, apps }] };
}

describe('report transitions (what a notification tells)', () => {
  it('names an app that was in sync and drifted, with its drifted objects; the first of them is the one to diff', () => {
    const before = report(app('shop', [configMap('settings', 'Synced'), configMap('flags', 'Synced')]));
    const after = report(app('shop', [configMap('settings', 'OutOfSync'), configMap('flags', 'Missing')]));
    const [transition, ...rest] = reportTransitions(before, after);
    assert.deepEqual(rest, []);
    assert.equal(transition!.kind, 'drifted');
    assert.equal(transition!.resource?.name, 'settings');
    assert.equal(describeTransitions('dev', [transition!]), 'dev: shop drifted (ConfigMap/shop/settings changed, ConfigMap/shop/flags missing)');
  });

  it('is silent for an app that was already drifted, one the previous report did not have, and one that became Unknown', () => {
    const before = report(app('shop', [configMap('settings', 'OutOfSync')]), app('web', [configMap('web', 'Synced')]));
    const after = report(app('shop', [configMap('settings', 'OutOfSync'), configMap('flags', 'Missing')]), app('web', [configMap('web', 'Unknown')]),
      app('new', [configMap('new', 'OutOfSync')]));
    assert.deepEqual(reportTransitions(before, after), []);
  });

  it('counts the drifted objects beyond the third', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const before = report(app('shop', names.map((name) => configMap(name, 'Synced'))));
    const after = report(app('shop', names.map((name) => configMap(name, 'OutOfSync'))));
    assert.match(reportTransitions(before, after)[0]!.detail, /ConfigMap\/shop\/c changed, 2 more$/);
  });

  it('names a Rollout that became Degraded, with why, once: not again while it stays Degraded', () => {
    const degraded = report(app('shop', [rollout('Degraded', 'Rollout aborted update to revision 3')]));
    const [transition] = reportTransitions(report(app('shop', [rollout('Paused')])), degraded);
    assert.equal(transition!.kind, 'degraded');
    assert.equal(describeTransitions('dev', [transition!]), 'dev: shop: Rollout/shop/web is Degraded: Rollout aborted update to revision 3');
    assert.deepEqual(reportTransitions(degraded, degraded), []);
  });

  it('leaves Degraded objects that are no progressive delivery to the view', () => {
    const deployment = (health: HealthStatus): ResourceResult => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', status: 'Synced', health });
    assert.deepEqual(reportTransitions(report(app('shop', [deployment('Healthy')])), report(app('shop', [deployment('Degraded')]))), []);
  });

  it('names a controller whose reconcile started failing, with its reason and the start of its message, once', () => {
    const web = (ready: ConditionStatus | undefined, message?: string): AppResult => ({
      ...app('web', [configMap('web', 'Synced')]),
      controller: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'web',
        ...(ready ? { ready } : {}), ...(message ? { reason: 'HealthCheckFailed', message } : {}) },
    });
    const failing = report(web('False', `health check failed after 5m0s: ${'timeout waiting for Deployment/web/web '.repeat(10)}`));
    for (const before of [web('True'), web('Unknown'), web(undefined)]) {
      const [transition, ...rest] = reportTransitions(report(before), failing);
      assert.deepEqual(rest, []);
      assert.equal(transition!.kind, 'reconcileFailed');
      assert.equal(transition!.resource, undefined, 'Show Diff opens the app\'s diff');
      assert.match(describeTransitions('dev', [transition!]),
        /^dev: web: Kustomization flux-system\/web failed to reconcile \(HealthCheckFailed: health check failed after 5m0s: timeout waiting .{100,}…\)$/);
      assert.ok(transition!.detail.length < 300, transition!.detail);
    }
    assert.deepEqual(reportTransitions(failing, failing), [], 'still failing is no news');
    assert.deepEqual(reportTransitions(failing, report(web('True'))), [], 'recovered is no alarm');
  });

  it('folds several apps of one environment into one line', () => {
    const before = report(app('shop', [configMap('settings', 'Synced')]), app('web', [rollout('Healthy')]));
    const after = report(app('shop', [configMap('settings', 'OutOfSync')]), app('web', [rollout('Degraded')]));
    assert.equal(describeTransitions('dev', reportTransitions(before, after)),
      'dev: shop drifted (ConfigMap/shop/settings changed); web: Rollout/shop/web is Degraded');
  });
});
