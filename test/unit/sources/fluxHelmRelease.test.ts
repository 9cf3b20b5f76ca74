// A Flux HelmRelease whose chart comes from a HelmRepository renders through the workspace: discovery names the
// chart and repository, the render fetches it (a real chart repository on loopback) and runs helm template with
// the release's values; a chart that cannot be fetched fails its own app only; offline, the cached chart renders
// and the render says it came from the cache.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RenderedApp } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { Workspace } from '../../../src/core/workspace';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { startRegistry } from '../../support/ociRegistry';

const helmRepository = (url: string) => [
  'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: HelmRepository', 'metadata:', '  name: charts', '  namespace: flux-system',
  'spec:', '  interval: 1h', `  url: ${url}`, '',
].join('\n');

const helmRelease = (name: string, chart: string, version: string) => [
  'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: ${name}`, '  namespace: apps', 'spec:',
  '  chart:', '    spec:', `      chart: ${chart}`, `      version: "${version}"`,
  '      sourceRef:', '        kind: HelmRepository', '        name: charts', '        namespace: flux-system',
  '  values:', '    greeting: from-git', '',
].join('\n');

describe('Flux HelmReleases with a chart from a HelmRepository', () => {
  let charts: string;
  let cacheRoot: string;
  let server: ChartServer;

  before(async () => {
    charts = await tempFolder('driftline-flux-charts-');
    await packageChart(charts, 'podinfo', '6.5.3');
    await packageChart(charts, 'podinfo', '6.5.4');
    indexFolder(charts);
    server = await serveFolder(charts);
    cacheRoot = await tempFolder('driftline-flux-cache-');
  });

  after(async () => {
    await server.stop();
    await removeTempRepos();
    await Promise.all([charts, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  async function renderRepo(): Promise<Record<string, RenderedApp>> {
    const root = await writeRepo({
      'clusters/dev/sources.yaml': helmRepository(server.url),
      'clusters/dev/podinfo.yaml': helmRelease('podinfo', 'podinfo', '6.5.x'),
      'clusters/dev/missing.yaml': helmRelease('missing', 'podinfo', '9.x'),
    });
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { HOME: cacheRoot } } });
    const model = await workspace.discover();
    const apps = model.environments.flatMap((environment) => environment.apps);
    const rendered = await renderApps(apps, workspace.renderOptionsFor(model));
    return Object.fromEntries(rendered.map((app) => [app.app.name, app]));
  }

  it('fetches the chart version the range resolves to and renders it with the release\'s values', async () => {
    const { podinfo, missing } = await renderRepo();
    assert.equal(podinfo.app.unknownReason, undefined);
    assert.deepEqual({ chart: podinfo.app.helm?.chart, repoURL: podinfo.app.helm?.repoURL, version: podinfo.app.helm?.version },
      { chart: 'podinfo', repoURL: server.url, version: '6.5.x' });
    assert.equal(podinfo.error, undefined);
    assert.deepEqual(podinfo.objects.map(({ object }) => [object.kind, object.metadata.namespace, object.metadata.name, object.data]),
      [['ConfigMap', 'apps', 'podinfo-config', { version: '6.5.4', greeting: 'from-git' }]]);
    assert.equal(podinfo.objects[0].source.file, path.join(path.dirname(podinfo.app.declaredAt.file), 'podinfo.yaml'), 'objects go to the HelmRelease');
    assert.equal(podinfo.sourceNote, undefined);
    assert.match(missing.error ?? '', new RegExp(`chart podinfo in ${server.url}: no version matches "9.x" .*\\(versions: 6.5.4, 6.5.3\\)`));
    assert.equal(server.authorizations.filter((request) => request.path === '/index.yaml').length, 1, 'the two releases shared one index.yaml fetch');
  });

  it('renders the cached chart when the repository is unreachable, and says so', async () => {
    await server.stop();
    const { podinfo } = await renderRepo();
    assert.equal(podinfo.error, undefined);
    assert.deepEqual(podinfo.objects.map(({ object }) => object.data), [{ version: '6.5.4', greeting: 'from-git' }]);
    assert.match(podinfo.sourceNote ?? '', new RegExp(`^chart podinfo 6.5.4 from cache, fetched (just now|1 min ago) \\(GET ${server.url}/index.yaml: `));
  });
});

describe('Flux HelmReleases with a chart from an OCI HelmRepository', function () {
  this.timeout(60_000);

  it('fetch the chart from the registry (type: oci) and render it with the release\'s values', async () => {
    const charts = await tempFolder('driftline-flux-oci-');
    const cacheRoot = await tempFolder('driftline-flux-oci-cache-');
    const registry = await startRegistry();
    try {
      registry.push(await packageChart(charts, 'podinfo', '6.5.4'), 'charts');
      const root = await writeRepo({
        'clusters/dev/sources.yaml': helmRepository(`oci://${registry.host}/charts`).replace('  interval: 1h', '  type: oci\n  interval: 1h'),
        'clusters/dev/podinfo.yaml': helmRelease('podinfo', 'podinfo', '>=6.0.0'),
      });
      const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: registry.env } });
      const model = await workspace.discover();
      const [podinfo] = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
      assert.equal(podinfo.error, undefined);
      assert.deepEqual(podinfo.objects.map(({ object }) => object.data), [{ version: '6.5.4', greeting: 'from-git' }]);
    } finally {
      await registry.stop();
      await removeTempRepos();
      await Promise.all([charts, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
    }
  });
});
