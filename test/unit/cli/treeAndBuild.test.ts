// `driftline tree` and `driftline build` on a Flux repo made here (real kubectl kustomize): the tree the
// controllers build, and the desired objects of one app with their source files, Secrets masked.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { runBuild } from '../../../src/cli/build';
import { runTree } from '../../../src/cli/tree';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { runCommand } from './listCommands';

const kustomization = (name: string, folder: string, spec: Record<string, unknown> = {}) => stringify({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', path: folder, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
});

/** clusters/dev (flux bootstrap's layout) -> infra -> redis, and apps (after infra) with a Secret. */
const FILES = {
  'clusters/dev/flux-system/gotk-sync.yaml': [
    stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@example.com/fleet' } }),
    kustomization('flux-system', './clusters/dev'),
  ].join('---\n'),
  'clusters/dev/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
  'clusters/dev/infra.yaml': kustomization('infra', './infra'),
  'clusters/dev/apps.yaml': kustomization('apps', './apps', { dependsOn: [{ name: 'infra' }], suspend: true }),
  'infra/redis.yaml': kustomization('redis', './infra/redis', { targetNamespace: 'cache' }),
  'infra/redis/cm.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'redis-conf' }, data: { maxmemory: '1gb' } }),
  'apps/secret.yaml': stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-token', namespace: 'web' }, stringData: { token: 'tree-test-token' } }),
};

describe('driftline tree and driftline build', () => {
  let repo: string;
  before(async () => { repo = await writeRepo(FILES); });
  after(removeTempRepos);

  it('tree draws each Kustomization under the one whose build applies it, with dependsOn and suspend', async () => {
    const { code, stdout } = await runCommand(runTree, ['--repo', repo]);
    assert.equal(code, 0);
    assert.equal(stdout, [
      'dev',
      '├── Kustomization/flux-system/apps  apps · after flux-system/infra · suspended',
      '└── Kustomization/flux-system/infra  infra',
      '    └── Kustomization/flux-system/redis  infra/redis',
      '',
    ].join('\n'));
  });

  it('tree --json nests the children', async () => {
    const { code, stdout } = await runCommand(runTree, ['--repo', repo, '--json', '--env', 'dev']);
    assert.equal(code, 0);
    const [dev] = JSON.parse(stdout).environments;
    const names = (apps: { name: string; children: unknown[] }[]): unknown => apps.map((app) => [app.name, names(app.children as never)]);
    assert.deepEqual(names(dev.apps), [['apps', []], ['infra', [['redis', []]]]]);
    assert.deepEqual(dev.apps[0].dependsOn, ['flux-system/infra']);
  });

  it('build prints the objects as the Kustomization builds them, after a Source comment, a Secret masked unless --reveal', async () => {
    const redis = await runCommand(runBuild, ['--repo', repo, '--app', 'redis']);
    assert.equal(redis.code, 0, redis.stderr);
    assert.match(redis.stdout, /^---\n# Source: infra\/redis\/cm\.yaml:1\n/);
    assert.match(redis.stdout, /\n {2}namespace: cache\n/, 'targetNamespace applied as kustomize-controller applies it');

    const masked = await runCommand(runBuild, ['--repo', repo, '--app', 'apps', '--env', 'dev']);
    assert.equal(masked.code, 0, masked.stderr);
    assert.doesNotMatch(masked.stdout, /tree-test-token/);
    assert.match(masked.stdout, /token: "\*\*\*"/);
    const revealed = await runCommand(runBuild, ['--repo', repo, '--app', 'apps', '--reveal', '--json']);
    assert.equal(JSON.parse(revealed.stdout).objects[0].object.stringData.token, 'tree-test-token');
  });

  it('build names the known apps when the app does not exist, and tree the known environments', async () => {
    const build = await runCommand(runBuild, ['--repo', repo, '--app', 'nope']);
    assert.equal(build.code, 2);
    assert.match(build.stderr, /no app "nope" in .* \(apps: apps, infra, redis\)/);
    const tree = await runCommand(runTree, ['--repo', repo, '--env', 'prod']);
    assert.equal(tree.code, 2);
    assert.match(tree.stderr, /no environment "prod" in .* \(environments: dev\)/);
    const usage = await runCommand(runBuild, ['--repo', repo]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--app is required/);
  });
});
