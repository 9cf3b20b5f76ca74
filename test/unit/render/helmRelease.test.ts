// Flux HelmReleases rendered as helm-controller renders them, end to end through discovery and a real helm and
// kustomize: values merged from valuesFrom (the build output) and spec.values, targetPath, releaseName and
// its shortening, the crds/ folder by install/upgrade policy, post-renderers, and the labels and annotations
// helm-controller and helm add. Every bad input names the HelmRelease and its file.
import assert from 'node:assert/strict';
import path from 'node:path';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { KubeObject, RenderedApp } from '../../../src/core/model';
import { renderApp } from '../../../src/core/render/renderApp';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { appNamed } from '../../support/repoModel';

const root = (env: string) => [
  'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: apps', '  namespace: flux-system',
  'spec:', '  sourceRef:', '    kind: GitRepository', '    name: flux-system', `  path: ./apps/${env}`, '',
].join('\n');

const chart = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'replicas: 1\nimage: nginx:1.25\nsettings:\n  color: blue\n  size: small\n',
  'charts/web/crds/widgets.yaml': [
    'apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '  name: widgets.example.com', 'spec:',
    '  group: example.com', '  names: { kind: Widget, plural: widgets }', '  scope: Namespaced',
    '  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object } } }]', '',
  ].join('\n'),
  'charts/web/templates/deployment.yaml': [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Release.Name }}', 'spec:', '  replicas: {{ .Values.replicas }}',
    '  selector: { matchLabels: { app: web } }', '  template:', '    metadata: { labels: { app: web } }', '    spec:', '      containers:',
    '        - name: web', '          image: {{ .Values.image }}', '          env:', '            - { name: TOKEN, value: {{ .Values.token | default "none" | quote }} }', '',
  ].join('\n'),
  'charts/web/templates/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n{{ toYaml .Values.settings | indent 2 }}\n',
};

function helmRelease(name: string, spec: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'apps' },
    spec: { interval: '10m', chart: { spec: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } } }, ...spec },
  });
}

async function renderRelease(files: Record<string, string>, name = 'web'): Promise<RenderedApp> {
  const repo = await writeRepo({ 'clusters/dev/apps.yaml': root('dev'), ...chart, ...files });
  const model = await discoverRepo(repo);
  return renderApp(appNamed(model, 'dev', name));
}

const objectNamed = (rendered: RenderedApp, kind: string, name?: string): KubeObject => {
  const found = rendered.objects.find(({ object }) => object.kind === kind && (!name || object.metadata.name === name));
  assert.ok(found, `no ${kind} ${name ?? ''} among ${rendered.objects.map(({ object }) => `${object.kind}/${object.metadata.name}`).join(', ')} (${rendered.error ?? 'no error'})`);
  return found.object;
};

const kustomizationOf = (resources: string[]) => stringify({ resources });

describe('Flux HelmRelease rendered as helm-controller renders it', () => {
  after(removeTempRepos);

  it('merges valuesFrom in order (a ConfigMap\'s values.yaml, a Secret key at a targetPath), then spec.values over them', async () => {
    const rendered = await renderRelease({
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml', 'values.yaml']),
      'apps/dev/values.yaml': [
        stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-values', namespace: 'apps' }, data: { 'values.yaml': 'replicas: 2\nsettings:\n  color: green\n  size: large\n' } }),
        stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-more', namespace: 'apps' }, data: { 'extra.yaml': 'settings:\n  size: medium\n' } }),
        stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-token', namespace: 'apps' }, stringData: { token: 'in-git-token' } }),
      ].join('---\n'),
      'apps/dev/release.yaml': helmRelease('web', {
        valuesFrom: [
          { kind: 'ConfigMap', name: 'web-values' },
          { kind: 'ConfigMap', name: 'web-more', valuesKey: 'extra.yaml' },
          { kind: 'Secret', name: 'web-token', valuesKey: 'token', targetPath: 'token' },
        ],
        values: { replicas: 5 },
      }),
    });
    assert.equal(rendered.error, undefined);
    const deployment = objectNamed(rendered, 'Deployment') as KubeObject & { spec: { replicas: number; template: { spec: { containers: { env: { value: string }[] }[] } } } };
    assert.equal(deployment.spec.replicas, 5, 'spec.values wins over every valuesFrom');
    assert.equal(deployment.spec.template.spec.containers[0].env[0].value, 'in-git-token');
    assert.deepEqual(objectNamed(rendered, 'ConfigMap', 'settings').data, { color: 'green', size: 'medium' }, 'later valuesFrom merge over earlier ones, key by key');
    // A value that came from a Secret is masked wherever it shows.
    const desired = rendered.objects.find(({ object }) => object.kind === 'Deployment')!;
    assert.deepEqual(desired.secretPaths, ['/spec/template/spec/containers/0/env/0/value']);
  });

  it('names the release [targetNamespace-]name, shortened past 53 characters as helm-controller does, and labels every object as it and helm do', async () => {
    const name = 'a-helm-release-whose-name-is-long-enough-to-be-shortened';
    const rendered = await renderRelease({
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml']),
      'apps/dev/release.yaml': helmRelease(name, { targetNamespace: 'web-prod', commonMetadata: { labels: { team: 'web' }, annotations: { owner: 'ops' } } }),
    }, name);
    assert.equal(rendered.error, undefined);
    // The first 40 characters, a hyphen, and the first 12 hex digits of the full name's sha256.
    const releaseName = rendered.app.helm!.releaseName;
    assert.equal(releaseName, 'web-prod-a-helm-release-whose-name-is-lo-5ce064f7d21c');
    const deployment = objectNamed(rendered, 'Deployment');
    assert.equal(deployment.metadata.name, releaseName);
    assert.equal(deployment.metadata.namespace, 'web-prod');
    assert.deepEqual(deployment.metadata.labels, {
      team: 'web', 'helm.toolkit.fluxcd.io/name': name, 'helm.toolkit.fluxcd.io/namespace': 'apps', 'app.kubernetes.io/managed-by': 'Helm',
    });
    assert.deepEqual(deployment.metadata.annotations, { owner: 'ops', 'meta.helm.sh/release-name': releaseName, 'meta.helm.sh/release-namespace': 'web-prod' });
    // The crds/ folder is installed as it is (install.crds Create by default), without the release's marks.
    assert.equal(objectNamed(rendered, 'CustomResourceDefinition').metadata.labels, undefined);
  });

  it('leaves the crds/ folder out when install.crds and upgrade.crds are Skip, and keeps it with upgrade.crds CreateReplace', async () => {
    const skipped = await renderRelease({
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml']),
      'apps/dev/release.yaml': helmRelease('web', { install: { crds: 'Skip' } }),
    });
    assert.equal(skipped.error, undefined);
    assert.deepEqual(skipped.objects.map(({ object }) => object.kind).sort(), ['ConfigMap', 'Deployment']);
    const replaced = await renderRelease({
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml']),
      'apps/dev/release.yaml': helmRelease('web', { install: { crds: 'Skip' }, upgrade: { crds: 'CreateReplace' } }),
    });
    assert.deepEqual(replaced.objects.map(({ object }) => object.kind).sort(), ['ConfigMap', 'CustomResourceDefinition', 'Deployment']);
  });

  it('applies postRenderers in order with kustomize: patches, images, and the legacy patchesStrategicMerge and patchesJson6902', async () => {
    const rendered = await renderRelease({
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml']),
      'apps/dev/release.yaml': helmRelease('web', {
        postRenderers: [
          { kustomize: { patches: [{ target: { kind: 'Deployment' }, patch: '- op: replace\n  path: /spec/replicas\n  value: 7\n' }], images: [{ name: 'nginx', newTag: '1.27' }] } },
          { kustomize: {
            patchesStrategicMerge: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { patched: 'yes' } }],
            patchesJson6902: [{ target: { version: 'v1', kind: 'ConfigMap', name: 'settings' }, patch: [{ op: 'remove', path: '/data/size' }] }],
          } },
        ],
      }),
    });
    assert.equal(rendered.error, undefined);
    const deployment = objectNamed(rendered, 'Deployment') as KubeObject & { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    assert.equal(deployment.spec.replicas, 7);
    assert.equal(deployment.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.deepEqual(objectNamed(rendered, 'ConfigMap', 'settings').data, { color: 'blue', patched: 'yes' });
    assert.equal(deployment.metadata.labels?.['helm.toolkit.fluxcd.io/name'], 'web', 'origin labels come after the post-renderers');
  });

  it('passes the chart\'s Secrets through post-renderers with their values intact (kustomize reads placeholders), and a patch still sets one', async () => {
    const rendered = await renderRelease({
      'charts/web/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secret\nstringData:\n  token: {{ .Values.token | quote }}\n  other: keep-me\n',
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml']),
      'apps/dev/release.yaml': helmRelease('web', {
        values: { token: 'from-values' },
        postRenderers: [{ kustomize: { patches: [{ target: { kind: 'Secret' }, patch: '- op: replace\n  path: /stringData/other\n  value: patched\n' }] } }],
      }),
    });
    assert.equal(rendered.error, undefined);
    assert.deepEqual(objectNamed(rendered, 'Secret').stringData, { token: 'from-values', other: 'patched' });
  });

  it('merges chart.spec.valuesFiles (repository paths) in place of the chart\'s values.yaml, as source-controller builds a chart from Git', async () => {
    const withValuesFiles = (valuesFiles: string[], extra: Record<string, unknown> = {}) => renderRelease({
      'charts/web/values-prod.yaml': 'settings:\n  color: red\n',
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml']),
      'apps/dev/release.yaml': helmRelease('web', { install: { crds: 'Skip' }, values: { token: 'x' } }).replace('chart: ./charts/web', `chart: ./charts/web\n      valuesFiles: ${JSON.stringify(valuesFiles)}${extra.ignoreMissingValuesFiles ? '\n      ignoreMissingValuesFiles: true' : ''}`),
    });
    const layered = await withValuesFiles(['./charts/web/values.yaml', './charts/web/values-prod.yaml']);
    assert.equal(layered.error, undefined);
    assert.deepEqual(objectNamed(layered, 'ConfigMap', 'settings').data, { color: 'red', size: 'small' });
    // Without the chart's own values.yaml in the list, its defaults are gone (replicas, image, settings.size).
    const alone = await withValuesFiles(['./charts/web/values-prod.yaml']);
    assert.equal(alone.error, undefined);
    assert.deepEqual(objectNamed(alone, 'ConfigMap', 'settings').data, { color: 'red' });
    const missing = await withValuesFiles(['./charts/web/values-none.yaml']);
    assert.match(missing.error ?? '', /HelmRelease apps\/web \(.*release\.yaml\): chart\.spec\.valuesFiles names .*charts\/web\/values-none\.yaml, which the repository does not have/);
    const ignored = await withValuesFiles(['./charts/web/values-none.yaml', './charts/web/values.yaml'], { ignoreMissingValuesFiles: true });
    assert.deepEqual(objectNamed(ignored, 'ConfigMap', 'settings').data, { color: 'blue', size: 'small' });
    const settings = ignored.objects.find(({ object }) => object.kind === 'ConfigMap' && object.metadata.name === 'settings');
    assert.equal(settings?.source.file, path.join(path.dirname(path.dirname(path.dirname(ignored.app.declaredAt.file))), 'charts/web/templates/settings.yaml'), 'objects point at the chart in the repository, not the copy');
  });

  describe('bad input: the app is Unknown naming the HelmRelease, its file and the source', () => {
    const release = (spec: Record<string, unknown>, extra: Record<string, string> = {}) => renderRelease({
      'apps/dev/kustomization.yaml': kustomizationOf(['release.yaml', ...Object.keys(extra).map((file) => path.basename(file))]),
      'apps/dev/release.yaml': helmRelease('web', spec), ...extra,
    });
    const values = (data: Record<string, string>, kind = 'ConfigMap') => ({
      'apps/dev/values.yaml': stringify({ apiVersion: 'v1', kind, metadata: { name: 'web-values', namespace: 'apps' }, [kind === 'Secret' ? 'stringData' : 'data']: data }),
    });
    const where = /HelmRelease apps\/web \(.*apps\/dev\/release\.yaml\): valuesFrom /;

    it('a source neither in the build output nor readable live (no cluster here)', async () => {
      const rendered = await release({ valuesFrom: [{ kind: 'ConfigMap', name: 'live-only' }] });
      assert.match(rendered.error ?? '', where);
      assert.match(rendered.error ?? '', /valuesFrom ConfigMap apps\/live-only is not in the build output: helm-controller reads it from the cluster, which this command does not read/);
    });

    it('a valuesKey the source does not have', async () => {
      const rendered = await release({ valuesFrom: [{ kind: 'ConfigMap', name: 'web-values', valuesKey: 'prod.yaml' }] }, values({ 'values.yaml': 'a: 1' }));
      assert.match(rendered.error ?? '', /valuesFrom ConfigMap apps\/web-values \(.*apps\/dev\/values\.yaml\) has no key prod\.yaml \(valuesKey\)/);
    });

    it('a value that is not YAML, or not a map, never quoting a Secret\'s text', async () => {
      const broken = await release({ valuesFrom: [{ kind: 'Secret', name: 'web-values' }] }, values({ 'values.yaml': 'a: [unclosed-s3cr3t' }, 'Secret'));
      assert.match(broken.error ?? '', /valuesFrom Secret apps\/web-values \(.*values\.yaml\): key values\.yaml is not valid YAML/);
      assert.doesNotMatch(broken.error ?? '', /s3cr3t/);
      const list = await release({ valuesFrom: [{ kind: 'ConfigMap', name: 'web-values' }] }, values({ 'values.yaml': '- a\n- b\n' }));
      assert.match(list.error ?? '', /key values\.yaml is YAML list, not a map of values/);
    });

    it('a targetPath through a value that is not a map', async () => {
      const rendered = await release({ valuesFrom: [{ kind: 'ConfigMap', name: 'web-values' }, { kind: 'ConfigMap', name: 'web-values', valuesKey: 'v', targetPath: 'image.tag' }] }, values({ 'values.yaml': 'image: nginx\n', v: '1.2' }));
      assert.match(rendered.error ?? '', /key v cannot be set at targetPath image\.tag: image is a string, not a map/);
    });

    it('a valuesFrom kind helm-controller does not read', async () => {
      const rendered = await release({ valuesFrom: [{ kind: 'Deployment', name: 'web-values' }] });
      assert.match(rendered.error ?? '', /HelmRelease apps\/web: valuesFrom web-values: kind Deployment is not ConfigMap or Secret/);
    });

    it('a post-renderer patch whose target is not there', async () => {
      const rendered = await release({ postRenderers: [{ kustomize: { patchesStrategicMerge: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nothing' }, spec: { replicas: 2 } }] } }] });
      assert.match(rendered.error ?? '', /HelmRelease apps\/web \(.*release\.yaml\): postRenderers\[0\]\.kustomize does not apply to the chart's objects: .*nothing/);
    });
  });
});
