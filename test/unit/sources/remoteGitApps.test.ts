// Apps whose Git source is another repository, through the workspace: a Flux Kustomization of a GitRepository
// (tag, semver, branch) and an Argo CD Application of another repoURL render from the checkout of the commit the
// controller would pick, served by a real git daemon on loopback; a ref the remote lacks makes only its own app
// Unknown, naming URL and ref; with the server stopped, the cached checkout renders and the app says so.
import assert from 'node:assert/strict';
import { promises as fs, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RenderedApp } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { Workspace } from '../../../src/core/workspace';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { git, makeRemote, serveGit, type GitServer } from '../../support/gitServer';

const configMap = (name: string, value: string) =>
  ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, '  namespace: apps', 'data:', `  version: "${value}"`, ''].join('\n');

const gitRepository = (name: string, url: string, ref: string) => [
  'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', `  name: ${name}`, '  namespace: flux-system',
  'spec:', '  interval: 1h', `  url: ${url}`, '  ref:', `    ${ref}`, '',
].join('\n');

const kustomization = (name: string, source: string, folder: string) => [
  'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${name}`, '  namespace: flux-system',
  'spec:', '  interval: 1h', '  prune: true', `  path: ${folder}`, '  sourceRef:', '    kind: GitRepository', `    name: ${source}`, '',
].join('\n');

const application = (name: string, url: string, revision: string, folder: string) => [
  'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata:', `  name: ${name}`, '  namespace: argocd', 'spec:', '  project: default',
  '  source:', `    repoURL: ${url}`, `    targetRevision: ${revision}`, `    path: ${folder}`,
  '  destination:', '    server: https://kubernetes.default.svc', '    namespace: apps', '',
].join('\n');

describe('apps whose Git source is another repository', function () {
  this.timeout(120_000);
  let base: string;
  let cacheRoot: string;
  let work: string;
  let server: GitServer;

  before(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-git-remotes-'));
    cacheRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-git-cache-'));
    const remote = await makeRemote(base, 'platform');
    work = remote.work;
    remote.commit({ 'app/kustomization.yaml': 'resources: [cm.yaml]\n', 'app/cm.yaml': configMap('settings', '1.0') }, 'v1');
    git(work, 'tag', 'v1.0.0');
    remote.commit({ 'app/cm.yaml': configMap('settings', '1.5') }, 'v1.5');
    git(work, 'tag', 'v1.5.0');
    remote.commit({
      'app/cm.yaml': configMap('settings', '2.0'),
      'plain/cm.yaml': configMap('plain', 'kept'), 'plain/draft.yaml': configMap('draft', 'ignored'), 'plain/.sourceignore': 'draft.yaml\n',
    }, 'v2');
    git(work, 'tag', 'v2.0.0');
    git(work, 'push', '--quiet', 'origin', 'main', '--tags');
    server = await serveGit(base);
  });

  after(async () => {
    await server.stop();
    await removeTempRepos();
    await Promise.all([base, cacheRoot, work].map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  async function renderRepo(): Promise<Record<string, RenderedApp>> {
    const url = server.url('platform');
    const root = await writeRepo({
      'clusters/dev/sources.yaml': [
        gitRepository('platform-tag', url, 'tag: v1.0.0'), gitRepository('platform-semver', url, 'semver: ">=1.0.0 <2.0.0"'),
        gitRepository('platform-main', url, 'branch: main'), gitRepository('platform-gone', url, 'branch: does-not-exist'),
      ].join('---\n'),
      'clusters/dev/apps.yaml': [
        kustomization('by-tag', 'platform-tag', './app'), kustomization('by-semver', 'platform-semver', './app'),
        kustomization('plain', 'platform-main', './plain'), kustomization('gone', 'platform-gone', './app'),
      ].join('---\n'),
      'argocd/remote.yaml': application('argo-remote', url, 'v1.5.0', 'app'),
    });
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { ...process.env, HOME: cacheRoot } } });
    const model = await workspace.discover();
    const rendered = await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model));
    return Object.fromEntries(rendered.map((app) => [app.app.name, app]));
  }

  const versionOf = (app: RenderedApp | undefined, name = 'settings') =>
    (app?.objects.find((desired) => desired.object.metadata.name === name)?.object as { data?: { version?: string } } | undefined)?.data?.version;

  it('renders each from the commit its ref picks, leaves out what .sourceignore does, and fails only the app whose ref is missing', async () => {
    const apps = await renderRepo();
    assert.equal(apps['by-tag']?.error, undefined);
    assert.equal(versionOf(apps['by-tag']), '1.0');
    assert.equal(versionOf(apps['by-semver']), '1.5', 'the highest tag in >=1.0.0 <2.0.0');
    assert.equal(versionOf(apps['argo-remote']), '1.5');
    assert.deepEqual(apps.plain?.objects.map((desired) => desired.object.metadata.name), ['plain'], apps.plain?.error);
    assert.match(apps.gone?.error ?? '', new RegExp(`${server.url('platform').replace(/\./g, '\\.')}.*couldn't find remote ref refs/heads/does-not-exist`));
    for (const name of ['by-tag', 'by-semver', 'argo-remote', 'plain']) assert.equal(apps[name]?.sourceNote, undefined, name);
  });

  it('re-discovers on a refresh when the branch moved upstream, and keeps the model when nothing moved', async () => {
    const root = await writeRepo({
      'clusters/dev/sources.yaml': gitRepository('platform-main', server.url('platform'), 'branch: main'),
      'clusters/dev/apps.yaml': kustomization('moving', 'platform-main', './app'),
    });
    const workspace = new Workspace({ repoRoot: root, sources: { cacheRoot, env: { ...process.env, HOME: cacheRoot } } });
    const render = async (model: Awaited<ReturnType<Workspace['discover']>>) =>
      (await renderApps(model.environments.flatMap((environment) => environment.apps), workspace.renderOptionsFor(model)))[0];
    const first = await workspace.discover();
    assert.equal(versionOf(await render(first)), '2.0');
    assert.equal(await workspace.discoverCurrent(), first, 'nothing moved: the same model');
    writeFileSync(path.join(work, 'app/cm.yaml'), configMap('settings', '2.1'));
    git(work, 'commit', '--quiet', '-am', 'v2.1');
    git(work, 'push', '--quiet', 'origin', 'main');
    const moved = await workspace.discoverCurrent();
    assert.notEqual(moved, first);
    assert.equal(versionOf(await render(moved)), '2.1');
    assert.equal(await workspace.discoverCurrent(), moved);
  });

  it('renders from the cached checkout when the server is stopped, and says so in the app', async () => {
    await server.stop();
    try {
      const apps = await renderRepo();
      assert.equal(versionOf(apps['by-tag']), '1.0');
      assert.match(apps['by-tag']?.sourceNote ?? '', /^Git git:\/\/127\.0\.0\.1:\d+\/platform\.git tag v1\.0\.0 at [0-9a-f]{7} from cache, fetched (just now|\d+ min ago) \(/);
      assert.equal(versionOf(apps['argo-remote']), '1.5');
      assert.match(apps['argo-remote']?.sourceNote ?? '', /revision v1\.5\.0 at [0-9a-f]{7} from cache/);
    } finally {
      server = await serveGit(base);
    }
  });
});
