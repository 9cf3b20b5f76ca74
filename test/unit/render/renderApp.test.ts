import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { AppDefinition, RenderedApp } from '../../../src/core/model';
import { renderApp } from '../../../src/core/render/renderApp';
import { copyDemoRepoFolder, examplePath, demoRepoPath, removeTempRepos, withToolsOnPath, writeRepo } from '../../support/gitopsExamples';
import { itWithShared } from '../../support/shared';

const argo = (...parts: string[]) => examplePath('argocd-example-apps', ...parts);
/** The project's own kustomize app (the demo repo's guestbook): a Deployment and a Service, namePrefix kustomize-. */
const guestbook = demoRepoPath('guestbook');

function app(name: string, renderer: AppDefinition['renderer'], folder: string, extra: Partial<AppDefinition> = {}): AppDefinition {
  return { name, environment: 'dev', renderer, path: folder, origin: 'config', declaredAt: { file: folder }, ...extra };
}

function summary(rendered: RenderedApp): string[] {
  return rendered.objects.map(({ object, source }) =>
    `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name} ${path.basename(source.file)}:${source.line ?? ''}`);
}

describe('renderApp', () => {
  after(removeTempRepos);

  describe('plain YAML folders', () => {
    it('renders every object of the folder with its file and line, in the app namespace', async () => {
      const rendered = await renderApp(app('guestbook', 'yaml', guestbook, { namespace: 'guestbook' }));
      assert.equal(rendered.error, undefined);
      assert.deepEqual(summary(rendered), [
        'Deployment/guestbook/guestbook-ui guestbook-ui-deployment.yaml:1',
        'Service/guestbook/guestbook-ui guestbook-ui-svc.yaml:1',
      ]);
      assert.match(rendered.inputHash, /^[0-9a-f]{64}$/);
    });

    it('skips Chart.yaml, values files, kustomization.yaml and YAML that is not an object', async () => {
      const root = await writeRepo({
        'app/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 1.0.0\n',
        'app/values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values-look-alike\n',
        'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
        'app/settings.yaml': 'logLevel: debug\n',
        'app/notes.txt': 'apiVersion: v1\n',
        'app/cm.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: real\n  namespace: keep\n',
        'app/sub/deep.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n',
      });
      const flat = await renderApp(app('x', 'yaml', path.join(root, 'app'), { namespace: 'ns' }));
      assert.deepEqual(summary(flat), ['ConfigMap/keep/real cm.yml:1']);
      const recursive = await renderApp(app('x', 'yaml', path.join(root, 'app'), { recurse: true }));
      assert.deepEqual(summary(recursive), ['ConfigMap/keep/real cm.yml:1', 'ConfigMap//deep deep.yaml:1']);
    });

    it('turns malformed YAML into the app\'s error naming the app, the file and the line', async () => {
      const root = await writeRepo({ 'app/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n', 'app/bad.yaml': 'apiVersion: v1\nkind: [ConfigMap\n' });
      const rendered = await renderApp(app('shop', 'yaml', path.join(root, 'app')));
      assert.deepEqual(rendered.objects, []);
      assert.match(rendered.error ?? '', new RegExp(`^dev/shop \\(${path.join(root, 'app')}\\): ${path.join(root, 'app/bad.yaml')}:3: invalid YAML: `));
    });
  });

  describe('kustomize', () => {
    itWithShared('gitops-examples/argocd-example-apps', 'renders sock-shop (29 objects) mapping each object to the base file that defines it', async () => {
      const rendered = await renderApp(app('sock-shop', 'kustomize', argo('sock-shop')));
      assert.equal(rendered.error, undefined);
      assert.equal(rendered.objects.length, 29);
      const cartsDb = rendered.objects.find(({ object }) => object.kind === 'Deployment' && object.metadata.name === 'carts-db');
      assert.deepEqual(cartsDb?.source, { file: argo('sock-shop/base/carts-db-dep.yaml'), line: 2 });
    });

    itWithShared('gitops-examples/argocd-example-apps', 'maps names changed by namePrefix, through a base outside the app folder', async () => {
      const rendered = await renderApp(app('pre-post-sync', 'kustomize', argo('pre-post-sync')));
      assert.equal(rendered.error, undefined);
      assert.deepEqual(summary(rendered).sort(), [
        'Deployment//pre-post-sync-kustomize-guestbook-ui guestbook-ui-deployment.yaml:1',
        'Job//pre-post-sync-after post-sync-job.yaml:1',
        'Job//pre-post-sync-before pre-sync-job.yaml:1',
        'Service//pre-post-sync-kustomize-guestbook-ui guestbook-ui-svc.yaml:1',
      ]);
      const deployment = rendered.objects.find(({ object }) => object.kind === 'Deployment');
      assert.equal(deployment?.source.file, argo('kustomize-guestbook/guestbook-ui-deployment.yaml'));
    });

    it('uses kubectl kustomize when kustomize is not on PATH', async () => {
      const rendered = await withToolsOnPath(['kubectl'], () => renderApp(app('kg', 'kustomize', guestbook)));
      assert.equal(rendered.error, undefined);
      assert.deepEqual(summary(rendered), [
        'Service//kustomize-guestbook-ui guestbook-ui-svc.yaml:1',
        'Deployment//kustomize-guestbook-ui guestbook-ui-deployment.yaml:1',
      ]);
    });

    it('reports a missing base with kustomize\'s own message, the app and its path', async () => {
      const root = await writeRepo({ 'overlay/kustomization.yaml': 'resources:\n  - ../missing-base\n' });
      const rendered = await renderApp(app('web', 'kustomize', path.join(root, 'overlay')));
      assert.deepEqual(rendered.objects, []);
      assert.ok(rendered.error?.startsWith(`dev/web (${path.join(root, 'overlay')}): `), rendered.error);
      assert.match(rendered.error ?? '', /missing-base/);
      assert.match(rendered.error ?? '', /no such file or directory|not a valid directory|does not exist/);
    });

    it('reports "helm not found" for a kustomization that inflates helmCharts when helm is not on PATH', async () => {
      const root = await writeRepo({ 'app/kustomization.yaml': 'helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n' });
      const rendered = await withToolsOnPath(['kubectl'], () => renderApp(app('cache', 'kustomize', path.join(root, 'app'))));
      assert.match(rendered.error ?? '', /^dev\/cache \(.*\): helm not found \(the kustomization inflates helmCharts\)$/);
    });

    it('says which tool path is wrong when a configured kustomize does not exist', async () => {
      const rendered = await renderApp(app('kg', 'kustomize', guestbook), { tools: { kustomize: '/nowhere/kustomize' } });
      assert.match(rendered.error ?? '', /kustomize not found at \/nowhere\/kustomize/);
    });

    itWithShared('gitops-examples/flux2-kustomize-helm-example', 'applies a Flux Kustomization\'s patches and targetNamespace as Flux does', async () => {
      const model = await discoverRepo(examplePath('flux2-kustomize-helm-example'));
      const find = (env: string, name: string) =>
        model.environments.find((environment) => environment.name === env)!.apps.find((candidate) => candidate.name === name)!;
      const staging = await renderApp(find('staging', 'infra-configs'));
      const production = await renderApp(find('production', 'infra-configs'));
      const server = (rendered: RenderedApp) => (rendered.objects[0].object.spec as { acme: { server: string } }).acme.server;
      assert.equal(server(staging), 'https://acme-staging-v02.api.letsencrypt.org/directory');
      assert.equal(server(production), 'https://acme-v02.api.letsencrypt.org/directory');
      assert.equal(staging.objects[0].source.file, examplePath('flux2-kustomize-helm-example/infrastructure/configs/cluster-issuers.yaml'));

      const targeted = await renderApp({ ...find('staging', 'apps'), kustomizeOverlay: { namespace: 'elsewhere' } });
      const namespaces = targeted.objects.filter(({ object }) => object.kind !== 'Namespace').map(({ object }) => object.metadata.namespace);
      assert.deepEqual([...new Set(namespaces)], ['elsewhere']);
    });
  });

  describe('helm', () => {
    it('reports "helm not found" when helm is not on PATH', async () => {
      const chart = path.join(await writeRepo({ 'helm-guestbook/Chart.yaml': 'apiVersion: v2\nname: helm-guestbook\nversion: 0.1.0\n' }), 'helm-guestbook');
      const rendered = await withToolsOnPath(['kubectl'], () => renderApp(app('hg', 'helm', chart,
        { helm: { chartPath: chart, releaseName: 'hg', valuesFiles: [] } })));
      assert.deepEqual(rendered.objects, []);
      assert.match(rendered.error ?? '', /^dev\/hg \(.*helm-guestbook\): helm not found$/);
    });

    // The test runners put a real helm on PATH (test/tools/install-helm.sh).
    itWithShared('gitops-examples/argocd-example-apps', 'renders a local chart with helm template, mapping objects to their templates', async () => {
      const probe = await renderApp(app('hg', 'helm', argo('helm-guestbook'), { namespace: 'hg', helm: { chartPath: argo('helm-guestbook'), releaseName: 'hg', valuesFiles: [argo('helm-guestbook/values-production.yaml')], values: { replicaCount: 3 } } }));
      assert.equal(probe.error, undefined);
      const deployment = probe.objects.find(({ object }) => object.kind === 'Deployment');
      assert.equal((deployment?.object.spec as { replicas: number }).replicas, 3);
      assert.equal(deployment?.source.file, argo('helm-guestbook/templates/deployment.yaml'));
      const service = probe.objects.find(({ object }) => object.kind === 'Service');
      assert.equal((service?.object.spec as { type: string }).type, 'LoadBalancer');
    });
  });

  it('renders an app discovery marked Unknown as an error with that reason, running nothing', async () => {
    const rendered = await renderApp(app('remote', 'kustomize', '/does/not/exist', { unknownReason: 'chart x from https://charts.example needs network' }));
    assert.equal(rendered.error, 'chart x from https://charts.example needs network');
    assert.deepEqual(rendered.objects, []);
  });

  it('renders a copy the same as the original, and a changed file changes the input hash', async () => {
    const copy = await copyDemoRepoFolder('guestbook');
    const original = await renderApp(app('kg', 'kustomize', guestbook));
    const before = await renderApp(app('kg', 'kustomize', copy));
    assert.equal(before.objects.length, 2);
    assert.deepEqual(before.objects.map(({ object }) => object), original.objects.map(({ object }) => object));
    await fs.appendFile(path.join(copy, 'guestbook-ui-svc.yaml'), '  # changed\n');
    const after = await renderApp(app('kg', 'kustomize', copy));
    assert.notEqual(after.inputHash, before.inputHash);
  });
});
