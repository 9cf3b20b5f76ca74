// GitRepository spec.include through the workspace, against git daemon on loopback: a Kustomization of a
// GitRepository that includes another renders the included repository's files copied into toPath (from
// fromPath), as source-controller assembles the artifact; an include naming no GitRepository makes only that
// app Unknown, naming the GitRepository, its file and the missing name.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RenderedApp } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { Workspace } from '../../../src/core/workspace';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { git, makeRemote, serveGit, type GitServer } from '../../support/gitServer';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\ndata:\n  from: ${name}\n`;

describe('GitRepository spec.include', function () {
  this.timeout(120_000);
  let base: string;
  let cacheRoot: string;
  let server: GitServer;

  before(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-include-'));
    cacheRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-include-cache-'));
    const apps = await makeRemote(base, 'apps');
    apps.commit({ 'deploy/kustomization.yaml': 'resources: [app.yaml, shared/base/common.yaml]\n', 'deploy/app.yaml': configMap('app') }, 'apps');
    git(apps.work, 'push', '--quiet', 'origin', 'main');
    const shared = await makeRemote(base, 'shared');
    shared.commit({ 'manifests/base/common.yaml': configMap('common'), 'README.md': 'not copied\n' }, 'shared');
    git(shared.work, 'push', '--quiet', 'origin', 'main');
    server = await serveGit(base);
  });

  after(async () => {
    await server.stop();
    await removeTempRepos();
    await Promise.all([base, cacheRoot].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  const gitRepository = (name: string, url: string, include: string[] = []) => [
    'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', `  name: ${name}`, '  namespace: flux-system',
    'spec:', `  url: ${url}`, '  ref:', '    branch: main', ...(include.length ? ['  include:', ...include] : []), '',
  ].join('\n');

  const kustomization = (name: string, source: string) => [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${name}`, '  namespace: flux-system',
    'spec:', '  path: ./deploy', '  prune: true', '  sourceRef:', '    kind: GitRepository', `    name: ${source}`, '',
  ].join('\n');

  it('copies the included artifact from fromPath into toPath, and names an include of nothing', async () => {
    const root = await writeRepo({
      'clusters/dev/sources.yaml': [
        gitRepository('apps', server.url('apps'), ['    - repository:', '        name: shared', '      fromPath: manifests', '      toPath: deploy/shared']),
        gitRepository('shared', server.url('shared')),
        gitRepository('broken', server.url('apps'), ['    - repository:', '        name: nowhere']),
      ].join('---\n'),
      'clusters/dev/apps.yaml': [kustomization('with-include', 'apps'), kustomization('broken-include', 'broken')].join('---\n'),
    });
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { ...process.env, HOME: cacheRoot } } });
    const model = await workspace.discover();
    const rendered: Record<string, RenderedApp> = Object.fromEntries((await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model)))
      .map((app) => [app.app.name, app]));
    assert.equal(rendered['with-include'].error, undefined);
    assert.deepEqual(rendered['with-include'].objects.map(({ object }) => object.metadata.name).sort(), ['app', 'common']);
    assert.equal(await fs.stat(path.join(rendered['with-include'].app.path, 'shared', 'README.md')).then(() => true, () => false), false, 'only fromPath is copied');
    assert.match(rendered['broken-include'].error ?? '', /^GitRepository flux-system\/broken \(.*sources\.yaml\): spec\.include\[0\] names GitRepository flux-system\/nowhere, which is not defined in this repository$/);
  });
});
