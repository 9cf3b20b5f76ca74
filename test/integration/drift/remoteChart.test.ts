// A Flux HelmRelease of a chart from a HelmRepository compared with the real API server: the chart is fetched
// from a chart repository on loopback (helm package + helm repo index), rendered with the release's values and
// compared like any app; with the repository gone, the cached chart is compared and `driftline status` says so.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { stringify } from 'yaml';
import { formatTable } from '../../../src/cli/status';
import { DriftEngine } from '../../../src/core/drift/engine';
import { FLUX_HELM_NAME_LABEL, FLUX_HELM_NAMESPACE_LABEL, type StatusReport } from '../../../src/core/model';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';
import { testClient, testCluster } from '../../support/cluster';
import { FLUX_CRD_FILES, installGitOpsCrds } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';
import { makeFluxRepo, type FluxRepo } from '../sync/fluxRepo';
import { appOf } from './driftFixture';

describe('DriftEngine: a HelmRelease of a chart from a HelmRepository', function () {
  this.timeout(120_000);
  const info = testCluster();
  let charts: string;
  let cacheRoot: string;
  let server: ChartServer;
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
    namespace = await freshNamespace('remote-chart');
    charts = await tempFolder('driftline-remote-charts-');
    cacheRoot = await tempFolder('driftline-remote-cache-');
    await packageChart(charts, 'podinfo', '6.5.4');
    await packageChart(charts, 'gone', '1.0.0');
    indexFolder(charts);
    await fs.rm(`${charts}/gone-1.0.0.tgz`); // in the index, not on the server: HTTP 404
    server = await serveFolder(charts);
    repo = makeFluxRepo({
      'clusters/dev/sources.yaml': stringify({
        apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'charts', namespace: 'flux-system' },
        spec: { interval: '1h', url: server.url },
      }),
      'clusters/dev/podinfo.yaml': stringify({
        apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace },
        spec: {
          interval: '10m', chart: { spec: { chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } },
          values: { greeting: 'from-git' },
        },
      }),
      'clusters/dev/gone.yaml': stringify({
        apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'gone', namespace },
        spec: { interval: '10m', chart: { spec: { chart: 'gone', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } } },
      }),
    });
    // What helm-controller installed: the chart's ConfigMap with the release's values, its labels and helm's marks.
    await testClient().serverSideApply({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: {
        name: 'podinfo-config', namespace,
        labels: { [FLUX_HELM_NAME_LABEL]: 'podinfo', [FLUX_HELM_NAMESPACE_LABEL]: namespace, 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: { 'meta.helm.sh/release-name': 'podinfo', 'meta.helm.sh/release-namespace': namespace },
      },
      data: { version: '6.5.4', greeting: 'from-git' },
    }, { fieldManager: 'helm-controller', force: true, dryRun: false });
  });

  after(async () => {
    await server?.stop();
    repo?.cleanup();
    await Promise.all([charts, cacheRoot].filter(Boolean).map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  it('compares the fetched chart\'s objects with the cluster: Synced, then OutOfSync when the live object drifts', async () => {
    const report = await status();
    const synced = appOf(report, 'dev', 'podinfo');
    assert.equal(synced.reason, undefined);
    assert.equal(synced.status, 'Synced');
    assert.deepEqual(synced.resources.map((resource) => [resource.kind, resource.name, resource.status]), [['ConfigMap', 'podinfo-config', 'Synced']]);
    assert.equal(synced.sourceNote, undefined);
    // A chart the repository does not serve fails only its own app, naming the URL and the HTTP status.
    const gone = appOf(report, 'dev', 'gone');
    assert.equal(gone.status, 'Unknown');
    assert.match(gone.reason ?? '', /GET http:\/\/127\.0\.0\.1:\d+\/gone-1\.0\.0\.tgz: HTTP 404 Not Found; no deployed Helm release gone in namespace /);

    await testClient().serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'podinfo-config', namespace }, data: { greeting: 'edited-live' } },
      { fieldManager: 'kubectl-edit', force: true, dryRun: false });
    const drifted = appOf(await status(), 'dev', 'podinfo');
    assert.equal(drifted.status, 'OutOfSync');
  });

  it('with the repository unreachable, compares the cached chart and says so in the status output', async () => {
    await server.stop();
    const report = await status();
    const app = appOf(report, 'dev', 'podinfo');
    assert.equal(app.reason, undefined);
    assert.equal(app.resources.length, 1);
    assert.match(app.sourceNote ?? '', /^chart podinfo 6\.5\.4 from cache, fetched (just now|\d+ min ago) \(GET http:\/\/127\.0\.0\.1:\d+\/index\.yaml: /);
    assert.match(formatTable(report), /\ndev\/podinfo: chart podinfo 6\.5\.4 from cache, fetched /);
  });
});
