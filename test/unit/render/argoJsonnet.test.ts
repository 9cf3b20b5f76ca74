import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { AppDefinition } from '../../../src/core/model';
import { collectInputs, hashInputs } from '../../../src/core/render/collectInputs';
import { renderApp } from '../../../src/core/render/renderApp';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const THIS_REPO = 'https://github.com/acme/gitops.git';

/** An Application of this repo whose source is `path`, with `directory` (YAML, indented under `source:`). */
function application(name: string, sourcePath: string, directory = ''): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: shop\n` +
    `  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n` +
    `  source:\n    repoURL: ${THIS_REPO}\n    path: ${sourcePath}\n    targetRevision: HEAD\n${directory}`;
}

async function appsOf(files: Record<string, string>): Promise<{ root: string; apps: Record<string, AppDefinition> }> {
  const root = await writeRepo({ '.driftline.yaml': `repoURLs: [${THIS_REPO}]\n`, ...files });
  const model = await discoverRepo(root);
  assert.deepEqual(model.problems, []);
  return { root, apps: Object.fromEntries(model.environments.flatMap((environment) => environment.apps).map((app) => [app.name, app])) };
}

const names = (objects: { object: { kind: string; metadata: { name: string; namespace?: string } } }[]) =>
  objects.map(({ object }) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`);

describe('Argo CD directory sources with jsonnet', () => {
  after(removeTempRepos);

  it('evaluates each .jsonnet file with its tlas and extVars, strings and code, and $ARGOCD_APP_* substituted', async () => {
    const directory = [
      '    directory:', '      jsonnet:',
      '        tlas:', '          - { name: replicas, value: "1 + 2", code: true }', '          - { name: owner, value: "team-$ARGOCD_APP_NAME" }',
      '        extVars:', '          - { name: env, value: prod }', '          - { name: flags, value: "{ debug: true }", code: true }', '',
    ].join('\n');
    const { apps } = await appsOf({
      'argocd/web.yaml': application('web', 'web', directory),
      'web/main.jsonnet': [
        'function(replicas, owner) [',
        "  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web-' + std.extVar('env'), labels: { owner: owner } },",
        '    spec: { replicas: replicas } },',
        "  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags' }, data: { debug: std.toString(std.extVar('flags').debug) } },",
        ']',
      ].join('\n'),
    });
    assert.equal(apps.web.renderer, 'jsonnet');
    const rendered = await renderApp(apps.web);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(names(rendered.objects), ['Deployment/web/web-prod', 'ConfigMap/web/flags']);
    const deployment = rendered.objects[0].object as unknown as { metadata: { labels: Record<string, string> }; spec: { replicas: unknown } };
    assert.equal(deployment.spec.replicas, 3, 'a code tla is evaluated as jsonnet, not passed as the string "1 + 2"');
    assert.equal(deployment.metadata.labels.owner, 'team-web');
    assert.deepEqual(rendered.objects[1].object.data, { debug: 'true' });
    assert.equal(rendered.objects[0].source.file, path.join(path.dirname(rendered.objects[0].source.file), 'main.jsonnet'));
  });

  it('declares each object at the line of the main file that writes its kind (or its name), and at the file alone when the text does not tell', async () => {
    const { root, apps } = await appsOf({
      'argocd/lines.yaml': application('lines', 'lines'),
      'lines/main.jsonnet': [
        "local lib = import 'lib.libsonnet';",
        '// kind: "Service" in a comment is not the object',
        '[',
        '  {',
        "    apiVersion: 'v1',",
        "    kind: 'Service',",
        "    metadata: { name: 'web' },",
        '  },',
        '  {',
        '    "apiVersion": "v1",',
        '    "kind": "ConfigMap",',
        '    "metadata": { "name": "first" },',
        '  },',
        "  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second' } },",
        "  lib.configMap('from-lib'),",
        "] + [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gen-' + n } } for n in ['a', 'b']]",
        '',
      ].join('\n'),
      'lines/lib.libsonnet': "{ configMap(name):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name } } }\n",
    });
    const rendered = await renderApp(apps.lines);
    assert.equal(rendered.error, undefined);
    const file = path.join(root, 'lines/main.jsonnet');
    assert.deepEqual(rendered.objects.map(({ object, source }) => [`${object.kind}/${object.metadata.name}`, source.file === file ? source.line ?? 'no line' : source.file]), [
      ['Service/web', 6], ['ConfigMap/first', 12], ['ConfigMap/second', 14], ['ConfigMap/from-lib', 'no line'], ['Secret/gen-a', 'no line'], ['Secret/gen-b', 'no line'],
    ]);
  });

  it('imports from the app folder and from libs resolved at the repository root, and an edited library re-renders', async () => {
    const { root, apps } = await appsOf({
      'argocd/web.yaml': application('web', 'apps/web', '    directory:\n      jsonnet:\n        libs: [vendor, lib]\n'),
      'apps/web/main.jsonnet': "local k = import 'k.libsonnet'; local local_ = import 'parts/local.libsonnet'; [k.cm('from-' + k.where), local_]",
      'apps/web/parts/local.libsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'local' } }",
      'vendor/k.libsonnet': "{ where: 'vendor', cm(name): { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name } } }",
      'lib/k.libsonnet': "(import 'base.libsonnet') + { where: 'lib' }",
      'lib/base.libsonnet': "{ cm(name): { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name, labels: { lib: importstr 'label.txt' } } } }",
      'lib/label.txt': 'v1',
    });
    const rendered = await renderApp(apps.web);
    assert.equal(rendered.error, undefined);
    // The right-most lib wins, as with jsonnet's -J and Argo CD's importer.
    assert.deepEqual(names(rendered.objects), ['ConfigMap/web/from-lib', 'ConfigMap/web/local']);
    assert.deepEqual(rendered.objects[0].object.metadata.labels, { lib: 'v1' });

    const inputs = await collectInputs(apps.web);
    for (const file of ['apps/web/main.jsonnet', 'apps/web/parts/local.libsonnet', 'lib/k.libsonnet', 'lib/base.libsonnet', 'lib/label.txt']) {
      assert.ok(inputs.files.includes(path.join(root, file)), `${file} is an input`);
    }
    const before = await hashInputs(apps.web, inputs);
    await fs.writeFile(path.join(root, 'lib/label.txt'), 'v2');
    assert.notEqual(await hashInputs(apps.web, await collectInputs(apps.web)), before);
    assert.deepEqual((await renderApp(apps.web)).objects[0].object.metadata.labels, { lib: 'v2' });
  });

  it('renders a folder of YAML, JSON and jsonnet files together, with include and exclude as Argo CD matches them', async () => {
    const { apps } = await appsOf({
      'argocd/mixed.yaml': application('mixed', 'mixed', '    directory:\n      recurse: true\n      exclude: "{skipped/*,*.draft.yaml}"\n'),
      'mixed/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n',
      'mixed/b.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "from-json"}}',
      'mixed/c.jsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-jsonnet' } }",
      'mixed/d.draft.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: draft\n',
      'mixed/helper.libsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'never-evaluated' } }",
      'mixed/nested/e.jsonnet': "[{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-list' } }] }]",
      'mixed/skipped/f.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n',
      'mixed/g.yaml': '# +argocd:skip-file-rendering\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: marked\n',
      'argocd/only.yaml': application('only', 'mixed', '    directory:\n      include: "*.jsonnet"\n'),
    });
    assert.equal(apps.mixed.renderer, 'jsonnet');
    const mixed = await renderApp(apps.mixed);
    assert.equal(mixed.error, undefined);
    assert.deepEqual(names(mixed.objects), ['ConfigMap/web/from-yaml', 'ConfigMap/web/from-json', 'ConfigMap/web/from-jsonnet', 'ConfigMap/web/from-list']);
    assert.deepEqual(mixed.objects.map(({ source }) => path.basename(source.file)), ['a.yaml', 'b.json', 'c.jsonnet', 'e.jsonnet']);
    const only = await renderApp(apps.only);
    assert.deepEqual(names(only.objects), ['ConfigMap/web/from-jsonnet']);
  });

  it('a jsonnet error names the file and line in jsonnet\'s own words; output that is no object is refused naming the file', async () => {
    const { root, apps } = await appsOf({
      'argocd/broken.yaml': application('broken', 'broken'),
      'broken/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
      'broken/main.jsonnet': "{\n  apiVersion: 'v1',\n  kind: 'ConfigMap'\n  metadata: {},\n}\n",
      'argocd/shape.yaml': application('shape', 'shape'),
      'shape/main.jsonnet': "{ deployment: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } } }",
      'argocd/runtime.yaml': application('runtime', 'runtime'),
      'runtime/main.jsonnet': "local x = { a: 1 };\nx.b\n",
    });
    const broken = await renderApp(apps.broken);
    assert.deepEqual(broken.objects, []);
    assert.match(broken.error ?? '', new RegExp(`STATIC ERROR: ${path.join(root, 'broken/main.jsonnet').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:3`));
    const runtime = await renderApp(apps.runtime);
    assert.match(runtime.error ?? '', /RUNTIME ERROR: field does not exist: b/);
    assert.match(runtime.error ?? '', /runtime\/main\.jsonnet:2:1/);
    const shape = await renderApp(apps.shape);
    assert.match(shape.error ?? '', /shape\/main\.jsonnet: its output is not a Kubernetes object/);
  });

  it('in restricted mode a jsonnet app is Unknown saying it needs jsonnet; a YAML-only directory still renders', async () => {
    const { apps } = await appsOf({
      'argocd/web.yaml': application('web', 'web'),
      'web/main.jsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }",
      'argocd/plain.yaml': application('plain', 'plain'),
      'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
    });
    const web = await renderApp(apps.web, { allowTools: false });
    assert.deepEqual(web.objects, []);
    assert.match(web.error ?? '', /needs jsonnet, which does not run in an untrusted workspace/);
    assert.equal(apps.plain.renderer, 'yaml');
    const plain = await renderApp(apps.plain, { allowTools: false });
    assert.equal(plain.error, undefined);
    assert.deepEqual(names(plain.objects), ['ConfigMap/web/plain']);
  });

  it('refuses a lib outside the repository and a tla and extVar of one name with different values, naming them', async () => {
    const { apps } = await appsOf({
      'argocd/outside.yaml': application('outside', 'web', '    directory:\n      jsonnet:\n        libs: [../elsewhere]\n'),
      'argocd/clash.yaml': application('clash', 'web', [
        '    directory:', '      jsonnet:', '        tlas: [{ name: env, value: a }]', '        extVars: [{ name: env, value: b }]', '',
      ].join('\n')),
      'web/main.jsonnet': "function(env='x') { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env } }",
    });
    assert.match(apps.outside.unknownReason ?? '', /argocd\/outside\.yaml:1: spec\.source\.directory\.jsonnet\.libs \.\.\/elsewhere resolves outside the repository/);
    assert.match((await renderApp(apps.clash)).error ?? '', /jsonnet tla and extVar "env" have different values/);
  });

  it('a jsonnet evaluation that runs too long is stopped by the timeout, and one aborted stops at once', async () => {
    const { apps } = await appsOf({
      'argocd/slow.yaml': application('slow', 'slow'),
      // Tens of seconds of work for jsonnet.
      'slow/main.jsonnet': 'std.foldl(function(acc, x) acc + x, std.range(1, 20000000), 0)',
    });
    const timedOut = await renderApp(apps.slow, { timeoutMs: 300 });
    assert.match(timedOut.error ?? '', /jsonnet did not finish within 0\.3 s and was stopped/);

    const controller = new AbortController();
    const started = Date.now();
    const rendering = renderApp(apps.slow, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopped by the user')), 200);
    await assert.rejects(rendering, /stopped by the user/);
    assert.ok(Date.now() - started < 5000, 'the render ends when aborted, not when jsonnet would');
  });
});
