import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { healthOf } from '../../../src/core/drift/health';
import { relatedOf } from './relatedObjects';

const UID = 'b1f7a0c2-0000-4000-8000-000000000001';
const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '10m' } }];

function rollout(status: Record<string, unknown> | undefined, spec: Record<string, unknown> = {}, generation = 2): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
    metadata: { name: 'web', namespace: 'shop', uid: UID, generation },
    spec: {
      replicas: 5, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.local/web:2.0' }] } },
      strategy: { canary: { steps: STEPS } }, ...spec,
    },
    ...(status ? { status } : {}),
  };
}

/** What the rollouts controller writes while the canary waits at the indefinite pause (step 2). */
const pausedAtStep2 = {
  observedGeneration: '2', currentPodHash: '7c9d5f8b6', stableRS: '5f4b8c7d9', currentStepIndex: 1,
  replicas: 6, updatedReplicas: 1, readyReplicas: 6, availableReplicas: 6,
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-02T01:10:00Z' }], controllerPause: true,
  conditions: [{ type: 'Paused', status: 'True', reason: 'RolloutPaused', message: 'Rollout is paused' }],
};

function replicaSet(hash: string, image: string, replicas: number, owner = UID): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: `web-${hash}`, namespace: 'shop', labels: { app: 'web', 'rollouts-pod-template-hash': hash }, ownerReferences: [{ kind: 'Rollout', name: 'web', uid: owner }] },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
    status: { replicas, availableReplicas: replicas },
  };
}

function analysisRun(name: string, status: Record<string, unknown>, created = '2026-12-02T01:12:00Z'): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun',
    metadata: { name, namespace: 'shop', creationTimestamp: created, labels: { 'rollouts-pod-template-hash': '7c9d5f8b6' }, ownerReferences: [{ kind: 'Rollout', name: 'web', uid: UID }] },
    spec: { metrics: [{ name: 'success-rate', failureLimit: 2, provider: { prometheus: { query: 'x' } } }] },
    status,
  };
}

const replicaSets = [replicaSet('7c9d5f8b6', 'registry.local/web:2.0', 1), replicaSet('5f4b8c7d9', 'registry.local/web:1.9', 5)];

describe('health: Argo Rollouts Rollout', () => {
  it('is Progressing until the controller observed its spec (no status, or an older generation)', () => {
    assert.deepEqual(healthOf(rollout(undefined)), { status: 'Progressing', message: 'Waiting for rollout spec update to be observed; step 1 of 4: setWeight 20, canary weight 20%', summary: 'step 1/4 · weight 20%' });
    assert.equal(healthOf(rollout({ ...pausedAtStep2, observedGeneration: '1' }))?.message?.startsWith('Waiting for rollout spec update to be observed'), true);
  });

  it('is Paused at a pause step: the step, the weight, why it waits, and the canary and stable ReplicaSets with their images', () => {
    const health = healthOf(rollout(pausedAtStep2), relatedOf(replicaSets));
    assert.equal(health?.status, 'Paused');
    assert.equal(health?.summary, 'step 2/4 · weight 20%');
    assert.equal(health?.message, 'Rollout is paused; step 2 of 4: pause (until promoted), canary weight 20%; ' +
      'paused by the controller (CanaryPauseStep) since 2026-12-02T01:10:00Z: Promote continues it; ' +
      'canary ReplicaSet web-7c9d5f8b6 (registry.local/web:2.0, 1/1 available); stable ReplicaSet web-5f4b8c7d9 (registry.local/web:1.9, 5/5 available)');
  });

  it('is Suspended, not Paused, when a user paused it (spec.paused)', () => {
    const health = healthOf(rollout({ ...pausedAtStep2, pauseConditions: undefined }, { paused: true }));
    assert.equal(health?.status, 'Suspended');
    assert.match(health?.message ?? '', /paused by a user \(spec\.paused\): Promote continues it/);
  });

  it('takes the weight the traffic router was given, and a timed pause its duration', () => {
    const health = healthOf(rollout({ ...pausedAtStep2, currentStepIndex: 3, canary: { weights: { canary: { weight: 55 } } } }));
    assert.equal(health?.summary, 'step 4/4 · weight 55%');
    assert.match(health?.message ?? '', /step 4 of 4: pause 10m, canary weight 55%/);
  });

  it('is Degraded once aborted, naming the AnalysisRun and the metric that failed with its counts and last value', () => {
    const aborted = {
      ...pausedAtStep2, pauseConditions: undefined, abort: true, currentStepIndex: 0,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'Rollout aborted update to revision 3: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)' }],
      canary: { currentStepAnalysisRunStatus: { name: 'web-7c9d5f8b6-3-1', status: 'Failed' } },
    };
    const failed = analysisRun('web-7c9d5f8b6-3-1', {
      phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)',
      metricResults: [{ name: 'success-rate', phase: 'Failed', count: 4, successful: 1, failed: 3,
        measurements: [{ phase: 'Successful', value: '[0.99]' }, { phase: 'Failed', value: '[0.93]' }, { phase: 'Failed', value: '[0.91]' }] }],
    });
    const older = analysisRun('web-7c9d5f8b6-2-1', { phase: 'Successful' }, '2026-12-01T09:00:00Z');
    const health = healthOf(rollout(aborted), relatedOf([...replicaSets, failed, older]));
    assert.equal(health?.status, 'Degraded');
    assert.equal(health?.summary, 'step 1/4 · weight 0%');
    const message = health?.message ?? '';
    assert.match(message, /^Rollout aborted update to revision 3/);
    assert.match(message, /aborted: the stable ReplicaSet serves all traffic; Retry starts the update again/);
    assert.match(message, /AnalysisRun web-7c9d5f8b6-3-1 Failed: metric success-rate Failed \(3 failed of 4 measurements, failureLimit 2; last value \[0\.91\]\)/);
    // Newest first: the failed run is why it stands where it is.
    assert.ok(message.indexOf('web-7c9d5f8b6-3-1') < message.indexOf('web-7c9d5f8b6-2-1 Successful'));
  });

  it('names a metric in Error with its error message', () => {
    const run = analysisRun('web-7c9d5f8b6-3-1', {
      phase: 'Error', metricResults: [{ name: 'success-rate', phase: 'Error', count: 5, error: 5, consecutiveError: 5,
        message: 'Post "http://prometheus:9090/api/v1/query": dial tcp: connection refused', measurements: [{ phase: 'Error' }] }],
    });
    const health = healthOf(rollout({ ...pausedAtStep2, pauseConditions: undefined }), relatedOf([run]));
    assert.match(health?.message ?? '', /AnalysisRun web-7c9d5f8b6-3-1 Error: metric success-rate Error \(5 errors of 5 measurements, consecutiveErrorLimit 4\): Post .*connection refused/);
  });

  it('without AnalysisRuns read, says what the Rollout status says of its current run', () => {
    const health = healthOf(rollout({ ...pausedAtStep2, canary: { currentStepAnalysisRunStatus: { name: 'web-7c9d5f8b6-3-1', status: 'Running' } } }));
    assert.match(health?.message ?? '', /AnalysisRun web-7c9d5f8b6-3-1 Running/);
  });

  it('without ReplicaSets read, names them by pod hash and the canary by the template image', () => {
    const message = healthOf(rollout(pausedAtStep2))?.message ?? '';
    assert.match(message, /canary ReplicaSet web-7c9d5f8b6 \(registry\.local\/web:2\.0\); stable ReplicaSet web-5f4b8c7d9$/);
  });

  it("never takes another Rollout's ReplicaSets of the same hash", () => {
    const foreign = [replicaSet('7c9d5f8b6', 'registry.local/other:9', 3, 'another-uid')];
    const message = healthOf(rollout(pausedAtStep2), relatedOf(foreign))?.message ?? '';
    assert.doesNotMatch(message, /other:9/);
  });

  it('is Healthy when all steps are done and the stable ReplicaSet is the current one', () => {
    const done = { ...pausedAtStep2, pauseConditions: undefined, controllerPause: undefined, currentStepIndex: 4, stableRS: '7c9d5f8b6', replicas: 5, updatedReplicas: 5, availableReplicas: 5 };
    const health = healthOf(rollout(done), relatedOf([replicaSet('7c9d5f8b6', 'registry.local/web:2.0', 5)]));
    assert.deepEqual(health, {
      status: 'Healthy', summary: 'step 4/4 · weight 100%',
      message: 'all 4 steps done, canary weight 100%; stable ReplicaSet web-7c9d5f8b6 (registry.local/web:2.0, 5/5 available)',
    });
  });

  it('is Progressing while it finishes steps, updates or terminates replicas', () => {
    const running = { ...pausedAtStep2, pauseConditions: undefined, currentStepIndex: 2 };
    assert.match(healthOf(rollout({ ...running, updatedReplicas: 3, replicas: 8 }, { replicas: 3 }))?.message ?? '', /^Waiting for roll out to finish: old replicas are pending termination/);
    assert.match(healthOf(rollout({ ...running, replicas: 5, updatedReplicas: 5, availableReplicas: 5 }))?.message ?? '', /^Waiting for rollout to finish steps/);
    assert.equal(healthOf(rollout({ ...running, updatedReplicas: 3 }))?.message?.split(';')[0], 'Waiting for roll out to finish: More replicas need to be updated');
  });

  it('is Degraded on an invalid spec or a progress deadline', () => {
    const invalid = { observedGeneration: '2', conditions: [{ type: 'InvalidSpec', status: 'True', message: 'The Rollout "web" is invalid: spec.strategy: Required value' }] };
    assert.equal(healthOf(rollout(invalid))?.status, 'Degraded');
    const timedOut = { ...pausedAtStep2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-7c9d5f8b6" has timed out progressing.' }] };
    assert.deepEqual([healthOf(rollout(timedOut))?.status, healthOf(rollout(timedOut))?.message?.split(';')[0]], ['Degraded', 'ReplicaSet "web-7c9d5f8b6" has timed out progressing.']);
  });

  it('blue-green: Progressing until the active Service selects the new pods, then Healthy', () => {
    const spec = { strategy: { blueGreen: { activeService: 'web', previewService: 'web-preview' } } };
    const status = { observedGeneration: '2', currentPodHash: '7c9d5f8b6', stableRS: '5f4b8c7d9', replicas: 5, updatedReplicas: 5, availableReplicas: 5, blueGreen: { activeSelector: '5f4b8c7d9', previewSelector: '7c9d5f8b6' } };
    const cutover = healthOf(rollout(status, spec), relatedOf(replicaSets));
    assert.equal(cutover?.status, 'Progressing');
    assert.match(cutover?.message ?? '', /^active service cutover pending; preview ReplicaSet web-7c9d5f8b6 .*; active ReplicaSet web-5f4b8c7d9/);
    assert.equal(cutover?.summary, undefined);
    assert.equal(healthOf(rollout({ ...status, stableRS: '7c9d5f8b6', blueGreen: { activeSelector: '7c9d5f8b6' } }, spec))?.status, 'Healthy');
  });
});
