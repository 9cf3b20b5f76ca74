import * as assert from 'node:assert/strict';
import type { ControllerRef, KubeObject } from '../../../src/core/model';
import { argoControllerState } from '../../../src/core/health/argoControllerState';
import { commitOfRevision, shortRevision } from '../../../src/core/health/controllerState';
import { fluxControllerState, fluxSourceRefs, fluxSourceState } from '../../../src/core/health/fluxControllerState';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9001122334';
const OLD = '0f1e2d3c4b5a69788796a5b4c3d2e1f001234567';

const kustomizationRef: ControllerRef = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
const helmReleaseRef: ControllerRef = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' };
const applicationRef: ControllerRef = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'guestbook' };

function object(ref: ControllerRef | { apiVersion: string; kind: string; namespace: string; name: string }, spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace }, spec, status };
}

describe('controller state: what each cluster runs', () => {
  it('reads a Kustomization whose health checks failed: Ready=False HealthCheckFailed, the revisions applied and attempted', () => {
    const state = fluxControllerState(kustomizationRef, object(kustomizationRef, { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, wait: true }, {
      lastAppliedRevision: `main@sha1:${OLD}`, lastAttemptedRevision: `main@sha1:${SHA}`,
      conditions: [
        { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message: "health check failed after 30s: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress']", lastTransitionTime: '2026-12-02T03:00:00Z' },
        { type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message: 'health check failed', lastTransitionTime: '2026-12-02T03:00:00Z' },
      ],
    }));
    assert.equal(state.ready, 'False');
    assert.equal(state.reason, 'HealthCheckFailed');
    assert.match(state.message ?? '', /timeout waiting for/);
    assert.equal(state.appliedRevision, `main@sha1:${OLD}`);
    assert.equal(state.attemptedRevision, `main@sha1:${SHA}`);
    assert.equal(state.lastReconciled, '2026-12-02T03:00:00Z');
    assert.deepEqual(state.conditions, [{ type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message: 'health check failed' }]);
    assert.equal(state.suspended, undefined);
  });

  it('takes the later of lastHandledReconcileAt and the Ready transition, and says a Kustomization is suspended', () => {
    const state = fluxControllerState(kustomizationRef, object(kustomizationRef, { suspend: true }, {
      lastHandledReconcileAt: '2026-12-02T04:00:00Z',
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${SHA}`, lastTransitionTime: '2026-12-01T00:00:00Z' }],
    }));
    assert.equal(state.ready, 'True');
    assert.equal(state.suspended, true);
    assert.equal(state.lastReconciled, '2026-12-02T04:00:00Z');
  });

  it('reads a HelmRelease v2: history[0] is the release running, failures and remediation beside Ready', () => {
    const state = fluxControllerState(helmReleaseRef, object(helmReleaseRef, { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } }, {
      helmChart: 'flux-system/podinfo-podinfo',
      history: [
        { name: 'podinfo', namespace: 'podinfo', version: 3, status: 'deployed', chartName: 'podinfo', chartVersion: '6.5.4', appVersion: '6.5.4', digest: 'sha256:aaa', configDigest: 'sha256:bbb' },
        { name: 'podinfo', namespace: 'podinfo', version: 2, status: 'superseded', chartName: 'podinfo', chartVersion: '6.5.3' },
      ],
      lastAttemptedRevision: '6.6.0', upgradeFailures: 2, installFailures: 0,
      conditions: [
        { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.6.0: context deadline exceeded' },
        { type: 'Released', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed' },
        { type: 'Remediated', status: 'True', reason: 'RollbackSucceeded', message: 'Helm rollback to previous release podinfo/podinfo.v3 succeeded' },
      ],
    }));
    assert.equal(state.ready, 'False');
    assert.equal(state.reason, 'UpgradeFailed');
    assert.equal(state.appliedRevision, '6.5.4');
    assert.equal(state.attemptedRevision, '6.6.0');
    assert.deepEqual(state.release, { chartName: 'podinfo', chartVersion: '6.5.4', appVersion: '6.5.4', version: 3, status: 'deployed', digest: 'sha256:aaa', configDigest: 'sha256:bbb' });
    assert.deepEqual(state.failures, { upgrade: 2 });
    assert.deepEqual(state.conditions?.map((entry) => `${entry.type}=${entry.status} ${entry.reason}`), ['Released=False UpgradeFailed', 'Remediated=True RollbackSucceeded']);
  });

  it('reads an older HelmRelease (v2beta1 lastAppliedRevision / lastReleaseRevision)', () => {
    const state = fluxControllerState(helmReleaseRef, object(helmReleaseRef, {}, { lastAppliedRevision: '6.5.3', lastReleaseRevision: 7, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }] }));
    assert.equal(state.appliedRevision, '6.5.3');
    assert.deepEqual(state.release, { version: 7 });
  });

  it('finds the sources a controller reads: sourceRef, a HelmRelease chart.spec HelmChart then its repository, chartRef', () => {
    const kustomization = object(kustomizationRef, { sourceRef: { kind: 'GitRepository', name: 'flux-system' } }, {});
    assert.deepEqual(fluxSourceRefs(kustomizationRef, kustomization), [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' }]);
    const release = object(helmReleaseRef, { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } }, {});
    assert.deepEqual(fluxSourceRefs(helmReleaseRef, release).map((ref) => `${ref.kind} ${ref.namespace}/${ref.name}`), ['HelmChart flux-system/podinfo-podinfo', 'HelmRepository flux-system/podinfo']);
    const byChartRef = object(helmReleaseRef, { chartRef: { kind: 'OCIRepository', name: 'podinfo' } }, {});
    assert.deepEqual(fluxSourceRefs(helmReleaseRef, byChartRef), [{ apiVersion: 'source.toolkit.fluxcd.io/v1beta2', kind: 'OCIRepository', namespace: 'podinfo', name: 'podinfo' }]);
  });

  it('reads a GitRepository that cannot authenticate: Ready=False with its message, the artifact it still serves', () => {
    const source = fluxSourceState(object({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' }, {}, {
      artifact: { revision: `main@sha1:${OLD}` },
      conditions: [{ type: 'Ready', status: 'False', reason: 'GitOperationFailed', message: 'failed to checkout and determine revision: unable to clone: authentication required', lastTransitionTime: '2026-12-02T02:00:00Z' }],
    }));
    assert.deepEqual(source, {
      kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system', ready: 'False', reason: 'GitOperationFailed',
      message: 'failed to checkout and determine revision: unable to clone: authentication required', lastReconciled: '2026-12-02T02:00:00Z', revision: `main@sha1:${OLD}`,
    });
  });

  it('reads an Argo CD Application: the deployed revision from history (newest last), a failed operation is Ready=False', () => {
    const state = argoControllerState(applicationRef, object(applicationRef, {}, {
      sync: { status: 'OutOfSync', revision: SHA },
      health: { status: 'Healthy' },
      history: [{ id: 0, revision: '1111111111111111111111111111111111111111' }, { id: 1, revision: OLD, deployedAt: '2026-12-01T10:00:00Z' }],
      operationState: { phase: 'Failed', message: 'one or more objects failed to apply', syncResult: { revision: SHA } },
      reconciledAt: '2026-12-02T04:10:00Z',
    }));
    assert.equal(state.ready, 'False');
    assert.equal(state.reason, 'SyncFailed');
    assert.equal(state.message, 'one or more objects failed to apply');
    assert.equal(state.appliedRevision, OLD);
    assert.equal(state.attemptedRevision, SHA);
    assert.equal(state.lastReconciled, '2026-12-02T04:10:00Z');
    assert.deepEqual(state.argo, { syncStatus: 'OutOfSync', healthStatus: 'Healthy', operationPhase: 'Failed', operationMessage: 'one or more objects failed to apply' });
  });

  it('reads an Argo CD Application: a repository it cannot read is ComparisonError; Synced and Healthy is Ready=True', () => {
    const broken = argoControllerState(applicationRef, object(applicationRef, {}, {
      sync: { status: 'Unknown' }, health: { status: 'Healthy' },
      conditions: [{ type: 'ComparisonError', message: 'Failed to load target state: authentication required' }],
    }));
    assert.equal(broken.ready, 'False');
    assert.equal(broken.reason, 'ComparisonError');
    assert.match(broken.message ?? '', /authentication required/);
    const fine = argoControllerState(applicationRef, object(applicationRef, {}, { sync: { status: 'Synced', revisions: ['6.5.4', SHA] }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } }));
    assert.equal(fine.ready, 'True');
    assert.equal(fine.appliedRevision, SHA);
    assert.equal(fine.attemptedRevision, undefined);
  });

  it('takes the commit out of each revision format, and only those', () => {
    assert.equal(commitOfRevision(`main@sha1:${SHA}`), SHA);
    assert.equal(commitOfRevision(`refs/heads/main@sha1:${SHA}`), SHA);
    assert.equal(commitOfRevision(`sha1:${SHA}`), SHA);
    assert.equal(commitOfRevision(`main/${SHA}`), SHA);
    assert.equal(commitOfRevision(SHA), SHA);
    assert.equal(commitOfRevision(`${SHA}-dirty`), SHA);
    assert.equal(commitOfRevision('6.5.4'), undefined);
    assert.equal(commitOfRevision(`latest@sha256:${'a'.repeat(64)}`), undefined);
    assert.equal(shortRevision(`main@sha1:${SHA}`), 'a1b2c3d');
    assert.equal(shortRevision(`${SHA}-dirty`), 'a1b2c3d-dirty');
    assert.equal(shortRevision('6.5.4'), '6.5.4');
  });
});
