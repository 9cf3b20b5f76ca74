// HelmReleases whose chart.spec.sourceRef is a GitRepository of another repository (served by git daemon on
// loopback): the chart is the folder chart.spec.chart inside the checkout of the ref's commit, its valuesFiles
// are in that checkout too, and it renders with the release's values; a Bucket source is Unknown saying Bucket
// sources are not fetched (for a HelmRelease and a Kustomization alike).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RenderedApp } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { Workspace } from '../../../src/core/workspace';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { git, makeRemote, serveGit, type GitServer } from '../../support/gitServer';

const helmRelease = (name: string, chart: string, kind: string, source: string, valuesFiles: string[] = []) => [
  'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: ${name}`, '  namespace: apps', 'spec:',
  '  chart:', '    spec:', `      chart: ${chart}`, ...(valuesFiles.length ? ['      valuesFiles:', ...valuesFiles.map((file) => `        - ${file}`)] : []),
  '      sourceRef:', `        kind: ${kind}`, `        name: ${source}`, '        namespace: flux-system',
  '  values:', '    greeting: from-release', '',
].join('\n');

describe('HelmReleases with a chart from another Git repository or a Bucket', function () {
  this.timeout(120_000);
  let base: string;
  let cacheRoot: string;
  let server: GitServer;

  before(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-chart-git-'));
    cacheRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-chart-git-cache-'));
    const remote = await makeRemote(base, 'charts');
    remote.commit({
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.3.0\n',
      'charts/web/values.yaml': 'greeting: hello\nsize: small\n',
      'charts/web/values-prod.yaml': 'size: large\n',
      'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  size: {{ .Values.size | quote }}\n',
    }, 'chart');
    git(remote.work, 'push', '--quiet', 'origin', 'main');
    server = await serveGit(base);
  });

  after(async () => {
    await server.stop();
    await removeTempRepos();
    await Promise.all([base, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  it('renders the chart folder of the fetched commit with its valuesFiles, and refuses Bucket sources by name', async () => {
    const root = await writeRepo({
      'clusters/dev/sources.yaml': [
        'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: charts', '  namespace: flux-system',
        'spec:', `  url: ${server.url('charts')}`, '  ref:', '    branch: main', '---',
        'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: Bucket', 'metadata:', '  name: artifacts', '  namespace: flux-system',
        'spec:', '  bucketName: artifacts', '  endpoint: minio.example.com', '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: from-bucket', '  namespace: flux-system',
        'spec:', '  path: ./', '  prune: true', '  sourceRef:', '    kind: Bucket', '    name: artifacts', '',
      ].join('\n'),
      'clusters/dev/web.yaml': helmRelease('web', './charts/web', 'GitRepository', 'charts', ['./charts/web/values.yaml', './charts/web/values-prod.yaml']),
      'clusters/dev/stored.yaml': helmRelease('stored', './charts/web', 'Bucket', 'artifacts'),
    });
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { HOME: cacheRoot } } });
    const model = await workspace.discover();
    const apps = model.environments.flatMap((environment) => environment.apps);
    const rendered: Record<string, RenderedApp> = Object.fromEntries((await renderApps(apps, workspace.renderOptionsFor(model))).map((app) => [app.app.name, app]));
    assert.equal(rendered.web.error, undefined);
    assert.deepEqual(rendered.web.objects.map(({ object }) => [object.kind, object.metadata.name, object.data]),
      [['ConfigMap', 'web', { greeting: 'from-release', size: 'large' }]]);
    assert.ok(rendered.web.app.helm?.chartPath?.startsWith(path.join(cacheRoot, 'git')), rendered.web.app.helm?.chartPath);
    assert.equal(rendered.stored.error, 'chart ./charts/web from Bucket flux-system/artifacts: Bucket sources are not fetched');
    assert.equal(rendered['from-bucket'].error, 'source Bucket flux-system/artifacts: Bucket sources are not fetched');
  });
});
