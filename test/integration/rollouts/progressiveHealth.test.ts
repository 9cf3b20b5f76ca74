// What `driftline status` says of a Rollout and a Flagger Canary on the real CRDs, with status, ReplicaSets,
// AnalysisRuns and Events written the way the controllers write them (none runs on the test server): where the
// release stands, why it waits or failed, and that what the controllers write (status, annotations, a restart)
// is never drift.
import assert from 'node:assert/strict';
import { runRollout } from '../../../src/cli/rollout';
import { runStatus } from '../../../src/cli/status';
import { refOf, type KubeObject, type ResourceResult, type StatusReport } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { FLAGGER_CRD_FILES, installGitOpsCrds, ROLLOUTS_CRD_FILES } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { describeWithShared, sharedPath } from '../../support/shared';
import { runCli } from '../sync/runCli';
import { applyAsController, makeRolloutRepo, PAUSED_AT_STEP_2, rolloutOf, type RolloutRepo } from './rolloutRepo';

const admin = testClient();

function ownedBy(owner: KubeObject): { ownerReferences: unknown[] } {
  return { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }] };
}

/** A ReplicaSet as the rollouts controller creates it for one pod template, with the status the ReplicaSet controller would write. */
async function createReplicaSet(rollout: KubeObject, hash: string, image: string, replicas: number): Promise<void> {
  const labels = { app: 'web', 'rollouts-pod-template-hash': hash };
  const replicaSet: KubeObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: `web-${hash}`, namespace: rollout.metadata.namespace, labels, ...ownedBy(rollout) },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image }] } } },
  };
  await admin.create(replicaSet);
  await admin.mergePatch(refOf(replicaSet), { status: { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 } }, { subresource: 'status' });
}

async function statusReport(repo: RolloutRepo): Promise<{ code: number; text: string; resources: ResourceResult[] }> {
  const text = await runCli(runStatus, repo.args);
  const json = await runCli(runStatus, [...repo.args, '--json']);
  const report = JSON.parse(json.stdout) as StatusReport;
  return { code: text.code, text: text.stdout, resources: report.environments[0]!.apps[0]!.resources };
}

describeWithShared('crds', 'progressive delivery in driftline status (real Argo Rollouts and Flagger CRDs)', () => {
  let namespace: string;
  let repo: RolloutRepo;
  before(async () => {
    await installGitOpsCrds(testCluster(), ROLLOUTS_CRD_FILES, sharedPath('crds'));
    await installGitOpsCrds(testCluster(), FLAGGER_CRD_FILES, sharedPath('crds'));
  });
  beforeEach(async () => {
    namespace = await freshNamespace('progressive', admin);
  });
  afterEach(() => repo.cleanup());

  it('a Rollout paused at a step: Synced and Paused, its step and weight, the canary and stable images, the failed metric of its analysis', async () => {
    const rollout = rolloutOf(namespace);
    repo = makeRolloutRepo([rollout]);
    const live = await applyAsController(admin, rollout, {
      ...PAUSED_AT_STEP_2, canary: { currentBackgroundAnalysisRunStatus: { name: 'web-7c9d5f8b6-2', status: 'Failed' } },
    });
    await createReplicaSet(live, '7c9d5f8b6', 'registry.local/web:2.0', 1);
    await createReplicaSet(live, '5f4b8c7d9', 'registry.local/web:1.9', 5);
    await admin.create({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun',
      metadata: { name: 'web-7c9d5f8b6-2', namespace, labels: { 'rollouts-pod-template-hash': '7c9d5f8b6' }, annotations: { 'rollout.argoproj.io/revision': '2' }, ...ownedBy(live) },
      spec: { metrics: [{ name: 'success-rate', interval: '1m', failureLimit: 2, successCondition: 'result[0] >= 0.95', provider: { prometheus: { address: 'http://prometheus:9090', query: 'sum(rate(ok[5m]))/sum(rate(all[5m]))' } } }] },
      // AnalysisRuns have no status subresource: the controller writes status with the object.
      status: {
        phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)', startedAt: '2026-12-02T01:10:05Z',
        metricResults: [{ name: 'success-rate', phase: 'Failed', count: 4, successful: 1, failed: 3, measurements: [
          { phase: 'Successful', value: '[0.97]', startedAt: '2026-12-02T01:10:05Z', finishedAt: '2026-12-02T01:10:05Z' },
          { phase: 'Failed', value: '[0.91]', startedAt: '2026-12-02T01:11:05Z', finishedAt: '2026-12-02T01:11:05Z' },
        ] }],
      },
    });

    const report = await statusReport(repo);
    assert.equal(report.code, 0, report.text);
    const [row] = report.resources;
    assert.deepEqual([row!.kind, row!.status, row!.health, row!.healthSummary], ['Rollout', 'Synced', 'Paused', 'step 2/5 · weight 20%']);
    assert.equal(row!.healthMessage, 'Rollout is paused; step 2 of 5: pause (until promoted), canary weight 20%; ' +
      'paused by the controller (CanaryPauseStep) since 2026-12-02T01:10:00Z: Promote continues it; ' +
      'canary ReplicaSet web-7c9d5f8b6 (registry.local/web:2.0, 1/1 available); stable ReplicaSet web-5f4b8c7d9 (registry.local/web:1.9, 5/5 available); ' +
      'AnalysisRun web-7c9d5f8b6-2 Failed: metric success-rate Failed (3 failed of 4 measurements, failureLimit 2; last value [0.91])');
    assert.ok(report.text.includes(`dev/web: Paused Rollout/${namespace}/web: Rollout is paused; step 2 of 5`), report.text);
  });

  it('what the rollouts controller and the plugin write (status, the revision annotation, a restart, a promotion) is never drift', async () => {
    const rollout = rolloutOf(namespace);
    repo = makeRolloutRepo([rollout]);
    await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    assert.equal((await runCli(runRollout, ['restart', ...repo.args, 'web', '--yes'])).code, 0);
    assert.equal((await runCli(runRollout, ['promote', ...repo.args, 'web', '--yes'])).code, 0);
    const report = await statusReport(repo);
    assert.equal(report.code, 0, report.text);
    assert.deepEqual(report.resources.map((resource) => [resource.status, resource.changedPaths]), [['Synced', undefined]]);

    // A change in Git still shows: the image the canary should run.
    repo.cleanup();
    repo = makeRolloutRepo([rolloutOf(namespace, 'registry.local/web:2.1')]);
    const drifted = await statusReport(repo);
    assert.equal(drifted.code, 1);
    assert.deepEqual(drifted.resources[0]!.changedPaths, ['/spec/template/spec/containers/0/image']);
  });

  it('compares like a Deployment, but stores what Git writes: numeric quantities a controller applied are no drift, a drifted field is', async () => {
    const rollout = rolloutOf(namespace);
    const template = (rollout.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template;
    template.spec.containers[0]!.resources = { limits: { cpu: 1, memory: '256Mi' }, requests: { cpu: 0.5 } };
    repo = makeRolloutRepo([rollout]);
    // As kustomize-controller applies it: the unstructured object, numbers as numbers (the CRD keeps them so).
    await admin.serverSideApply(rollout, { dryRun: false, fieldManager: 'kustomize-controller', force: true });
    const synced = await statusReport(repo);
    assert.deepEqual(synced.resources.map((resource) => [resource.status, resource.changedPaths]), [['Synced', undefined]], synced.text);

    await admin.mergePatch(refOf(rollout), { spec: { replicas: 7 } }, { fieldManager: 'kubectl-edit' });
    const drifted = await statusReport(repo);
    assert.deepEqual(drifted.resources[0]!.changedPaths, ['/spec/replicas'], drifted.text);
  });

  it('a stalled Flagger Canary: its weight, failed checks of the threshold, why it stalls, and its last events', async () => {
    const canary: KubeObject = {
      apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'podinfo', namespace },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' }, service: { port: 9898 },
        analysis: { interval: '1m', threshold: 10, maxWeight: 50, stepWeight: 10, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' }] },
      },
    };
    repo = makeRolloutRepo([canary]);
    const live = await admin.serverSideApply(canary, { dryRun: false, fieldManager: 'test-setup', force: true });
    await admin.mergePatch(refOf(canary), { status: {
      phase: 'Progressing', canaryWeight: 20, failedChecks: 4, iterations: 0, lastAppliedSpec: '5c75b466fb', lastPromotedSpec: '658bbf784f', lastTransitionTime: '2026-12-02T01:07:00Z',
      conditions: [{ type: 'Promoted', status: 'Unknown', reason: 'Progressing', message: 'New revision detected, progressing canary analysis.', lastTransitionTime: '2026-12-02T01:00:00Z', lastUpdateTime: '2026-12-02T01:07:00Z' }],
    } }, { subresource: 'status', fieldManager: 'flagger' });
    const event = (name: string, type: string, message: string, at: string, count = 1): KubeObject => ({
      apiVersion: 'v1', kind: 'Event', metadata: { name: `podinfo.${name}`, namespace },
      involvedObject: { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'podinfo', namespace, uid: live.metadata.uid },
      reason: 'Synced', type, message, count, firstTimestamp: at, lastTimestamp: at, source: { component: 'flagger' },
    });
    await admin.create(event('a', 'Normal', 'Starting canary analysis for podinfo.' + namespace, '2026-12-02T01:01:00Z'));
    await admin.create(event('b', 'Normal', `Advance podinfo.${namespace} canary weight 20`, '2026-12-02T01:03:00Z'));
    await admin.create(event('c', 'Warning', `Halt podinfo.${namespace} advancement request-success-rate 97.20 < 99`, '2026-12-02T01:07:00Z', 4));

    const report = await statusReport(repo);
    const [row] = report.resources;
    assert.deepEqual([row!.status, row!.health, row!.healthSummary], ['Synced', 'Progressing', 'weight 20% · 4/10 failed checks']);
    assert.match(row!.healthMessage ?? '', /stalled: request-success-rate 97\.2% is under 99 for 4 of 10 checks; last events: Starting canary analysis .* \| warning: Halt podinfo\.\S+ advancement request-success-rate 97\.20 < 99 \(x4\)$/);
    assert.ok(report.text.includes(`dev/web: Progressing Canary/${namespace}/podinfo: phase Progressing; canary weight 20% (max 50, step 10); 4 of 10 failed checks`), report.text);
  });
});
