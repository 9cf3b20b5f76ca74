import * as assert from 'node:assert/strict';
import type { AppDefinition, KubeObject } from '../../../src/core/model';
import { isOwnedByApp, ownerKeysOfApp, ownerKeysOfLive } from '../../../src/core/drift/ownership';

const app = (controller?: AppDefinition['controller']): AppDefinition => ({
  name: 'shop', environment: 'staging', renderer: 'yaml', path: '/repo/shop', origin: 'config', declaredAt: { file: '/repo/.driftline.yaml' },
  ...(controller ? { controller } : {}),
});
const live = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', labels, annotations, ...extra },
});

describe('ownership of live objects (Extra candidates)', () => {
  it('recognises Driftline\'s own label, for the same environment only when the annotation names one', () => {
    assert.ok(isOwnedByApp(live({ 'driftline.dev/app': 'shop' }), app()));
    assert.ok(isOwnedByApp(live({ 'driftline.dev/app': 'shop' }, { 'driftline.dev/environment': 'staging' }), app()));
    assert.ok(!isOwnedByApp(live({ 'driftline.dev/app': 'shop' }, { 'driftline.dev/environment': 'production' }), app()));
    assert.ok(!isOwnedByApp(live({ 'driftline.dev/app': 'cart' }), app()));
  });

  it('recognises Flux kustomize-controller and helm-controller labels of the app\'s controller', () => {
    const kustomization = app({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux-system' });
    assert.ok(isOwnedByApp(live({ 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' }), kustomization));
    assert.ok(!isOwnedByApp(live({ 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'other' }), kustomization));
    const release = app({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace: 'podinfo' });
    assert.ok(isOwnedByApp(live({ 'helm.toolkit.fluxcd.io/name': 'podinfo', 'helm.toolkit.fluxcd.io/namespace': 'podinfo' }), release));
  });

  it('recognises the Flux Operator\'s labels on what a ResourceSet applies, not a Kustomization\'s of the same name', () => {
    const resourceSet = app({ apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', name: 'tenants', namespace: 'flux-system' });
    const byOperator = live({ 'resourceset.fluxcd.controlplane.io/name': 'tenants', 'resourceset.fluxcd.controlplane.io/namespace': 'flux-system' });
    assert.ok(isOwnedByApp(byOperator, resourceSet));
    assert.ok(!isOwnedByApp(live({ 'resourceset.fluxcd.controlplane.io/name': 'tenants', 'resourceset.fluxcd.controlplane.io/namespace': 'team-a' }), resourceSet));
    assert.ok(!isOwnedByApp(live({ 'kustomize.toolkit.fluxcd.io/name': 'tenants', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' }), resourceSet));
    assert.ok(!isOwnedByApp(byOperator, app({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'tenants', namespace: 'flux-system' })));
    assert.ok(ownerKeysOfLive(byOperator).some((key) => ownerKeysOfApp(resourceSet).includes(key)));
  });

  it('recognises Argo CD tracking ids (plain and namespace-qualified) and, without one, the instance label', () => {
    const application = app({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'guestbook', namespace: 'argocd' });
    assert.ok(isOwnedByApp(live({}, { 'argocd.argoproj.io/tracking-id': 'guestbook:/ConfigMap:shop/c' }), application));
    assert.ok(isOwnedByApp(live({}, { 'argocd.argoproj.io/tracking-id': 'argocd_guestbook:/ConfigMap:shop/c' }), application));
    assert.ok(!isOwnedByApp(live({ 'app.kubernetes.io/instance': 'guestbook' }, { 'argocd.argoproj.io/tracking-id': 'other:/ConfigMap:shop/c' }), application));
    assert.ok(isOwnedByApp(live({ 'app.kubernetes.io/instance': 'guestbook' }), application));
    assert.ok(!isOwnedByApp(live({ 'app.kubernetes.io/instance': 'guestbook' }), app()), 'the instance label means nothing without an Argo CD Application');
  });

  it('never claims objects a controller derived from another (ReplicaSets, Pods)', () => {
    const derived = live({ 'driftline.dev/app': 'shop' }, {}, { ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] });
    assert.ok(!isOwnedByApp(derived, app()));
  });
  it('indexes every owned object under a key its app looks up (so the Extra index never hides an owned object)', () => {
    const kustomization = app({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux-system' });
    const release = app({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace: 'podinfo' });
    const application = app({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'guestbook', namespace: 'argocd' });
    const owned: [KubeObject, AppDefinition][] = [
      [live({ 'driftline.dev/app': 'shop' }), app()],
      [live({ 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' }), kustomization],
      [live({ 'helm.toolkit.fluxcd.io/name': 'podinfo', 'helm.toolkit.fluxcd.io/namespace': 'podinfo' }), release],
      [live({}, { 'argocd.argoproj.io/tracking-id': 'guestbook:/ConfigMap:shop/c' }), application],
      [live({}, { 'argocd.argoproj.io/tracking-id': 'argocd_guestbook:/ConfigMap:shop/c' }), application],
      [live({ 'app.kubernetes.io/instance': 'guestbook' }), application],
    ];
    for (const [object, owner] of owned) {
      assert.ok(isOwnedByApp(object, owner));
      const appKeys = ownerKeysOfApp(owner);
      assert.ok(ownerKeysOfLive(object).some((key) => appKeys.includes(key)), JSON.stringify(object.metadata));
    }
    assert.deepEqual(ownerKeysOfLive(live()), [], 'an object without tracking labels is nobody\'s candidate');
  });
});
