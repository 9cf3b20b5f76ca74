// spec.chart.spec.valuesFiles of a HelmRelease whose chart comes from a HelmRepository: files inside the fetched
// chart (a real chart repository on loopback), merged in order to replace the chart's values.yaml as
// source-controller packages it; spec.values still win. A file the chart does not have fails naming it, unless
// ignoreMissingValuesFiles. A chartRef HelmChart's own valuesFiles count the same way.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { stringify } from 'yaml';
import type { RenderedApp } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { Workspace } from '../../../src/core/workspace';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

describe('Flux HelmRelease chart.spec.valuesFiles of a fetched chart', () => {
  let charts: string;
  let cacheRoot: string;
  let server: ChartServer;

  before(async () => {
    charts = await tempFolder('driftline-values-charts-');
    await packageChart(charts, 'podinfo', '6.5.4', {
      'values-prod.yaml': 'greeting: from-prod\nextra: 1\n',
      'values-eu.yaml': 'greeting: from-eu\n',
      'templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  extra: {{ .Values.extra | default "unset" | quote }}\n',
    });
    indexFolder(charts);
    server = await serveFolder(charts);
    cacheRoot = await tempFolder('driftline-values-cache-');
  });

  after(async () => {
    await server.stop();
    await removeTempRepos();
    await Promise.all([charts, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  const release = (name: string, chartSpec: Record<string, unknown>, values?: Record<string, unknown>) => stringify({
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'apps' },
    spec: { chart: { spec: { chart: 'podinfo', version: '6.5.x', sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' }, ...chartSpec } }, ...(values ? { values } : {}) },
  });

  async function render(): Promise<Record<string, RenderedApp>> {
    const root = await writeRepo({
      'clusters/dev/sources.yaml': stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'charts', namespace: 'flux-system' }, spec: { url: server.url } }),
      'clusters/dev/merged.yaml': release('merged', { valuesFiles: ['values.yaml', 'values-prod.yaml', 'values-eu.yaml'] }),
      'clusters/dev/replaced.yaml': release('replaced', { valuesFiles: ['values-eu.yaml'] }),
      'clusters/dev/overridden.yaml': release('overridden', { valuesFiles: ['values-prod.yaml'] }, { greeting: 'from-git' }),
      'clusters/dev/missing.yaml': release('missing', { valuesFiles: ['values-none.yaml'] }),
      'clusters/dev/ignored.yaml': release('ignored', { valuesFiles: ['values-none.yaml', 'values-prod.yaml'], ignoreMissingValuesFiles: true }),
      // A chartRef to a HelmChart: the HelmChart lists the valuesFiles.
      'clusters/dev/helmchart.yaml': stringify({
        apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart', metadata: { name: 'podinfo-prod', namespace: 'flux-system' },
        spec: { chart: 'podinfo', version: '6.5.x', sourceRef: { kind: 'HelmRepository', name: 'charts' }, valuesFiles: ['values-prod.yaml'] },
      }),
      'clusters/dev/viachart.yaml': stringify({
        apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'viachart', namespace: 'apps' },
        spec: { chartRef: { kind: 'HelmChart', name: 'podinfo-prod', namespace: 'flux-system' } },
      }),
    });
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { HOME: cacheRoot } } });
    const model = await workspace.discover();
    const rendered = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
    return Object.fromEntries(rendered.map((app) => [app.app.name, app]));
  }

  const data = (app: RenderedApp) => Object.fromEntries(app.objects.map(({ object }) => [object.metadata.name, object.data]));

  it('merges them in order in place of the chart\'s values.yaml (which counts only when listed); spec.values win', async () => {
    const apps = await render();
    for (const app of Object.values(apps)) if (app.app.name !== 'missing') assert.equal(app.error, undefined, `${app.app.name}: ${app.error}`);
    assert.deepEqual(data(apps.merged), { 'merged-config': { version: '6.5.4', greeting: 'from-eu' }, extra: { extra: '1' } });
    assert.deepEqual(data(apps.replaced), { 'replaced-config': { version: '6.5.4', greeting: 'from-eu' }, extra: { extra: 'unset' } });
    assert.deepEqual(data(apps.overridden), { 'overridden-config': { version: '6.5.4', greeting: 'from-git' }, extra: { extra: '1' } });
    assert.deepEqual(data(apps.ignored), { 'ignored-config': { version: '6.5.4', greeting: 'from-prod' }, extra: { extra: '1' } });
    assert.deepEqual(data(apps.viachart), { 'viachart-config': { version: '6.5.4', greeting: 'from-prod' }, extra: { extra: '1' } }, 'a chartRef HelmChart\'s valuesFiles');
    assert.match(apps.missing.error ?? '', /HelmRelease apps\/missing \(.*clusters\/dev\/missing\.yaml\): chart\.spec\.valuesFiles names values-none\.yaml, which the chart does not have/);
  });
});
