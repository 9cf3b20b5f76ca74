import assert from 'node:assert/strict';
import { buildAppTree, rolledUpCounts, type AppTreeNode } from '../../src/core/appTree';
import type { ControllerRef, StatusCounts } from '../../src/core/model';

interface App {
  name: string;
  controller?: ControllerRef;
  flux?: { parent?: string; parentKind?: 'ResourceSet'; dependsOn: string[]; suspend: boolean };
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

  it('nests what a Flux Operator ResourceSet generates under the ResourceSet, even when a Kustomization has its name', () => {
    const resourceSet: App = { name: 'ResourceSet/flux-system/tenants', controller: { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', name: 'tenants', namespace: 'flux-system' },
      flux: { parent: 'flux-system/tenants', dependsOn: [], suspend: false }, counts: counts() };
    const generated: App = { ...kustomization('team1'), flux: { parent: 'flux-system/tenants', parentKind: 'ResourceSet', dependsOn: [], suspend: false } };
    const tree = buildAppTree([kustomization('tenants'), resourceSet, generated, kustomization('sibling', 'flux-system/tenants')]);
    assert.deepEqual(shape(tree), [['tenants', [['ResourceSet/flux-system/tenants', [['team1', []]]], ['sibling', []]]]]);
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
