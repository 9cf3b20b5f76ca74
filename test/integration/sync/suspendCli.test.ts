// `driftline suspend` / `driftline resume` against the real Flux CRDs: spec.suspend flips on the app's live
// Kustomization or HelmRelease, resume requests a reconcile, protected environments need --yes, and an app
// without a live Flux object gets a message naming it with nothing written.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { runResume, runSuspend } from '../../../src/cli/suspend';
import { refOf, type KubeObject } from '../../../src/core/model';
import { FLUX_RECONCILE_ANNOTATION } from '../../../src/core/sync';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { fluxHelmRelease, fluxKustomization, helmRepository, makeFluxRepo, type FluxRepo } from './fluxRepo';
import { runCli } from './runCli';

const admin = testClient();
const setup = { dryRun: false, fieldManager: 'test-setup', force: true };

describe('driftline suspend and resume (real Flux CRDs)', () => {
  let namespace: string;
  let repo: FluxRepo;
  before(async () => installGitOpsCrds(testCluster(), FLUX_CRD_FILES));
  beforeEach(async () => {
    namespace = await freshNamespace('suspend', admin);
  });
  afterEach(() => repo?.cleanup());

  const withRepo = (objects: KubeObject[], options: { protected?: boolean } = {}) => {
    repo = makeFluxRepo({ 'clusters/dev/flux.yaml': objects.map((object) => stringify(object)).join('---\n') }, options);
    return ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev'];
  };
  const live = async (object: KubeObject) => (await admin.get(refOf(object)))!;
  const suspended = async (object: KubeObject) => ((await live(object)).spec as { suspend?: boolean } | undefined)?.suspend;

  it('suspends the app\'s live Kustomization, then resumes it with a reconcile request', async () => {
    const kustomization = fluxKustomization(namespace);
    await admin.serverSideApply(kustomization, setup);
    const args = [...withRepo([kustomization]), '--app', 'apps'];

    const suspend = await runCli(runSuspend, [...args, '--yes']);
    assert.equal(suspend.code, 0, suspend.stderr);
    assert.match(suspend.stdout, new RegExp(`Suspended Kustomization/${namespace}/apps`));
    assert.equal(await suspended(kustomization), true);
    assert.equal((await live(kustomization)).metadata.annotations?.[FLUX_RECONCILE_ANNOTATION], undefined);

    const resume = await runCli(runResume, [...args, '--yes']);
    assert.equal(resume.code, 0, resume.stderr);
    assert.equal(await suspended(kustomization), false);
    const requestedAt = (await live(kustomization)).metadata.annotations?.[FLUX_RECONCILE_ANNOTATION];
    assert.ok(requestedAt, 'resume writes reconcile.fluxcd.io/requestedAt');
    assert.match(resume.stdout, new RegExp(`Resumed Kustomization/${namespace}/apps \\(reconcile requested at ${requestedAt}\\)`));
  });

  it('suspends and resumes a HelmRelease app', async () => {
    const release = fluxHelmRelease(namespace);
    await admin.serverSideApply(release, setup);
    const args = [...withRepo([helmRepository(namespace), release]), '--app', 'podinfo', '--yes'];
    assert.equal((await runCli(runSuspend, args)).code, 0);
    assert.equal(await suspended(release), true);
    const resume = await runCli(runResume, args);
    assert.equal(resume.code, 0, resume.stderr);
    assert.equal(await suspended(release), false);
    assert.ok((await live(release)).metadata.annotations?.[FLUX_RECONCILE_ANNOTATION]);
  });

  it('says when the Kustomization is already suspended, and writes nothing', async () => {
    const kustomization = fluxKustomization(namespace, true);
    const before = await admin.serverSideApply(kustomization, setup);
    const run = await runCli(runSuspend, [...withRepo([kustomization]), '--app', 'apps', '--yes']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /already suspended; nothing was changed/);
    assert.equal((await live(kustomization)).metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('refuses a protected environment without --yes and changes nothing', async () => {
    const kustomization = fluxKustomization(namespace);
    await admin.serverSideApply(kustomization, setup);
    const run = await runCli(runSuspend, [...withRepo([kustomization], { protected: true }), '--app', 'apps']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Environment dev is protected: to suspend Kustomization\/.*\/apps .*run again with --yes\. Nothing was changed\./);
    assert.equal(await suspended(kustomization), false);
  });

  it('names the Kustomization and the context when it is not in the cluster', async () => {
    const run = await runCli(runResume, [...withRepo([fluxKustomization(namespace, true)]), '--app', 'apps', '--yes']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`driftline resume: Kustomization/${namespace}/apps of app apps is not in the cluster of context "${testCluster().adminContext}"\\. Nothing was changed\\.`));
  });

  it('refuses an app that no Flux object manages, naming it', async () => {
    const config = { environments: [{ name: 'dev', context: testCluster().adminContext }], apps: [{ name: 'web', environment: 'dev', path: 'apps/web', renderer: 'yaml' }] };
    repo = makeFluxRepo({
      '.driftline.yaml': stringify(config),
      'apps/web/config.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { a: '1' } }),
    });
    const run = await runCli(runSuspend, ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'web', '--yes']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /App web in environment dev has no Flux Kustomization or HelmRelease: there is nothing to suspend or resume/);
  });

  it('needs --env and --app', async () => {
    const run = await runCli(runSuspend, ['--app', 'apps']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /driftline suspend: --env and --app are required/);
  });
});
