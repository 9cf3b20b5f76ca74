// A Flux HelmRelease whose chart repository cannot be reached (and whose chart was never cached) is compared
// against the release helm-controller stored in the cluster: a real `helm install` + `helm upgrade` against the
// test API server write the release Secrets (v1 superseded, v2 deployed), and the app compares with v2's
// manifest, hooks kept apart, and says so. A HelmRelease with no release stored is Unknown naming the chart's
// error and the release looked for, while the other apps still compare. So is a HelmRelease whose HelmRepository
// is not in the repository (applied from elsewhere), with that reason.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { formatTable } from '../../../src/cli/status';
import { DriftEngine } from '../../../src/core/drift/engine';
import type { StatusReport } from '../../../src/core/model';
import { serveFolder, tempFolder } from '../../support/chartRepository';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { makeFluxRepo, type FluxRepo } from '../sync/fluxRepo';
import { appOf } from './driftFixture';

function helmRelease(name: string, namespace: string, repository: string): string {
  return stringify({
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace },
    spec: {
      interval: '10m', values: { greeting: 'from-git' },
      chart: { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: repository, namespace: 'flux-system' } } },
    },
  });
}

/** A chart with a ConfigMap and a pre-install hook ConfigMap (helm runs it without waiting: no Job). */
async function writeChart(folder: string): Promise<string> {
  const chart = path.join(folder, 'podinfo');
  await fs.mkdir(path.join(chart, 'templates'), { recursive: true });
  await fs.writeFile(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: podinfo\nversion: 6.5.4\n');
  await fs.writeFile(path.join(chart, 'values.yaml'), 'greeting: hello\n');
  await fs.writeFile(path.join(chart, 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  greeting: {{ .Values.greeting | quote }}\n');
  await fs.writeFile(path.join(chart, 'templates', 'hook.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\ndata:\n  ran: "yes"\n');
  return chart;
}

describe('DriftEngine: a HelmRelease whose chart cannot be fetched, compared with the release stored in the cluster', function () {
  this.timeout(120_000);
  const info = testCluster();
  let folder: string;
  let cacheRoot: string;
  let repo: FluxRepo;
  let namespace: string;

  async function status(): Promise<StatusReport> {
    const engine = new DriftEngine({ repoRoot: repo.root, kubeconfig: info.kubeconfig, sources: { cacheRoot, env: { HOME: cacheRoot } } });
    try {
      return await engine.status();
    } finally {
      engine.close();
    }
  }

  before(async () => {
    await installGitOpsCrds(info, FLUX_CRD_FILES);
    namespace = await freshNamespace('stored-release');
    folder = await tempFolder('driftline-stored-release-');
    cacheRoot = await tempFolder('driftline-stored-release-cache-');
    const chart = await writeChart(folder);
    const helm = (...args: string[]) => execFileSync('helm', [...args, '--namespace', namespace, '--kubeconfig', info.kubeconfig, '--kube-context', info.adminContext], { stdio: 'pipe' });
    helm('install', 'podinfo', chart, '--set', 'greeting=first');
    helm('upgrade', 'podinfo', chart, '--set', 'greeting=from-git');
    helm('install', 'elsewhere', chart, '--set', 'greeting=from-git');
    // A repository that was there once: its port now refuses connections.
    const gone = await serveFolder(folder);
    await gone.stop();
    repo = makeFluxRepo({
      'clusters/dev/sources.yaml': stringify({
        apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'gone', namespace: 'flux-system' },
        spec: { interval: '1h', url: gone.url },
      }),
      'clusters/dev/podinfo.yaml': helmRelease('podinfo', namespace, 'gone'),
      'clusters/dev/never-installed.yaml': helmRelease('never-installed', namespace, 'gone'),
      // Its HelmRepository is applied from another repository: only the cluster knows the chart's URL.
      'clusters/dev/elsewhere.yaml': helmRelease('elsewhere', namespace, 'platform-charts'),
    });
  });

  after(async () => {
    repo?.cleanup();
    await Promise.all([folder, cacheRoot].filter(Boolean).map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });

  it('is Synced against the latest deployed release (v2), keeps its hooks apart, and the row says where the desired state came from', async () => {
    const report = await status();
    const app = appOf(report, 'dev', 'podinfo');
    assert.equal(app.reason, undefined);
    assert.equal(app.status, 'Synced');
    assert.deepEqual(app.resources.map((resource) => [resource.kind, resource.name, resource.status]), [['ConfigMap', 'podinfo-config', 'Synced']]);
    assert.deepEqual(app.hooks?.map((hook) => [hook.kind, hook.name, hook.hook]), [['ConfigMap', 'podinfo-hook', 'pre-install,pre-upgrade']]);
    assert.match(app.sourceNote ?? '',
      /^compared with Helm release v2 in the cluster; chart not fetched: GET http:\/\/127\.0\.0\.1:\d+\/index\.yaml: connection refused \(ECONNREFUSED\)$/);
    assert.match(formatTable(report), /\ndev\/podinfo: compared with Helm release v2 in the cluster; chart not fetched: GET http:/);
  });

  it('compares a HelmRelease whose HelmRepository is not in this repository with its stored release too, saying why', async () => {
    const app = appOf(await status(), 'dev', 'elsewhere');
    assert.equal(app.status, 'Synced', app.reason);
    assert.deepEqual(app.resources.map((resource) => [resource.kind, resource.name, resource.status]), [['ConfigMap', 'elsewhere-config', 'Synced']]);
    assert.equal(app.sourceNote, 'compared with Helm release v1 in the cluster; chart not fetched: source HelmRepository flux-system/platform-charts is not defined in this repository');
  });

  it('shows a live edit of a released object as drift', async () => {
    await testClient().serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'podinfo-config', namespace }, data: { greeting: 'edited-live' } },
      { fieldManager: 'kubectl-edit', force: true, dryRun: false });
    const app = appOf(await status(), 'dev', 'podinfo');
    assert.equal(app.status, 'OutOfSync');
    assert.match(app.resources[0]?.reason ?? '', /greeting/);
  });

  it('is Unknown naming the chart\'s error and the release looked for when no release is stored', async () => {
    const app = appOf(await status(), 'dev', 'never-installed');
    assert.equal(app.status, 'Unknown');
    assert.match(app.reason ?? '', /GET http:\/\/127\.0\.0\.1:\d+\/index\.yaml: connection refused \(ECONNREFUSED\); no deployed Helm release never-installed in namespace \S+ is stored in the cluster to compare with$/);
    assert.ok(app.reason?.includes(namespace));
  });
});
