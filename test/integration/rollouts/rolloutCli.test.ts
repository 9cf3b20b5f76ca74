// `driftline rollout promote|abort|retry|restart` against the real Argo Rollouts CRDs: each action makes the
// change the `kubectl argo rollouts` plugin makes (read back from the API server), protected environments need
// --yes, and a Rollout the app does not have, or that is not live, is named with nothing written.
import assert from 'node:assert/strict';
import { runRollout } from '../../../src/cli/rollout';
import { refOf, type KubeObject } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { installGitOpsCrds, ROLLOUTS_CRD_FILES } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { describeWithShared, sharedPath } from '../../support/shared';
import { runCli } from '../sync/runCli';
import { applyAsController, liveStatus, makeRolloutRepo, PAUSED_AT_STEP_2, rolloutOf, type RolloutRepo } from './rolloutRepo';

const admin = testClient();

describeWithShared('crds', 'driftline rollout (real Argo Rollouts CRDs)', () => {
  let namespace: string;
  let rollout: KubeObject;
  let repo: RolloutRepo;
  before(async () => installGitOpsCrds(testCluster(), ROLLOUTS_CRD_FILES, sharedPath('crds')));
  beforeEach(async () => {
    namespace = await freshNamespace('rollout', admin);
    rollout = rolloutOf(namespace);
    repo = makeRolloutRepo([rollout]);
  });
  afterEach(() => repo.cleanup());

  const live = async () => (await admin.get(refOf(rollout)))!;

  it('promote at a pause step clears the pause conditions, and nothing else', async () => {
    const before = await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    const run = await runCli(runRollout, ['promote', ...repo.args, 'web', '--yes']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Promoted Rollout/${namespace}/web: the controller goes on with the next step.\n`);
    const after = await live();
    const status = after.status as Record<string, unknown>;
    assert.equal(status.pauseConditions, undefined);
    assert.equal(status.currentStepIndex, 1, 'the controller moves on, not the plugin');
    assert.deepEqual(after.spec, before.spec);
  });

  it('promote in the middle of an analysis step skips to the next step', async () => {
    await applyAsController(admin, rollout, { ...PAUSED_AT_STEP_2, pauseConditions: undefined, controllerPause: undefined, currentStepIndex: 2 });
    const run = await runCli(runRollout, ['promote', ...repo.args, 'web', '--yes']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await liveStatus(admin, rollout)).currentStepIndex, 3);
  });

  it('promote of a Rollout a user paused sets spec.paused false and clears its pause', async () => {
    await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    await admin.mergePatch(refOf(rollout), { spec: { paused: true } }, { fieldManager: 'kubectl-argo-rollouts' });
    assert.equal((await runCli(runRollout, ['promote', ...repo.args, 'web', '--yes'])).code, 0);
    const after = await live();
    assert.equal((after.spec as { paused?: boolean }).paused, false);
    assert.equal((after.status as Record<string, unknown>).pauseConditions, undefined);
  });

  it('promote --full requests a full promotion; of a promoted Rollout it writes nothing and says so', async () => {
    await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    const full = await runCli(runRollout, ['promote', '--full', ...repo.args, 'web', '--yes']);
    assert.equal(full.code, 0, full.stderr);
    assert.match(full.stdout, /^Fully promoted Rollout\/.*\/web: the controller skips the remaining steps/);
    assert.equal((await liveStatus(admin, rollout)).promoteFull, true);

    const promoted = await applyAsController(admin, rollout, { ...PAUSED_AT_STEP_2, stableRS: PAUSED_AT_STEP_2.currentPodHash, promoteFull: false });
    const again = await runCli(runRollout, ['promote', ...repo.args, '--full', 'web', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /is already fully promoted \(its current pods are the stable ones\); nothing was changed/);
    assert.equal((await live()).metadata.resourceVersion, promoted.metadata.resourceVersion);
  });

  it('abort sets status.abort, retry clears it', async () => {
    await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    const abort = await runCli(runRollout, ['abort', ...repo.args, 'web', '--yes']);
    assert.equal(abort.code, 0, abort.stderr);
    assert.match(abort.stdout, /^Aborted Rollout\/.*: the controller scales the canary down/);
    assert.equal((await liveStatus(admin, rollout)).abort, true);
    const retry = await runCli(runRollout, ['retry', ...repo.args, `${namespace}/web`, '--yes']);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal((await liveStatus(admin, rollout)).abort, false);
  });

  it('restart sets spec.restartAt to now, in whole seconds (RFC 3339, UTC)', async () => {
    await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    const started = Math.floor(Date.now() / 1000) * 1000;
    const run = await runCli(runRollout, ['restart', ...repo.args, 'web', '--yes']);
    assert.equal(run.code, 0, run.stderr);
    const restartAt = (await live()).spec as { restartAt?: string };
    assert.match(restartAt.restartAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const at = Date.parse(restartAt.restartAt!);
    assert.ok(at >= started && at <= Date.now(), `${restartAt.restartAt} is now`);
  });

  it('refuses a protected environment without --yes, and without a terminal to ask on, changing nothing', async () => {
    repo.cleanup();
    repo = makeRolloutRepo([rollout], { protected: true });
    const before = await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    const run = await runCli(runRollout, ['abort', ...repo.args, 'web']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`Environment dev is protected: to abort Rollout/${namespace}/web \\(app web in environment dev, context .*\\), run again with --yes\\. Nothing was changed\\.`));
    repo.cleanup();
    repo = makeRolloutRepo([rollout]);
    const unasked = await runCli(runRollout, ['abort', ...repo.args, 'web']);
    assert.equal(unasked.code, 2);
    assert.match(unasked.stderr, /Not going to abort Rollout\/.* without --yes \(no terminal to ask on\)\. Nothing was changed\./);
    assert.equal((await live()).metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('asks on a terminal: y promotes, anything else cancels', async () => {
    await applyAsController(admin, rollout, PAUSED_AT_STEP_2);
    const no = await runCli(runRollout, ['promote', ...repo.args, 'web'], { typed: 'n' });
    assert.equal(no.code, 2);
    assert.match(no.stdout, /Promote Rollout\/.*\/web \(app web in environment dev, context .*\)\? \[y\/N\]/);
    assert.ok((await liveStatus(admin, rollout)).pauseConditions);
    const yes = await runCli(runRollout, ['promote', ...repo.args, 'web'], { typed: 'y' });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal((await liveStatus(admin, rollout)).pauseConditions, undefined);
  });

  it("names the app's Rollouts when NAME is not one of them, and a Rollout that is not live", async () => {
    const other = await runCli(runRollout, ['promote', ...repo.args, 'api', '--yes']);
    assert.equal(other.code, 2);
    assert.equal(other.stderr, `driftline rollout promote: App web in environment dev has no Rollout api (its Rollouts: Rollout/${namespace}/web). Nothing was changed.\n`);
    const missing = await runCli(runRollout, ['promote', ...repo.args, 'web', '--yes']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `driftline rollout promote: Rollout/${namespace}/web is not in the cluster. Nothing was changed.\n`);
  });

  it('says what is wrong with the command line', async () => {
    const cases: [string[], RegExp][] = [
      [['pause', ...repo.args, 'web'], /unknown action "pause" \(promote, abort, retry or restart\)/],
      [['promote', ...repo.args], /name the Rollout: NAME or NAMESPACE\/NAME/],
      [['abort', '--full', ...repo.args, 'web'], /--full goes with promote only/],
      [['promote', '--env', 'dev', 'web'], /--env and --app are required/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(runRollout, args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });
});
