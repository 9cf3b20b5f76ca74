import assert from 'node:assert/strict';
import { controllerInventoryKeys, inventoryOf } from '../../../src/core/drift/inventory';
import type { AppDefinition, KubeObject } from '../../../src/core/model';

const fluxKustomization: KubeObject = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' },
  status: { inventory: { entries: [
    { id: 'shop_web_apps_Deployment', v: 'v1' },
    { id: 'shop_web-config__ConfigMap', v: 'v1' },
    { id: '_shop-reader_rbac.authorization.k8s.io_ClusterRole', v: 'v1' },
    { id: 'broken-entry', v: 'v1' },
    { id: 'shop_x_apps_Deployment' },
  ] } },
};

describe('controller inventories', () => {
  it('reads Flux inventory ids (core group, cluster-scoped) and skips malformed entries', () => {
    assert.deepEqual(inventoryOf(fluxKustomization), [
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop' },
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop' },
      { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' },
    ]);
  });

  it('reads a Flux Operator ResourceSet\'s inventory, kept in Flux\'s format', () => {
    const resourceSet: KubeObject = { ...fluxKustomization, apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet' };
    assert.deepEqual(inventoryOf(resourceSet), inventoryOf(fluxKustomization));
  });

  it('reads Argo CD Application status.resources', () => {
    const application: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace: 'argocd' },
      status: { resources: [{ version: 'v1', kind: 'Service', namespace: 'gb', name: 'ui' }, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'gb', name: 'ui' }, { kind: 'Odd' }] },
    };
    assert.deepEqual(inventoryOf(application), [
      { group: '', version: 'v1', kind: 'Service', namespace: 'gb' },
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'gb' },
    ]);
  });

  it('turns the live controllers of apps into LIST keys, once each, and adds nothing for a controller it cannot read', async () => {
    const app = (name: string, controllerName: string): AppDefinition => ({
      name, environment: 'prod', path: `/repo/${name}`, renderer: 'kustomize', origin: 'flux-kustomization',
      declaredAt: { file: '/repo/clusters/prod/apps.yaml' },
      controller: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: controllerName, namespace: 'flux-system' },
    } as AppDefinition);
    const client = {
      get: async (ref: { name: string }) => {
        if (ref.name === 'forbidden') throw new Error('Forbidden');
        return ref.name === 'apps' ? fluxKustomization : undefined;
      },
    };
    const keys = await controllerInventoryKeys(client, [app('a', 'apps'), app('b', 'apps'), app('c', 'forbidden'), app('d', 'gone')], 2);
    assert.deepEqual(keys, [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
    ]);
  });
});
