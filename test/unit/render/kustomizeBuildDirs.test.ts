// kustomize errors name the folder that fails, never Driftline's temporary build folders (real `kubectl
// kustomize`): discovery's batches of Flux builds, render's overlays for a Flux Kustomization's own fields, and
// render's batches of many apps.
import assert from 'node:assert/strict';
import path from 'node:path';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { buildKustomizeBatch } from '../../../src/core/render/buildKustomizeBatch';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { appNamed } from '../../support/repoModel';

const TEMP_BUILD_DIR = /driftline-(flux-build|kustomize-batch|overlay)-|'\.\.\/(k|w|app)-\d+'/;

const ks = (name: string, folder: string, spec: Record<string, unknown> = {}) => stringify({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: folder, ...spec },
});

/** One cluster whose root applies the Kustomizations `apps` (name -> folder); the folders are `files`. */
function clusterRepo(apps: Record<string, string>, files: Record<string, string>, spec: Record<string, unknown> = {}): Promise<string> {
  return writeRepo({
    'clusters/dev/flux-system/gotk-sync.yaml': [
      stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@example.com/fleet' } }),
      ks('flux-system', './clusters/dev'),
    ].join('---\n'),
    'clusters/dev/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
    'clusters/dev/apps.yaml': Object.entries(apps).map(([name, folder]) => ks(name, folder, spec)).join('---\n'),
    'clusters/dev/kustomization.yaml': 'resources: [flux-system, apps.yaml]\n',
    ...files,
  });
}

const configMap = (name: string) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });

describe('kustomize errors name the folder, not Driftline\'s temporary build folders', () => {
  after(removeTempRepos);

  it('a Flux Kustomization discovery builds reads as its folder built alone: the missing resource and its file, no batch layers', async () => {
    // A Flux object in the folder: discovery builds it (with its targetNamespace, in a batch with the root).
    const root = await clusterRepo({ broken: './apps/broken' }, {
      'apps/broken/kustomization.yaml': 'resources: [missing.yaml, child.yaml]\n',
      'apps/broken/child.yaml': ks('child', './apps/child'),
    }, { targetNamespace: 'team' });
    const model = await discoverRepo(root);
    const problem = model.problems.find((candidate) => candidate.message.includes('flux-system/broken'));
    assert.ok(problem, `a problem for broken: ${JSON.stringify(model.problems)}`);
    assert.equal(problem.file, path.join(root, 'clusters/dev/apps.yaml'));
    assert.doesNotMatch(problem.message, TEMP_BUILD_DIR);
    assert.match(problem.message, /does not build as kustomize-controller builds it: accumulating resources: accumulation err='accumulating resources from 'missing\.yaml'/);
    assert.ok(problem.message.includes(path.join(root, 'apps/broken/missing.yaml')), problem.message);
  });

  it('render of a Kustomization with fields of its own (an overlay Driftline writes) names the app folder', async () => {
    const root = await clusterRepo({ leaf: './apps/leaf' }, {
      'apps/leaf/kustomization.yaml': 'resources: [cm.yaml, gone.yaml]\n',
      'apps/leaf/cm.yaml': configMap('settings'),
    }, { targetNamespace: 'team' });
    const app = appNamed(await discoverRepo(root), 'dev', 'leaf');
    assert.ok(app.kustomizeOverlay, 'the targetNamespace is an overlay');
    const [rendered] = await renderApps([app]);
    assert.ok(rendered.error, 'gone.yaml is missing');
    assert.doesNotMatch(rendered.error, TEMP_BUILD_DIR);
    // As kustomize says it of the folder built alone: no layer for the overlay's path to it.
    assert.match(rendered.error, /\(.*apps\/leaf\): accumulating resources: accumulation err='accumulating resources from 'gone\.yaml'/);
    assert.ok(rendered.error.includes(path.join(root, 'apps/leaf/gone.yaml')), rendered.error);
  });

  it('a failed batch of apps says which app folder failed, not which entry of the batch', async () => {
    const root = await writeRepo({
      'good/kustomization.yaml': 'resources: [cm.yaml]\n', 'good/cm.yaml': configMap('good'),
      'bad/kustomization.yaml': 'resources: [cm.yaml, gone.yaml]\n', 'bad/cm.yaml': configMap('bad'),
    });
    const outcome = await buildKustomizeBatch([path.join(root, 'good'), path.join(root, 'bad')]);
    assert.ok('failure' in outcome, 'bad/gone.yaml is missing');
    assert.doesNotMatch(outcome.failure, TEMP_BUILD_DIR);
    assert.ok(outcome.failure.includes(path.join(root, 'bad/gone.yaml')), outcome.failure);
    assert.match(outcome.failure, /^accumulating resources: accumulation err='accumulating resources from 'gone\.yaml'/);
  });
});
