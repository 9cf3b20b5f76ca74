import assert from 'node:assert/strict';
import { buildAppTree, rolledUpCounts, type AppTreeNode } from '../../src/core/appTree';
import type { ControllerRef, StatusCounts } from '../../src/core/model';

interface App {
  name: string;
  controller?: ControllerRef;
  flux?: { parent?: string; dependsOn: string[]; suspend: boolean };
  counts: StatusCounts;
}

const counts = (outOfSync = 0, synced = 1): StatusCounts => ({ synced, outOfSync, missing: 0, extra: 0, unknown: 0 });
const kustomization = (name: string, parent?: string, drifted = 0): App => ({
  name, controller: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name, namespace: 'flux-system' },
  flux: { ...(parent ? { parent } : {}), dependsOn: [], suspend: false }, counts: counts(drifted),
});
const shape = (nodes: AppTreeNode<App>[]): unknown => nodes.map((node) => [node.app.name, shape(node.children)]);

describe('appTree: the Flux tree of an environment', () => {
  it('nests each app under the Kustomization whose build applies it, in the order given', () => {
    const helmRelease: App = { name: 'podinfo', controller: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace: 'apps' },
      flux: { parent: 'flux-system/apps', dependsOn: [], suspend: false }, counts: counts() };
    const tree = buildAppTree([
      kustomization('flux-system'), kustomization('infra', 'flux-system/flux-system'), kustomization('apps', 'flux-system/flux-system'),
      helmRelease, kustomization('redis', 'flux-system/infra'), { name: 'guestbook', counts: counts() },
    ]);
    assert.deepEqual(shape(tree), [
      ['flux-system', [['infra', [['redis', []]]], ['apps', [['podinfo', []]]]]],
      ['guestbook', []],
    ]);
  });

  it('puts an app whose parent is not among the apps at the top, and never loses apps that apply each other', () => {
    const tree = buildAppTree([kustomization('orphan', 'flux-system/gone'), kustomization('a', 'flux-system/b'), kustomization('b', 'flux-system/a')]);
    assert.deepEqual(shape(tree), [['orphan', []], ['a', []], ['b', []]]);
  });

  it('rolls counts up through the levels: drift in a grandchild counts at every level above it', () => {
    const [root] = buildAppTree([kustomization('flux-system'), kustomization('apps', 'flux-system/flux-system'), kustomization('web', 'flux-system/apps', 2)]);
    assert.deepEqual(rolledUpCounts(root), { synced: 3, outOfSync: 2, missing: 0, extra: 0, unknown: 0 });
    assert.deepEqual(rolledUpCounts(root.children[0].children[0]), { synced: 1, outOfSync: 2, missing: 0, extra: 0, unknown: 0 });
    assert.deepEqual(root.app.counts, counts(), 'the app itself keeps its own counts');
  });
});
