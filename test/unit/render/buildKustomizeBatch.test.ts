import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppDefinition } from '../../../src/core/model';
import { buildKustomizeBatch } from '../../../src/core/render/buildKustomizeBatch';
import { parseManifests } from '../../../src/core/render/parseManifests';
import { renderApps } from '../../../src/core/render/renderApps';
import { kustomizeCommand } from '../../../src/core/render/renderKustomize';
import { runTool } from '../../../src/core/render/runTool';
import { Workspace } from '../../../src/core/workspace';

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  }
}

async function buildAlone(dir: string) {
  const [command, args] = await kustomizeCommand(undefined, dir);
  const run = await runTool(command, args, { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  return parseManifests(run.stdout, dir).map(({ object }) => object);
}

const base = {
  'base/kustomization.yaml': 'resources: [deployment.yaml, service.yaml]\nconfigMapGenerator:\n- name: settings\n  literals: [LEVEL=info]\n',
  'base/deployment.yaml': [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}',
    'spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "nginx:1.25"}]}}}', '',
  ].join('\n'),
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80, protocol: TCP}]}\n',
};

function overlay(namespace: string, extra = ''): string {
  return `resources: [../../base]\nnamespace: ${namespace}\ncommonAnnotations: {team: ${namespace}}\n` +
    `commonLabels: {env: ${namespace}}\nnamePrefix: ${namespace}-\n${extra}`;
}

describe('buildKustomizeBatch', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-batch-test-'));
  });
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  it('builds several folders in one run, each with exactly the objects its own build gives', async () => {
    await write(root, {
      ...base,
      'envs/staging/kustomization.yaml': overlay('staging'),
      'envs/production/kustomization.yaml': overlay('production', 'configMapGenerator:\n- name: settings\n  behavior: merge\n  literals: [LEVEL=warn]\n'),
      'envs/bare/kustomization.yaml': 'resources: [cm.yaml]\n',
      'envs/bare/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {a: "1"}\n',
    });
    const dirs = ['staging', 'production', 'bare'].map((env) => path.join(root, 'envs', env));
    const batch = await buildKustomizeBatch(dirs);
    assert.ok('objects' in batch, `the batch builds: ${JSON.stringify(batch)}`);
    for (const [index, dir] of dirs.entries()) {
      assert.deepEqual(batch.objects[index].map(({ object }) => object), await buildAlone(dir), `objects of ${dir}`);
    }
    const bare = batch.objects[2][0].object;
    assert.equal(bare.metadata.annotations, undefined, 'no annotations map is left where the app had none');
  });

  it('gives up (so that each app is built alone) when one app fails or two apps make the same object', async () => {
    await write(root, {
      ...base,
      'envs/staging/kustomization.yaml': overlay('staging'),
      'envs/broken/kustomization.yaml': 'resources: [../../missing-base]\n',
      'envs/twin/kustomization.yaml': overlay('staging'),
    });
    const dir = (env: string) => path.join(root, 'envs', env);
    const broken = await buildKustomizeBatch([dir('staging'), dir('broken')]);
    assert.ok('failure' in broken);
    assert.match(broken.failure, /missing-base/, 'says what kustomize said');
    const twins = await buildKustomizeBatch([dir('staging'), dir('twin')]);
    assert.ok('failure' in twins);
    assert.match(twins.failure, /staging-web/, 'names the object both apps make');
  });
});

describe('renderApps with batched kustomize builds', () => {
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftline-batch-test-'));
    const files: Record<string, string> = { ...base };
    for (const env of ['a', 'b', 'c', 'd', 'e']) files[`envs/${env}/kustomization.yaml`] = overlay(env);
    // Broken in a way only kustomize finds (walking the tree finds nothing wrong): it fails the batch.
    files['envs/f/kustomization.yaml'] = 'resources: [cm.yaml]\n';
    files['envs/f/cm.yaml'] = 'apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n';
    await write(root, files);
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('renders every app as its own build does, and a broken app still fails alone with its own message', async () => {
    const apps: AppDefinition[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((env) => ({
      name: 'web', environment: env, renderer: 'kustomize', path: path.join(root, 'envs', env), origin: 'convention',
      declaredAt: { file: path.join(root, 'envs', env, 'kustomization.yaml') },
    }));
    const logged: string[] = [];
    const rendered = await renderApps(apps, { concurrency: 2, log: (line) => logged.push(line) });
    for (const result of rendered.slice(0, 5)) {
      assert.equal(result.error, undefined);
      assert.deepEqual(result.objects.map(({ object }) => object), await buildAlone(result.app.path));
      const service = result.objects.find(({ object }) => object.kind === 'Service')!;
      assert.equal(service.source.file, path.join(root, 'base/service.yaml'), 'Go to source still finds the defining file');
    }
    assert.match(rendered[5].error ?? '', /f\/web .*envs\/f/);
    const fallbacks = logged.filter((line) => line.includes('batched kustomize build'));
    assert.equal(fallbacks.length, 1, `the fallback is logged once: ${logged.join('\n')}`);
    assert.match(fallbacks[0], /^batched kustomize build of 6 apps failed, building them one by one \(a\/web, b\/web, c\/web, d\/web, e\/web, f\/web\): .*missing metadata\.name/);
  });

  it('logs through the workspace\'s log option', async () => {
    const logged: string[] = [];
    const workspace = new Workspace({ repoRoot: root, log: (line) => logged.push(line) });
    const apps: AppDefinition[] = ['a', 'b', 'c', 'f'].map((env) => ({
      name: 'web', environment: env, renderer: 'kustomize', path: path.join(root, 'envs', env), origin: 'convention',
      declaredAt: { file: path.join(root, 'envs', env, 'kustomization.yaml') },
    }));
    await renderApps(apps, workspace.renderOptionsFor({ root, environments: [], ignoreRules: [], problems: [] }));
    assert.deepEqual(logged.filter((line) => line.includes('batched kustomize build')).map((line) => line.split(':')[0]),
      ['batched kustomize build of 4 apps failed, building them one by one (a/web, b/web, c/web, f/web)']);
  });
});
