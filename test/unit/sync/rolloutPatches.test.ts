// The patches of each Argo Rollouts action, as the kubectl argo rollouts plugin builds them (getPatches in its
// promote command, and the abort, retry and restart commands): status first, spec where a user paused, and one
// patch of both for a CRD without a status subresource.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { describeRolloutOutcome, rolloutPatches } from '../../../src/core/sync';

const NOW = new Date('2026-12-02T02:03:04.567Z');

function rollout(spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'shop' }, spec, status };
}

const canary = { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { analysis: {} }] } } };

describe('Argo Rollouts action patches', () => {
  it('promote at a pause clears the pause conditions (and spec.paused only when a user set it)', () => {
    const paused = { pauseConditions: [{ reason: 'CanaryPauseStep' }], currentStepIndex: 1 };
    assert.deepEqual(rolloutPatches(rollout(canary, paused), 'promote', NOW), {
      status: { status: { pauseConditions: null } },
      unified: { spec: { paused: false }, status: { pauseConditions: null } },
    });
    assert.deepEqual(rolloutPatches(rollout({ ...canary, paused: true }, paused), 'promote', NOW).spec, { spec: { paused: false } });
  });

  it('promote without a pause (mid-analysis) moves to the next step, never past the last', () => {
    assert.deepEqual(rolloutPatches(rollout(canary, { currentStepIndex: 2 }), 'promote', NOW), {
      status: { status: { pauseConditions: null, currentStepIndex: 3 } },
      unified: { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 3 } },
    });
    assert.deepEqual(rolloutPatches(rollout(canary, { currentStepIndex: 3 }), 'promote', NOW).status, { status: { pauseConditions: null, currentStepIndex: 3 } });
    // No index written yet: the controller's step 0.
    assert.deepEqual(rolloutPatches(rollout(canary, {}), 'promote', NOW).status, { status: { pauseConditions: null, currentStepIndex: 1 } });
  });

  it('promote of a blue-green Rollout without a pause sends only the unpause of the unified patch', () => {
    assert.deepEqual(rolloutPatches(rollout({ strategy: { blueGreen: {} } }, {}), 'promote', NOW), {
      unified: { spec: { paused: false }, status: { pauseConditions: null } },
    });
  });

  it('says so when there was nothing to send', () => {
    const ref = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: 'shop', name: 'web' };
    const live = rollout({}, {});
    assert.equal(describeRolloutOutcome({ rollout: ref, action: 'promote', sent: [], live }), 'Rollout/shop/web is neither paused nor at a step to skip; nothing was changed');
    assert.match(describeRolloutOutcome({ rollout: ref, action: 'promote-full', sent: [], live }), /already fully promoted/);
  });

  it('promote --full asks for a full promotion unless the current pods already are the stable ones', () => {
    assert.deepEqual(rolloutPatches(rollout(canary, { currentPodHash: 'a', stableRS: 'b' }), 'promote-full', NOW), { status: { status: { promoteFull: true } } });
    assert.deepEqual(rolloutPatches(rollout(canary, { currentPodHash: 'a', stableRS: 'a' }), 'promote-full', NOW), {});
  });

  it('abort and retry flip status.abort; restart sets spec.restartAt to the second, in UTC', () => {
    assert.deepEqual(rolloutPatches(rollout(canary, {}), 'abort', NOW), { status: { status: { abort: true } }, unified: { status: { abort: true } } });
    assert.deepEqual(rolloutPatches(rollout(canary, {}), 'retry', NOW), { status: { status: { abort: false } }, unified: { status: { abort: false } } });
    assert.deepEqual(rolloutPatches(rollout(canary, {}), 'restart', NOW), { spec: { spec: { restartAt: '2026-12-02T02:03:04Z' } } });
  });
});
