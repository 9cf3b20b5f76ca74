import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { healthOf } from '../../../src/core/drift/health';
import { relatedOf } from './relatedObjects';

const UID = 'c4a1d3e5-0000-4000-8000-000000000002';

function canary(status: Record<string, unknown> | undefined, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1', kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test', uid: UID },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 10, maxWeight: 50, stepWeight: 10,
        metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' }] },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

/** A core v1 Event as Flagger's recorder writes it on the Canary. */
function event(type: 'Normal' | 'Warning', message: string, at: string, involved: Record<string, unknown> = { kind: 'Canary', name: 'podinfo', namespace: 'test', uid: UID }, count = 1): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `podinfo.${at.replace(/\D/g, '')}`, namespace: 'test' },
    involvedObject: { apiVersion: 'flagger.app/v1beta1', ...involved }, reason: 'Synced', type, message, count,
    firstTimestamp: at, lastTimestamp: at, source: { component: 'flagger' },
  };
}

const progressing = {
  phase: 'Progressing', canaryWeight: 20, failedChecks: 4, iterations: 0, lastAppliedSpec: '5c75b466fb', lastPromotedSpec: '658bbf784f',
  conditions: [{ type: 'Promoted', status: 'Unknown', reason: 'Progressing', message: 'New revision detected, progressing canary analysis.' }],
};

const events = [
  event('Normal', 'New revision detected! Scaling up podinfo.test', '2026-12-02T01:00:00Z'),
  event('Normal', 'Starting canary analysis for podinfo.test', '2026-12-02T01:01:00Z'),
  event('Normal', 'Advance podinfo.test canary weight 20', '2026-12-02T01:03:00Z'),
  event('Warning', 'Halt podinfo.test advancement request-success-rate 97.20 < 99', '2026-12-02T01:07:00Z', undefined, 4),
];

describe('health: Flagger Canary', () => {
  it('is Progressing until Flagger initialized it (no status)', () => {
    assert.deepEqual(healthOf(canary(undefined)), { status: 'Progressing', message: 'waiting for Flagger to initialize the canary' });
  });

  it('explains a stalled analysis from the halt event: the metric value against its threshold, for failed checks of the threshold', () => {
    const health = healthOf(canary(progressing), relatedOf(events));
    assert.equal(health?.status, 'Progressing');
    assert.equal(health?.summary, 'weight 20% · 4/10 failed checks');
    assert.equal(health?.message, 'phase Progressing; canary weight 20% (max 50, step 10); 4 of 10 failed checks; ' +
      'New revision detected, progressing canary analysis.; stalled: request-success-rate 97.2% is under 99 for 4 of 10 checks; ' +
      'last events: Starting canary analysis for podinfo.test | Advance podinfo.test canary weight 20 | warning: Halt podinfo.test advancement request-success-rate 97.20 < 99 (x4)');
  });

  it('says a latency over its maximum is over, in milliseconds', () => {
    const slow = [event('Warning', 'Halt podinfo.test advancement request-duration 612.40 > 500', '2026-12-02T01:07:00Z')];
    assert.match(healthOf(canary({ ...progressing, failedChecks: 2 }), relatedOf(slow))?.message ?? '', /stalled: request-duration 612\.4ms is over 500 for 2 of 10 checks/);
  });

  it('says when a metric has no values (no traffic reaches the canary)', () => {
    const none = [event('Warning', 'Halt advancement no values found for custom metric: error-rate: no values found', '2026-12-02T01:07:00Z')];
    assert.match(healthOf(canary(progressing), relatedOf(none))?.message ?? '', /stalled: no values found for metric error-rate \(is the canary receiving traffic\?\) for 4 of 10 checks/);
  });

  it("never takes another canary's events", () => {
    const other = [event('Warning', 'Halt frontend.test advancement request-success-rate 50.00 < 99', '2026-12-02T01:07:00Z', { kind: 'Canary', name: 'frontend', namespace: 'test' })];
    const message = healthOf(canary(progressing), relatedOf(other))?.message ?? '';
    assert.doesNotMatch(message, /stalled|frontend/);
  });

  it('is Degraded when the analysis failed, with the rollback events', () => {
    const failed = [...events,
      event('Warning', 'Rolling back podinfo.test failed checks threshold reached 10', '2026-12-02T01:13:00Z'),
      event('Warning', 'Canary failed! Scaling down podinfo.test', '2026-12-02T01:13:01Z')];
    const health = healthOf(canary({ ...progressing, phase: 'Failed', canaryWeight: 0, failedChecks: 10 }), relatedOf(failed));
    assert.equal(health?.status, 'Degraded');
    assert.match(health?.message ?? '', /failed: request-success-rate 97\.2% is under 99 for 10 of 10 checks; last events: .*Rolling back podinfo\.test failed checks threshold reached 10 \| warning: Canary failed!/);
  });

  it('is Healthy once Succeeded or Initialized, Paused at a gate, Suspended by spec.suspend', () => {
    assert.equal(healthOf(canary({ ...progressing, phase: 'Succeeded', canaryWeight: 0, failedChecks: 0 }))?.status, 'Healthy');
    assert.equal(healthOf(canary({ phase: 'Initialized', canaryWeight: 0, failedChecks: 0 }))?.status, 'Healthy');
    assert.equal(healthOf(canary({ ...progressing, phase: 'WaitingPromotion' }))?.status, 'Paused');
    const suspended = healthOf(canary(progressing, { suspend: true }));
    assert.equal(suspended?.status, 'Suspended');
    assert.match(suspended?.message ?? '', /^suspended \(spec\.suspend\)/);
  });
});
