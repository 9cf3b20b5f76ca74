// An Argo CD Application whose source is a chart (`repoURL` + `chart` + `targetRevision`) renders through the
// workspace as repo-server renders it: the chart fetched from a chart repository (http) or an OCI registry
// (`oci://` or a repoURL without scheme), then helm template with the Application's values.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { renderApps } from '../../../src/core/render/renderApps';
import { Workspace } from '../../../src/core/workspace';
import { indexFolder, packageChart, serveFolder, tempFolder, type ChartServer } from '../../support/chartRepository';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { startRegistry, type TestRegistry } from '../../support/ociRegistry';

const application = (name: string, repoURL: string, targetRevision: string) => [
  'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata:', `  name: ${name}`, '  namespace: argocd', 'spec:',
  '  destination:', '    server: https://kubernetes.default.svc', '    namespace: web',
  '  source:', `    repoURL: ${repoURL}`, '    chart: podinfo', `    targetRevision: "${targetRevision}"`,
  '    helm:', '      valuesObject:', '        greeting: from-argo', '',
].join('\n');

describe('Argo CD Applications with a chart from a Helm repository', function () {
  this.timeout(60_000);
  let charts: string;
  let cacheRoot: string;
  let server: ChartServer;
  let registry: TestRegistry;

  before(async () => {
    charts = await tempFolder('driftline-argo-charts-');
    cacheRoot = await tempFolder('driftline-argo-cache-');
    const archive = await packageChart(charts, 'podinfo', '6.5.4');
    indexFolder(charts);
    server = await serveFolder(charts);
    registry = await startRegistry();
    await registry.push(archive, 'charts');
  });

  after(async () => {
    await server.stop();
    await registry.stop();
    await removeTempRepos();
    await Promise.all([charts, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  it('fetches each chart (http, oci://, and a registry without scheme) and renders it with the Application\'s values', async () => {
    const root = await writeRepo({
      'argocd/http.yaml': application('from-http', server.url, '6.5.*'),
      'argocd/oci.yaml': application('from-oci', `oci://${registry.host}/charts`, '6.5.4'),
      'argocd/bare.yaml': application('from-bare', `${registry.host}/charts`, '>=6.0.0'),
      'argocd/missing.yaml': application('missing', server.url, '7.x'),
    });
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: registry.env } });
    const model = await workspace.discover();
    const rendered = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
    const byName = Object.fromEntries(rendered.map((app) => [app.app.name, app]));
    for (const name of ['from-http', 'from-oci', 'from-bare']) {
      assert.equal(byName[name].error, undefined, name);
      assert.deepEqual(byName[name].objects.map(({ object }) => [object.metadata.namespace, object.metadata.name, object.data]),
        [['web', `${name}-config`, { version: '6.5.4', greeting: 'from-argo' }]], name);
    }
    assert.match(byName.missing.error ?? '', /chart podinfo in http:\/\/127\.0\.0\.1:\d+: no version matches "7\.x" .*\(versions: 6\.5\.4\)/);
  });
});
