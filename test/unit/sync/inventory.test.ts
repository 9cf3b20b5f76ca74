import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { argoResources, fluxInventory, refKey } from '../../../src/core/sync/inventory';

describe('core/sync controller inventories', () => {
  it('reads Flux inventory ids <namespace>_<name>_<group>_<kind> with their versions', () => {
    const kustomization = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' },
      status: { inventory: { entries: [
        { id: 'podinfo_podinfo_apps_Deployment', v: 'v1' },
        { id: '_podinfo__Namespace', v: 'v1' },
        { id: 'broken', v: 'v1' },
      ] } },
    } as KubeObject;
    assert.deepEqual(fluxInventory(kustomization), [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'podinfo', name: 'podinfo' },
      { apiVersion: 'v1', kind: 'Namespace', name: 'podinfo' },
    ]);
  });

  it('reads Argo CD status.resources', () => {
    const application = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace: 'argocd' },
      status: { resources: [
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'guestbook', name: 'ui' },
        { version: 'v1', kind: 'Service', namespace: 'guestbook', name: 'ui' },
      ] },
    } as KubeObject;
    assert.deepEqual(argoResources(application), [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'guestbook', name: 'ui' },
      { apiVersion: 'v1', kind: 'Service', namespace: 'guestbook', name: 'ui' },
    ]);
  });

  it('identifies an object across versions of its group', () => {
    assert.equal(refKey({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'a', name: 'b' }),
      refKey({ apiVersion: 'apps/v1beta2', kind: 'Deployment', namespace: 'a', name: 'b' }));
  });
});
