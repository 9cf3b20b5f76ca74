// What each cluster runs, in `driftline status`, against the real Flux and Argo CD CRDs and a real git clone
// with a bare remote. No controller runs on the test server: each test writes `status` the way kustomize-,
// source- and helm-controller or Argo CD's application controller write it, then checks the revision the
// app runs, the commits of origin/main it lacks, and the failures the controllers report.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { runStatus } from '../../../src/cli/status';
import { runSync } from '../../../src/cli/sync';
import { DRIFTLINE_REVISION_ANNOTATION, type AppResult, type KubeObject, type StatusReport } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { makeGitFixture, type GitFixture } from '../git/gitFixture';
import { runCli } from '../sync/runCli';

const admin = testClient();
const setup = { dryRun: false, fieldManager: 'test-setup', force: true };

function configMap(name: string, data: Record<string, string>): string {
  return stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
}

function driftlineYaml(extra: Record<string, unknown> = {}): string {
  return stringify({ environments: [{ name: 'dev', context: testCluster().adminContext }], ...extra });
}

/** `driftline status` as text and JSON; `stderr` may hold what a render could not fetch when `quietRender` is false. */
async function status(repo: GitFixture, quietRender = true): Promise<{ code: number; text: string; apps: AppResult[] }> {
  const args = ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig];
  const text = await runCli(runStatus, args);
  const json = await runCli(runStatus, [...args, '--json']);
  if (quietRender) assert.equal(json.stderr, '', json.stderr);
  const report = JSON.parse(json.stdout) as StatusReport;
  return { code: text.code, text: text.stdout, apps: report.environments.flatMap((environment) => environment.apps) };
}

function appNamed(apps: AppResult[], name: string): AppResult {
  const found = apps.find((app) => app.name === name);
  assert.ok(found, `no app ${name} in ${apps.map((app) => app.name).join(', ')}`);
  return found;
}

describe('what each cluster runs (driftline status, real Flux and Argo CD CRDs, status written as the controllers write it)', () => {
  let namespace: string;
  let repo: GitFixture;
  before(async () => installGitOpsCrds(testCluster()));
  beforeEach(async () => {
    namespace = await freshNamespace('whatruns', admin);
    repo = makeGitFixture();
  });
  afterEach(() => repo.cleanup());

  /** A Flux repo: GitRepository flux-system and Kustomization `web` (./apps/web) in clusters/dev; returns the first commit. */
  function fluxRepo(): { first: string; kustomization: KubeObject; gitRepository: KubeObject } {
    const gitRepository: KubeObject = {
      apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace },
      spec: { interval: '1m', url: 'ssh://git@git.example.invalid/org/fleet.git', ref: { branch: 'main' } },
    };
    const kustomization: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'web', namespace },
      spec: { interval: '10m', prune: true, wait: true, path: './apps/web', targetNamespace: namespace, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    };
    const first = repo.commit('fleet', {
      '.driftline.yaml': driftlineYaml(),
      'clusters/dev/flux.yaml': [gitRepository, kustomization].map((object) => stringify(object)).join('---\n'),
      'apps/web/configmap.yaml': configMap('web', { color: 'blue' }),
      'docs/README.md': 'fleet\n',
    });
    return { first, kustomization, gitRepository };
  }

  it('a Kustomization that applied an older commit: "runs <sha> · 3 behind origin/main", the commits listed, those touching the app marked', async () => {
    const { first, kustomization, gitRepository } = fluxRepo();
    const second = repo.commit('web: green', { 'apps/web/configmap.yaml': configMap('web', { color: 'green' }) });
    repo.commit('docs only', { 'docs/README.md': 'fleet, documented\n' });
    const fourth = repo.commit('web: red', { 'apps/web/configmap.yaml': configMap('web', { color: 'red' }) });
    repo.git('push', '--quiet', '-u', 'origin', 'main');
    repo.commit('local, not pushed', { 'docs/README.md': 'local\n' });
    await admin.serverSideApply(gitRepository, setup);
    await admin.serverSideApply(kustomization, setup);
    await admin.mergePatch({ apiVersion: kustomization.apiVersion, kind: 'Kustomization', namespace, name: 'web' }, {
      status: {
        lastAppliedRevision: `main@sha1:${first}`, lastAttemptedRevision: `main@sha1:${fourth}`,
        conditions: [
          { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message: "health check failed after 30s: timeout waiting for: [ConfigMap/web status: 'InProgress']", lastTransitionTime: '2026-12-02T03:00:00Z', observedGeneration: 1 },
          { type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message: 'health check failed', lastTransitionTime: '2026-12-02T03:00:00Z', observedGeneration: 1 },
        ],
      },
    }, { subresource: 'status' });
    await admin.mergePatch({ apiVersion: gitRepository.apiVersion, kind: 'GitRepository', namespace, name: 'flux-system' }, {
      status: {
        artifact: { revision: `main@sha1:${fourth}`, path: 'gitrepository/x/flux-system/abc.tar.gz', url: 'http://source-controller/abc.tar.gz', digest: 'sha256:00', lastUpdateTime: '2026-12-02T02:00:00Z' },
        conditions: [{ type: 'Ready', status: 'False', reason: 'GitOperationFailed', message: 'failed to checkout and determine revision: unable to clone: authentication required', lastTransitionTime: '2026-12-02T04:00:00Z', observedGeneration: 1 }],
      },
    }, { subresource: 'status' });

    const { text, apps } = await status(repo);
    const web = appNamed(apps, 'web');
    const controller = web.controller!;
    assert.equal(controller.kind, 'Kustomization');
    assert.equal(controller.ready, 'False');
    assert.equal(controller.reason, 'HealthCheckFailed');
    assert.equal(controller.appliedRevision, `main@sha1:${first}`);
    assert.equal(controller.attemptedRevision, `main@sha1:${fourth}`);
    assert.deepEqual(controller.conditions?.map((entry) => `${entry.type}=${entry.status}`), ['Healthy=False']);
    assert.equal(controller.behind?.ref, 'origin/main');
    assert.equal(controller.behind?.count, 3);
    assert.equal(controller.behind?.headCount, 4, 'HEAD has one more commit than origin/main');
    assert.deepEqual(controller.behind?.commits.map((commit) => [commit.subject, commit.touchesApp]), [['web: red', true], ['docs only', false], ['web: green', true]]);
    assert.equal(controller.behind?.commits[2]?.sha, second);
    assert.equal(controller.source?.kind, 'GitRepository');
    assert.equal(controller.source?.ready, 'False');
    assert.match(controller.source?.message ?? '', /authentication required/);
    assert.equal(controller.source?.revision, `main@sha1:${fourth}`);
    assert.ok(text.includes(`dev/web: Ready=False HealthCheckFailed · runs ${first.slice(0, 7)} · 3 behind origin/main · tried ${fourth.slice(0, 7)} · source GitRepository not ready`), text);
    assert.ok(text.includes(`dev/web: GitRepository ${namespace}/flux-system Ready=False · GitOperationFailed: failed to checkout and determine revision: unable to clone: authentication required`), text);
    assert.ok(text.includes(`dev/web:   ${fourth.slice(0, 7)} web: red`), text);
  });

  it('a revision this clone does not have: says so, and what to do', async () => {
    const { kustomization, gitRepository } = fluxRepo();
    repo.git('push', '--quiet', '-u', 'origin', 'main');
    await admin.serverSideApply(gitRepository, setup);
    await admin.serverSideApply(kustomization, setup);
    const unknown = 'fedcba9876543210fedcba9876543210fedcba98';
    await admin.mergePatch({ apiVersion: kustomization.apiVersion, kind: 'Kustomization', namespace, name: 'web' }, {
      status: { lastAppliedRevision: `main@sha1:${unknown}`, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: main@sha1:${unknown}`, lastTransitionTime: '2026-12-02T03:00:00Z' }] },
    }, { subresource: 'status' });
    const { text, apps } = await status(repo);
    const controller = appNamed(apps, 'web').controller!;
    assert.equal(controller.ready, 'True');
    assert.equal(controller.behind, undefined);
    assert.equal(controller.revisionNote, 'fedcba9 is not in this clone: fetch');
    assert.ok(text.includes('dev/web: runs fedcba9 · fedcba9 is not in this clone: fetch'), text);
  });

  it('an Argo CD Application: the deployed revision from its history against origin/main, a failed operation and its message', async () => {
    const source = { repoURL: repo.remote, path: 'guestbook', targetRevision: 'HEAD' };
    const destination = { server: 'https://kubernetes.default.svc', namespace };
    const application: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace }, spec: { project: 'default', source, destination },
    };
    const first = repo.commit('guestbook', {
      '.driftline.yaml': driftlineYaml(),
      'argocd/guestbook.yaml': stringify(application),
      'guestbook/configmap.yaml': configMap('guestbook', { color: 'blue' }),
    });
    const second = repo.commit('guestbook: green', { 'guestbook/configmap.yaml': configMap('guestbook', { color: 'green' }) });
    repo.git('push', '--quiet', '-u', 'origin', 'main');
    await admin.serverSideApply(application, setup);
    // Applications have no status subresource: the application controller writes status with the object.
    await admin.mergePatch({ apiVersion: application.apiVersion, kind: 'Application', namespace, name: 'guestbook' }, {
      status: {
        sync: { status: 'OutOfSync', revision: second, comparedTo: { source, destination } },
        health: { status: 'Healthy' },
        history: [{ id: 0, revision: first, deployedAt: '2026-12-01T10:00:00Z', source }],
        operationState: {
          phase: 'Failed', message: 'one or more objects failed to apply, reason: configmaps "guestbook" is forbidden',
          operation: { sync: { revision: second } }, syncResult: { revision: second }, startedAt: '2026-12-02T04:00:00Z', finishedAt: '2026-12-02T04:00:05Z',
        },
        reconciledAt: '2026-12-02T04:01:00Z',
      },
    });
    const { apps } = await status(repo);
    const controller = appNamed(apps, 'guestbook').controller!;
    assert.equal(controller.kind, 'Application');
    assert.equal(controller.ready, 'False');
    assert.equal(controller.reason, 'SyncFailed');
    assert.match(controller.message ?? '', /forbidden/);
    assert.equal(controller.appliedRevision, first);
    assert.equal(controller.attemptedRevision, second);
    assert.deepEqual(controller.argo, { syncStatus: 'OutOfSync', healthStatus: 'Healthy', operationPhase: 'Failed', operationMessage: 'one or more objects failed to apply, reason: configmaps "guestbook" is forbidden' });
    assert.equal(controller.lastReconciled, '2026-12-02T04:01:00Z');
    assert.deepEqual([controller.behind?.ref, controller.behind?.count, controller.behind?.commits[0]?.subject], ['origin/main', 1, 'guestbook: green']);
  });

  it('a HelmRelease: the release history[0] runs, the upgrade tried and failed, remediation, and the HelmRepository that cannot be fetched', async () => {
    const helmRepository: KubeObject = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'podinfo', namespace }, spec: { interval: '1h', url: 'https://charts.example.invalid/podinfo' } };
    const release: KubeObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace },
      spec: { interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
    };
    const chart: KubeObject = {
      apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart', metadata: { name: `${namespace}-podinfo`, namespace },
      spec: { interval: '10m', chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
    };
    repo.commit('podinfo', { '.driftline.yaml': driftlineYaml(), 'clusters/dev/podinfo.yaml': [helmRepository, release].map((object) => stringify(object)).join('---\n') });
    for (const object of [helmRepository, release, chart]) await admin.serverSideApply(object, setup);
    const statusOf = async (object: KubeObject, status: Record<string, unknown>) =>
      admin.mergePatch({ apiVersion: object.apiVersion, kind: object.kind, namespace, name: object.metadata.name }, { status }, { subresource: 'status' });
    await statusOf(release, {
      helmChart: `${namespace}/${namespace}-podinfo`, lastAttemptedRevision: '6.6.0', upgradeFailures: 1, installFailures: 0,
      history: [{ name: 'podinfo', namespace, version: 2, status: 'deployed', chartName: 'podinfo', chartVersion: '6.5.4', appVersion: '6.5.4', digest: 'sha256:1111', configDigest: 'sha256:2222', firstDeployed: '2026-12-01T10:00:00Z', lastDeployed: '2026-12-01T10:00:00Z' }],
      conditions: [
        { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.6.0: context deadline exceeded', lastTransitionTime: '2026-12-02T04:00:00Z' },
        { type: 'Released', status: 'False', reason: 'UpgradeFailed', message: 'Helm upgrade failed', lastTransitionTime: '2026-12-02T04:00:00Z' },
        { type: 'Remediated', status: 'True', reason: 'RollbackSucceeded', message: `Helm rollback to previous release ${namespace}/podinfo.v2 succeeded`, lastTransitionTime: '2026-12-02T04:00:05Z' },
      ],
    });
    await statusOf(chart, { conditions: [{ type: 'Ready', status: 'True', reason: 'ChartPullSucceeded', message: "pulled 'podinfo' chart with version '6.6.0'", lastTransitionTime: '2026-12-02T03:00:00Z' }] });
    await statusOf(helmRepository, { conditions: [{ type: 'Ready', status: 'False', reason: 'FailedIndex', message: 'failed to fetch Helm repository index: 401 Unauthorized', lastTransitionTime: '2026-12-02T04:30:00Z' }] });

    // The chart cannot be fetched here (the app is Unknown); what the controller says is read all the same.
    const { text, apps } = await status(repo, false);
    const controller = appNamed(apps, 'podinfo').controller!;
    assert.equal(controller.kind, 'HelmRelease');
    assert.deepEqual([controller.ready, controller.reason, controller.appliedRevision, controller.attemptedRevision], ['False', 'UpgradeFailed', '6.5.4', '6.6.0']);
    assert.deepEqual(controller.release, { chartName: 'podinfo', chartVersion: '6.5.4', appVersion: '6.5.4', version: 2, status: 'deployed', digest: 'sha256:1111', configDigest: 'sha256:2222' });
    assert.deepEqual(controller.failures, { upgrade: 1 });
    assert.deepEqual(controller.conditions?.map((entry) => `${entry.type}=${entry.status} ${entry.reason}`), ['Released=False UpgradeFailed', 'Remediated=True RollbackSucceeded']);
    assert.deepEqual([controller.source?.kind, controller.source?.ready, controller.source?.message], ['HelmRepository', 'False', 'failed to fetch Helm repository index: 401 Unauthorized']);
    assert.equal(controller.behind, undefined, 'a chart version is no commit');
    assert.ok(text.includes('dev/podinfo: Ready=False UpgradeFailed · runs 6.5.4 · tried 6.6.0 · source HelmRepository not ready'), text);
  });

  it('a direct sync records its commit on what it applies; status reads it back, and the record is never drift', async () => {
    const app = { name: 'direct', environment: 'dev', path: 'direct', namespace, renderer: 'yaml' };
    const first = repo.commit('direct', { '.driftline.yaml': driftlineYaml({ apps: [app] }), 'direct/configmap.yaml': configMap('direct', { color: 'blue' }) });
    repo.git('push', '--quiet', '-u', 'origin', 'main');
    const synced = await runCli(runSync, ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'direct', '--yes']);
    assert.equal(synced.code, 0, synced.stdout + synced.stderr);
    const live = await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'direct' });
    assert.equal(live?.metadata.annotations?.[DRIFTLINE_REVISION_ANNOTATION], first);

    repo.commit('direct: green', { 'direct/configmap.yaml': configMap('direct', { color: 'green' }) });
    repo.git('push', '--quiet', 'origin', 'main');
    const behind = appNamed((await status(repo)).apps, 'direct');
    assert.equal(behind.status, 'OutOfSync');
    assert.equal(behind.directSync?.revision, first);
    assert.deepEqual([behind.directSync?.behind?.count, behind.directSync?.behind?.commits[0]?.touchesApp], [1, true]);

    // Uncommitted edits of the app's files are recorded as such; the annotation itself is no drift.
    repo.write('direct/configmap.yaml', configMap('direct', { color: 'yellow' }));
    const again = await runCli(runSync, ['--repo', repo.root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'direct', '--yes']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const head = repo.git('rev-parse', 'HEAD').trim();
    const after = appNamed((await status(repo)).apps, 'direct');
    assert.equal(after.status, 'Synced', JSON.stringify(after.resources.map((resource) => [resource.name, resource.status, resource.changedPaths])));
    assert.equal(after.directSync?.revision, `${head}-dirty`);
    assert.equal(after.directSync?.behind?.count, 0);
  });
});
