import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { healthOf } from '../../../src/core/drift/health';

function object(apiVersion: string, kind: string, spec: unknown, status?: unknown, generation?: number): KubeObject {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'ns', generation }, spec, status };
}

describe('health', () => {
  it('has none for kinds without one', () => {
    assert.equal(healthOf(object('v1', 'ConfigMap', undefined)), undefined);
  });

  it('Deployment: Progressing without status (no controller observed it), Healthy when all replicas are available', () => {
    assert.equal(healthOf(object('apps/v1', 'Deployment', { replicas: 2 }, undefined, 1))?.status, 'Progressing');
    const rolledOut = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 };
    assert.equal(healthOf(object('apps/v1', 'Deployment', { replicas: 2 }, rolledOut, 1))?.status, 'Healthy');
    assert.deepEqual(healthOf(object('apps/v1', 'Deployment', { replicas: 2 }, { ...rolledOut, availableReplicas: 1 }, 1)),
      { status: 'Progressing', message: '1 of 2 updated replicas available' });
  });

  it('Deployment: Degraded past its progress deadline, Suspended when paused', () => {
    const stuck = { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' }] };
    assert.deepEqual(healthOf(object('apps/v1', 'Deployment', {}, stuck, 1)), { status: 'Degraded', message: 'timed out' });
    assert.equal(healthOf(object('apps/v1', 'Deployment', { paused: true }, {}, 1))?.status, 'Suspended');
  });

  it('StatefulSet and DaemonSet: Healthy when ready, Progressing before', () => {
    assert.equal(healthOf(object('apps/v1', 'StatefulSet', { replicas: 1 }, { observedGeneration: 1, readyReplicas: 1 }, 1))?.status, 'Healthy');
    assert.equal(healthOf(object('apps/v1', 'StatefulSet', { replicas: 2 }, { observedGeneration: 1, readyReplicas: 1 }, 1))?.status, 'Progressing');
    const ds = { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 };
    assert.equal(healthOf(object('apps/v1', 'DaemonSet', {}, ds, 1))?.status, 'Healthy');
    assert.equal(healthOf(object('apps/v1', 'DaemonSet', {}, { ...ds, numberAvailable: 0 }, 1))?.status, 'Progressing');
  });

  it('Job, PVC, Pod and Service', () => {
    assert.equal(healthOf(object('batch/v1', 'Job', {}, { conditions: [{ type: 'Complete', status: 'True' }] }))?.status, 'Healthy');
    assert.equal(healthOf(object('batch/v1', 'Job', {}, { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] }))?.status, 'Degraded');
    assert.equal(healthOf(object('v1', 'PersistentVolumeClaim', {}, { phase: 'Bound' }))?.status, 'Healthy');
    assert.equal(healthOf(object('v1', 'PersistentVolumeClaim', {}, { phase: 'Pending' }))?.status, 'Progressing');
    const crashing = { phase: 'Running', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }] };
    assert.deepEqual(healthOf(object('v1', 'Pod', {}, crashing)), { status: 'Degraded', message: 'container app: CrashLoopBackOff' });
    assert.equal(healthOf(object('v1', 'Pod', {}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }))?.status, 'Healthy');
    assert.equal(healthOf(object('v1', 'Service', { type: 'ClusterIP' }))?.status, 'Healthy');
    assert.equal(healthOf(object('v1', 'Service', { type: 'LoadBalancer' }, {}))?.status, 'Progressing');
  });

  it('Flux objects follow their Ready condition; Argo CD Applications their own health', () => {
    const ready = (status: string, message: string) => ({ conditions: [{ type: 'Ready', status, message }] });
    const kustomization = (spec: unknown, status: unknown) => object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', spec, status);
    assert.deepEqual(healthOf(kustomization({}, ready('True', 'Applied revision: main@sha1:abc'))), { status: 'Healthy', message: 'Applied revision: main@sha1:abc' });
    assert.deepEqual(healthOf(kustomization({}, ready('False', 'kustomize build failed'))), { status: 'Degraded', message: 'kustomize build failed' });
    assert.equal(healthOf(kustomization({}, undefined))?.status, 'Progressing');
    assert.equal(healthOf(kustomization({ suspend: true }, ready('True', '')))?.status, 'Suspended');
    assert.equal(healthOf(object('argoproj.io/v1alpha1', 'Application', {}, { health: { status: 'Degraded' } }))?.status, 'Degraded');
  });
});
