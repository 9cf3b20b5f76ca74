import assert from 'node:assert/strict';
import { hookOf, withoutHooks } from '../../../src/core/drift/hooks';
import type { AppDefinition, KubeObject, RenderedApp } from '../../../src/core/model';

const job = (name: string, annotations: Record<string, string>): KubeObject =>
  ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, annotations } });

function app(origin: AppDefinition['origin'], renderer: AppDefinition['renderer']): AppDefinition {
  return { name: 'web', environment: 'prod', renderer, path: '/repo/web', origin, declaredAt: { file: '/repo/web.yaml' }, namespace: 'web' };
}

describe('hook resources', () => {
  it('Argo CD apps: argocd.argoproj.io/hook and helm.sh/hook are hooks; Helm-rendered apps: helm.sh/hook; other apps: neither', () => {
    const argoHook = job('migrate', { 'argocd.argoproj.io/hook': 'PostSync' });
    const helmHook = job('seed', { 'helm.sh/hook': 'pre-install,pre-upgrade' });
    assert.equal(hookOf(argoHook, app('argo-application', 'yaml')), 'PostSync');
    assert.equal(hookOf(helmHook, app('argo-application', 'kustomize')), 'pre-install,pre-upgrade');
    assert.equal(hookOf(helmHook, app('flux-helmrelease', 'helm')), 'pre-install,pre-upgrade');
    assert.equal(hookOf(argoHook, app('flux-helmrelease', 'helm')), undefined);
    assert.equal(hookOf(argoHook, app('config', 'yaml')), undefined);
    assert.equal(hookOf(helmHook, app('flux-kustomization', 'kustomize')), undefined);
    assert.equal(hookOf(job('plain', {}), app('argo-application', 'yaml')), undefined);
  });

  it('withoutHooks keeps the desired objects in order and lists the hooks with their source', () => {
    const rendered: RenderedApp = {
      app: app('argo-application', 'yaml'), inputHash: 'h',
      objects: [
        { object: job('a', {}), source: { file: '/repo/web/a.yaml', line: 1 } },
        { object: job('migrate', { 'argocd.argoproj.io/hook': 'PreSync' }), source: { file: '/repo/web/m.yaml', line: 3 } },
        { object: job('b', {}), source: { file: '/repo/web/b.yaml' } },
      ],
    };
    const { rendered: kept, hooks } = withoutHooks(rendered);
    assert.deepEqual(kept.objects.map(({ object }) => object.metadata.name), ['a', 'b']);
    assert.deepEqual(hooks, [{ apiVersion: 'batch/v1', kind: 'Job', namespace: 'web', name: 'migrate', hook: 'PreSync', source: { file: '/repo/web/m.yaml', line: 3 } }]);
    assert.equal(rendered.objects.length, 3);
  });
});
