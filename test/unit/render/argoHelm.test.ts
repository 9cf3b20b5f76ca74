// Argo CD Helm sources rendered as its repo-server renders them (real helm, real repos in temp dirs): value files,
// then valuesObject (which replaces values), then parameters (--set, --set-string with forceString, --set-file),
// releaseName, skipCrds, helm.namespace, kubeVersion and apiVersions; a bad field makes the app Unknown naming it.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { AppDefinition, KubeObject } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { escapeSetValue } from '../../../src/core/render/argoHelmArgs';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const THIS_REPO = 'https://github.com/acme/gitops.git';

/** A chart that shows what helm was given: every value it reads, its release, namespace and capabilities, and a CRD. */
const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\n',
  'chart/values.yaml': 'replicas: 1\ntier: chart-default\ntag: latest\nlist: []\n',
  'chart/crds/widget.yaml': stringify({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
  }),
  'chart/templates/probe.yaml': [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ .Release.Name }}-probe', 'data:',
    '  replicas: {{ .Values.replicas | quote }}', '  replicasType: {{ kindOf .Values.replicas | quote }}', '  tier: {{ .Values.tier | quote }}',
    '  tag: {{ .Values.tag | quote }}', '  tagType: {{ kindOf .Values.tag | quote }}', '  list: {{ .Values.list | toJson | quote }}',
    '  motd: {{ .Values.motd | default "" | quote }}', '  perApp: {{ .Values.perApp | default "" | quote }}', '  fromString: {{ .Values.fromString | default "" | quote }}',
    '  releaseNamespace: {{ .Release.Namespace | quote }}', '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  hasWidgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}', '',
  ].join('\n'),
};

function application(name: string, helm: Record<string, unknown>, namespace = 'web'): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace }, source: { repoURL: THIS_REPO, path: 'chart', helm } },
  };
}

async function appsOf(applications: Record<string, unknown>[], extra: Record<string, string> = {}): Promise<{ root: string; apps: Record<string, AppDefinition> }> {
  const root = await writeRepo({
    '.driftline.yaml': `repoURLs: [${THIS_REPO}]\n`, ...CHART, ...extra,
    'argocd/apps.yaml': applications.map((object) => stringify(object)).join('---\n'),
  });
  const model = await discoverRepo(root);
  assert.deepEqual(model.problems, []);
  return { root, apps: Object.fromEntries(model.environments.flatMap((environment) => environment.apps).map((app) => [app.name, app])) };
}

async function probeOf(app: AppDefinition): Promise<{ data: Record<string, string>; kinds: string[] }> {
  const [rendered] = await renderApps([app]);
  assert.equal(rendered.error, undefined);
  const probe = rendered.objects.find(({ object }) => object.kind === 'ConfigMap')!.object as KubeObject & { data: Record<string, string> };
  return { data: probe.data, kinds: rendered.objects.map(({ object }) => object.kind) };
}

describe('Argo CD Helm sources, as the repo-server renders them', () => {
  after(removeTempRepos);

  it('applies value files ($ARGOCD_APP_NAME substituted), then valuesObject, then parameters: --set, --set-string with forceString, --set-file, the last of a name winning, $ARGOCD_APP_NAME substituted', async () => {
    const { apps } = await appsOf([application('web', {
      valueFiles: ['values-prod.yaml', 'values-$ARGOCD_APP_NAME.yaml'],
      valuesObject: { tier: 'from-values-object', replicas: 3 },
      parameters: [
        { name: 'replicas', value: '4' },
        { name: 'tag', value: '1234', forceString: true },
        { name: 'tier', value: 'first,second' },
        { name: 'list', value: '{a,b}' },
        { name: 'replicas', value: '5' },
        { name: 'fromString', value: 'app-$ARGOCD_APP_NAME' },
      ],
      fileParameters: [{ name: 'motd', path: 'files/motd.txt' }],
    })], { 'chart/values-prod.yaml': 'replicas: 2\ntier: prod\n', 'chart/values-web.yaml': 'perApp: web values\n', 'chart/files/motd.txt': 'hello from a file' });
    const { data } = await probeOf(apps.web);
    assert.equal(data.replicas, '5', 'the last parameter of a name wins over valuesObject and the value files');
    assert.equal(data.replicasType, 'int64', '--set types a number as helm does');
    assert.deepEqual([data.tag, data.tagType], ['1234', 'string'], 'forceString keeps a number-like value a string');
    assert.equal(data.tier, 'first,second', 'a comma is escaped, not a second --set');
    assert.equal(data.list, '["a","b"]', 'a {a,b} list is passed as a list');
    assert.equal(data.motd, 'hello from a file');
    assert.equal(data.fromString, 'app-web');
    assert.equal(data.perApp, 'web values', 'a value file named with $ARGOCD_APP_NAME');
  });

  it('valuesObject replaces helm.values (it is not merged); helm.values alone is read as YAML', async () => {
    const { apps } = await appsOf([
      application('both', { values: 'tier: from-string\nfromString: only-in-string\n', valuesObject: { tier: 'from-object' } }),
      application('text', { values: 'tier: from-string\nreplicas: 7\n' }),
    ]);
    const both = (await probeOf(apps.both)).data;
    assert.deepEqual([both.tier, both.fromString], ['from-object', '']);
    const text = (await probeOf(apps.text)).data;
    assert.deepEqual([text.tier, text.replicas], ['from-string', '7']);
  });

  it('honours releaseName, skipCrds, helm.namespace (default the destination), kubeVersion and apiVersions', async () => {
    const { apps } = await appsOf([
      application('defaults', {}, 'shop'),
      application('tuned', { releaseName: 'custom', skipCrds: true, namespace: 'templated-ns', kubeVersion: '1.31.2', apiVersions: ['example.com/v1/Widget'] }, 'shop'),
    ]);
    const defaults = await probeOf(apps.defaults);
    assert.deepEqual(defaults.kinds.sort(), ['ConfigMap', 'CustomResourceDefinition']);
    assert.equal(defaults.data.releaseNamespace, 'shop');
    assert.equal(defaults.data.hasWidgets, 'false');
    const [rendered] = await renderApps([apps.tuned]);
    assert.deepEqual(rendered.objects.map(({ object }) => `${object.kind}/${object.metadata.name}`), ['ConfigMap/custom-probe'], 'no CRD with skipCrds');
    const tuned = (rendered.objects[0]!.object as KubeObject & { data: Record<string, string> }).data;
    assert.deepEqual([tuned.releaseNamespace, tuned.kubeVersion, tuned.hasWidgets], ['templated-ns', 'v1.31.2', 'true']);
    assert.equal(rendered.objects[0]!.object.metadata.namespace, 'shop', 'objects without a namespace still go to the destination');
  });

  it('a parameter without a name, a file parameter outside the repository and helm.values that is not YAML make the app Unknown naming the field', async () => {
    const { apps } = await appsOf([
      application('unnamed', { parameters: [{ value: '1' }] }),
      application('escape', { fileParameters: [{ name: 'motd', path: '../../../etc/passwd' }] }),
      application('broken', { values: 'tier: [unclosed\n' }),
    ]);
    assert.match(apps.unnamed.unknownReason ?? '', /argocd\/apps\.yaml:\d+: spec\.source\.helm\.parameters\[0\] has no name$/);
    assert.match(apps.escape.unknownReason ?? '', /spec\.source\.helm\.fileParameters\[0\]: \.\.\/\.\.\/\.\.\/etc\/passwd resolves outside the repository, which Argo CD refuses$/);
    assert.match(apps.broken.unknownReason ?? '', /spec\.source\.helm\.values is not YAML: /);
  });

  it('escapes commas as Argo CD does: not an escaped one, not a {list}', () => {
    assert.equal(escapeSetValue('a,b\\,c'), 'a\\,b\\,c');
    assert.equal(escapeSetValue('{x,y}'), '{x,y}');
    assert.equal(escapeSetValue('plain'), 'plain');
  });
});
