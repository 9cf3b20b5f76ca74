// A Flux HelmRelease whose chart comes from a HelmRepository renders through the workspace: discovery names the
// chart and repository, the render fetches it (a real chart repository on loopback) and runs helm template with
// the release's values; a chart that cannot be fetched fails its own app only; offline, the cached chart renders
// and the render says it came from the cache.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RenderedApp } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { fetchChart } from '../../../src/core/sources/fetchChart';
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
    assert.equal(podinfo.provisional, true, 'a stand-in for an unreachable source: the next refresh tries the source again');
  });
});

describe('Flux HelmReleases across refreshes', function () {
  this.timeout(60_000);
  let charts: string;
  let cacheRoot: string;
  let server: ChartServer;
  let helmRuns: string;
  let helm: string;

  before(async () => {
    charts = await tempFolder('driftline-flux-fresh-');
    cacheRoot = await tempFolder('driftline-flux-fresh-cache-');
    await packageChart(charts, 'podinfo', '6.5.3');
    indexFolder(charts);
    server = await serveFolder(charts);
    // The real helm, through a script that counts its runs.
    helmRuns = path.join(cacheRoot, 'helm-runs');
    helm = path.join(cacheRoot, 'helm');
    const realHelm = execFileSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).trim();
    await fs.writeFile(helm, `#!/bin/sh\necho run >> '${helmRuns}'\nexec '${realHelm}' "$@"\n`, { mode: 0o755 });
  });

  after(async () => {
    await server.stop();
    await removeTempRepos();
    await Promise.all([charts, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  it('keep the render while the range resolves to the same chart, and render the new version once the repository publishes one', async () => {
    const root = await writeRepo({
      'clusters/dev/sources.yaml': helmRepository(server.url),
      'clusters/dev/podinfo.yaml': helmRelease('podinfo', 'podinfo', '6.5.x'),
    });
    const env = { HOME: cacheRoot };
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env }, renderOptions: { tools: { helm } } });
    const model = await workspace.discover();
    const apps = model.environments.flatMap((environment) => environment.apps);
    // Each refresh asks the repository afresh (source-controller does every interval; the workspace shares an
    // index for a minute, longer than this test waits).
    const refresh = async () => {
      const [podinfo] = await renderApps(apps, { ...workspace.renderOptionsFor(model), fetchChart: (request, signal) => fetchChart(request, { cache: workspace.sourceCache, env, signal }) });
      assert.equal(podinfo.error, undefined);
      return (podinfo.objects[0].object.data as Record<string, string>).version;
    };
    const runs = async () => (await fs.readFile(helmRuns, 'utf8')).split('\n').filter(Boolean).length;
    assert.equal(await refresh(), '6.5.3');
    const rendered = await runs();
    assert.equal(await refresh(), '6.5.3');
    assert.equal(await runs(), rendered, 'an unchanged chart is not rendered again');
    await packageChart(charts, 'podinfo', '6.5.4');
    indexFolder(charts);
    assert.equal(await refresh(), '6.5.4', 'the next refresh renders what helm-controller upgrades to');
  });
});

describe('Flux HelmReleases with a chart from an OCI HelmRepository', function () {
  this.timeout(60_000);

  it('fetch the chart from the registry (type: oci) and render it with the release\'s values', async () => {
    const charts = await tempFolder('driftline-flux-oci-');
    const cacheRoot = await tempFolder('driftline-flux-oci-cache-');
    const registry = await startRegistry();
    try {
      await registry.push(await packageChart(charts, 'podinfo', '6.5.4'), 'charts');
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

describe('Flux HelmReleases with a chartRef', function () {
  this.timeout(60_000);

  const chartRefRelease = (name: string, kind: string, source: string) => [
    'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: ${name}`, '  namespace: apps', 'spec:',
    '  chartRef:', `    kind: ${kind}`, `    name: ${source}`, '    namespace: flux-system', '  values:', '    greeting: from-git', '',
  ].join('\n');
  const ociRepository = (name: string, url: string, ref: string) => [
    'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: OCIRepository', 'metadata:', `  name: ${name}`, '  namespace: flux-system',
    'spec:', '  interval: 1h', `  url: ${url}`, ...(ref ? ['  ref:', `    ${ref}`] : []), '',
  ].join('\n');

  it('render an OCIRepository\'s chart at its tag, its semver range or latest, and a HelmChart\'s from its HelmRepository', async () => {
    const charts = await tempFolder('driftline-flux-ref-');
    const cacheRoot = await tempFolder('driftline-flux-ref-cache-');
    const registry = await startRegistry();
    const server = await serveFolder(charts);
    try {
      for (const version of ['6.5.3', '6.5.4']) await registry.push(await packageChart(charts, 'podinfo', version), 'charts');
      indexFolder(charts);
      // `latest` is a tag of its own: a chart pushed under that name (as some registries publish them).
      const manifest = await fetch(`http://${registry.host}/v2/charts/podinfo/manifests/6.5.3`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
      const put = await fetch(`http://${registry.host}/v2/charts/podinfo/manifests/latest`, {
        method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: Buffer.from(await manifest.arrayBuffer()),
      });
      assert.equal(put.status, 201);
      const url = `oci://${registry.host}/charts/podinfo`;
      const root = await writeRepo({
        'clusters/dev/sources.yaml': [
          ociRepository('by-tag', url, 'tag: 6.5.3'), ociRepository('by-semver', url, 'semver: ">=6.5.0"'), ociRepository('by-default', url, ''),
          helmRepository(server.url),
          ['apiVersion: source.toolkit.fluxcd.io/v1', 'kind: HelmChart', 'metadata:', '  name: podinfo', '  namespace: flux-system', 'spec:',
            '  chart: podinfo', '  version: "6.5.x"', '  sourceRef:', '    kind: HelmRepository', '    name: charts', ''].join('\n'),
        ].join('---\n'),
        'clusters/dev/releases.yaml': [
          chartRefRelease('tag', 'OCIRepository', 'by-tag'), chartRefRelease('semver', 'OCIRepository', 'by-semver'),
          chartRefRelease('latest', 'OCIRepository', 'by-default'), chartRefRelease('helmchart', 'HelmChart', 'podinfo'),
          chartRefRelease('nowhere', 'OCIRepository', 'not-there'),
        ].join('---\n'),
      });
      const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: registry.env } });
      const model = await workspace.discover();
      const rendered = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
      const versions = Object.fromEntries(rendered.map((app) => [app.app.name, app.error ?? app.objects.map(({ object }) => (object.data as { version: string }).version).join()]));
      assert.deepEqual(versions, {
        tag: '6.5.3', semver: '6.5.4', latest: '6.5.3', helmchart: '6.5.4',
        nowhere: 'source OCIRepository flux-system/not-there is not defined in this repository',
      });
    } finally {
      await server.stop();
      await registry.stop();
      await removeTempRepos();
      await Promise.all([charts, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
    }
  });
});

describe('Flux HelmReleases compared from a cached chart', function () {
  this.timeout(60_000);

  it('are rendered again on the next refresh, and say nothing once the repository is back', async () => {
    const charts = await tempFolder('driftline-flux-back-');
    const cacheRoot = await tempFolder('driftline-flux-back-cache-');
    await packageChart(charts, 'podinfo', '6.5.4');
    indexFolder(charts);
    const server = await serveFolder(charts);
    try {
      const root = await writeRepo({
        'clusters/dev/sources.yaml': helmRepository(server.url),
        'clusters/dev/podinfo.yaml': helmRelease('podinfo', 'podinfo', '6.x'),
      });
      const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { HOME: cacheRoot } } });
      const render = async () => {
        const model = await workspace.discover();
        const [podinfo] = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
        return podinfo;
      };
      const fresh = await render();
      assert.equal(fresh.sourceNote, undefined);
      await server.stop();
      // A new workspace (a new VS Code window, the next CLI run): nothing in memory, the repository unreachable.
      const offlineWorkspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { HOME: cacheRoot } } });
      const offlineModel = await offlineWorkspace.discover();
      const renderOffline = async () => (await renderApps(offlineModel.environments.flatMap((environment) => environment.apps), offlineWorkspace.renderOptionsFor(offlineModel)))[0];
      const offline = await renderOffline();
      assert.match(offline.sourceNote ?? '', /from cache/);
      assert.notEqual(offline.inputHash, fresh.inputHash, 'cached comparisons of the fresh render are not reused for it');
      await server.start();
      const back = await renderOffline();
      assert.equal(back.sourceNote, undefined, 'rendered again from the repository, not reused from the offline render');
      assert.equal(back.inputHash, fresh.inputHash);
    } finally {
      await server.stop();
      await removeTempRepos();
      await Promise.all([charts, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
    }
  });
});
