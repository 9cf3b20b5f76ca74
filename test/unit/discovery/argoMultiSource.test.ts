import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { AppDefinition, RenderedApp } from '../../../src/core/model';
import { RenderCache, renderApps } from '../../../src/core/render/renderApps';
import { runApps } from '../../../src/cli/apps';
import { runCommand } from '../cli/listCommands';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const THIS_REPO = 'https://github.com/acme/gitops.git';

/** A multi-source Application; `sources` is the YAML list under `sources:`, indented by four spaces. */
function application(name: string, sources: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n` +
    `  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n  sources:\n${sources}`;
}

const CHART = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'replicas: 1\ncolor: grey\n',
  'charts/web/templates/deployment.yaml': [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Release.Name }}', '  labels:', '    color: {{ .Values.color }}',
    'spec:', '  replicas: {{ .Values.replicas }}', '  selector: { matchLabels: { app: web } }',
    '  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } }', '',
  ].join('\n'),
};

async function appsOf(files: Record<string, string>): Promise<{ root: string; apps: Record<string, AppDefinition> }> {
  const root = await writeRepo({ '.driftline.yaml': `repoURLs: [${THIS_REPO}]\n`, ...files });
  const model = await discoverRepo(root);
  assert.deepEqual(model.problems, []);
  return { root, apps: Object.fromEntries(model.environments.flatMap((environment) => environment.apps).map((app) => [app.name, app])) };
}

const spec = (rendered: RenderedApp, kind: string) => rendered.objects.find(({ object }) => object.kind === kind)?.object as
  unknown as { metadata: { labels?: Record<string, string> }; spec: { replicas: number } } | undefined;

describe('Argo CD multi-source Applications', () => {
  after(removeTempRepos);

  it('renders a chart of this repo with value files from a ref source of this repo (ignoreMissingValueFiles honoured), and re-renders when they change', async () => {
    const { root, apps } = await appsOf({
      ...CHART,
      'envs/prod/values.yaml': 'replicas: 5\n',
      'envs/prod/color.yaml': 'color: blue\n',
      'argocd/web.yaml': application('web', [
        `    - repoURL: ${THIS_REPO}`, '      path: charts/web', '      helm:',
        '        valueFiles: [$values/envs/prod/values.yaml, /envs/prod/color.yaml]',
        `    - repoURL: git@github.com:acme/gitops`, '      targetRevision: HEAD', '      ref: values', '',
      ].join('\n')),
      'argocd/strict.yaml': application('strict', [
        `    - repoURL: ${THIS_REPO}`, '      path: charts/web', '      helm: { valueFiles: [$values/envs/prod/values.yaml, $values/envs/qa/values.yaml] }',
        `    - repoURL: ${THIS_REPO}`, '      ref: values', '',
      ].join('\n')),
      'argocd/lenient.yaml': application('lenient', [
        `    - repoURL: ${THIS_REPO}`, '      path: charts/web',
        '      helm: { ignoreMissingValueFiles: true, valueFiles: [$values/envs/prod/values.yaml, $values/envs/qa/values.yaml] }',
        `    - repoURL: ${THIS_REPO}`, '      ref: values', '',
      ].join('\n')),
    });
    const web = apps.web;
    assert.equal(web.unknownReason, undefined);
    assert.equal(web.renderer, 'helm');
    assert.equal(web.sources, undefined, 'a ref-only source renders nothing: the app has one source');
    assert.deepEqual(web.helm?.valuesFiles, [path.join(root, 'envs/prod/values.yaml'), path.join(root, 'envs/prod/color.yaml')]);
    const cache = new RenderCache();
    const [first] = await renderApps([web], { cache });
    assert.equal(first.error, undefined);
    assert.equal(spec(first, 'Deployment')?.spec.replicas, 5);
    assert.equal(spec(first, 'Deployment')?.metadata.labels?.color, 'blue');

    // ignoreMissingValueFiles leaves out a file that does not exist, as Argo CD does; without it helm fails naming it.
    const lenient = apps.lenient;
    assert.deepEqual(lenient.helm?.valuesFiles, [path.join(root, 'envs/prod/values.yaml')]);
    const [strict, leniently] = await renderApps([apps.strict, lenient]);
    assert.match(strict.error ?? '', /envs\/qa\/values\.yaml/);
    assert.equal(spec(leniently, 'Deployment')?.spec.replicas, 5);

    await fs.writeFile(path.join(root, 'envs/prod/values.yaml'), 'replicas: 7\n');
    const [second] = await renderApps([web], { cache });
    assert.equal(spec(second, 'Deployment')?.spec.replicas, 7, 'the ref source\'s values file is an input of the app');
  });

  it('an unknown $ref is Unknown naming the Application file and the ref; a ref source elsewhere needs network', async () => {
    const { root, apps } = await appsOf({
      ...CHART,
      'argocd/typo.yaml': application('typo', [
        `    - repoURL: ${THIS_REPO}`, '      path: charts/web', '      helm: { valueFiles: [$vals/envs/prod/values.yaml] }',
        `    - repoURL: ${THIS_REPO}`, '      ref: values', '',
      ].join('\n')),
      'argocd/elsewhere.yaml': application('elsewhere', [
        `    - repoURL: ${THIS_REPO}`, '      path: charts/web', '      helm: { valueFiles: [$values/prod.yaml] }',
        '    - repoURL: https://github.com/acme/values', '      ref: values', '',
      ].join('\n')),
    });
    const file = path.join(root, 'argocd/typo.yaml');
    assert.equal(apps.typo.unknownReason,
      `${file}:1: spec.sources[0].helm.valueFiles: $vals/envs/prod/values.yaml names $vals, but no source of spec.sources has ref: vals (refs: $values)`);
    const [typo] = await renderApps([apps.typo]);
    assert.deepEqual(typo.objects, []);
    assert.equal(typo.error, apps.typo.unknownReason);
    assert.match(apps.elsewhere.unknownReason ?? '', /spec\.sources\[0\]\.helm\.valueFiles: \$values\/prod\.yaml is in https:\/\/github\.com\/acme\/values, which is not this repository and needs network/);
  });

  it('the objects of several sources are their union, a later source replacing an object an earlier one renders too', async () => {
    const { root, apps } = await appsOf({
      'base/kustomization.yaml': 'resources: [cm.yaml]\nnamePrefix: app-\n',
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  from: base\n',
      'extra/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-settings\ndata:\n  from: extra\n',
      'extra/only.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-only\n',
      'argocd/union.yaml': application('union', [
        `    - repoURL: ${THIS_REPO}`, '      path: base', `    - repoURL: ${THIS_REPO}`, '      path: extra', '',
      ].join('\n')),
      'argocd/partly-remote.yaml': application('partly-remote', [
        `    - repoURL: ${THIS_REPO}`, '      path: base', '    - repoURL: https://github.com/someone/else', '      path: guestbook', '',
      ].join('\n')),
    });
    const union = apps.union;
    assert.equal(union.renderer, 'kustomize');
    assert.deepEqual(union.sources?.map((source) => [source.renderer, path.relative(root, source.path)]), [['kustomize', 'base'], ['yaml', 'extra']]);
    const [rendered] = await renderApps([union]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}=${(object.data as { from?: string } | undefined)?.from ?? ''}`),
      ['web/app-settings=extra', 'web/extra-only=']);
    assert.equal(rendered.objects[0].source.file, path.join(root, 'extra/cm.yaml'));

    assert.match(apps['partly-remote'].unknownReason ?? '', /^source 2 of 2: source https:\/\/github\.com\/someone\/else is not this repository and needs network/);

    // driftline apps --json keeps its fields and adds the sources.
    const { code, stdout } = await runCommand(runApps, ['--repo', root, '--json']);
    assert.equal(code, 0);
    const listed = (JSON.parse(stdout) as { apps: Record<string, unknown>[] }).apps.find((app) => app.name === 'union');
    assert.deepEqual(listed, {
      environment: 'in-cluster', name: 'union', renderer: 'kustomize', path: 'base', origin: 'argo-application', namespace: 'web',
      declaredAt: { file: path.join(root, 'argocd/union.yaml'), line: 1 },
      controller: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'union', namespace: 'argocd' },
      sources: [{ renderer: 'kustomize', path: 'base' }, { renderer: 'yaml', path: 'extra' }],
    });
  });
});
