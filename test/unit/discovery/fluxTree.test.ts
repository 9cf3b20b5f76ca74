// Flux discovery follows kustomize-controller's build (real `kubectl kustomize`, real files): what the build
// of each cluster root emits is what is listed, with the identity the build gives it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { needsLiveSources } from '../../../src/core/render/postBuild';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { appNamed, appsOf } from '../../support/repoModel';

interface KsOptions {
  namespace?: string;
  path?: string;
  spec?: Record<string, unknown>;
}

/** A Flux Kustomization of this repo (GitRepository flux-system). */
function ks(name: string, options: KsOptions = {}): string {
  return stringify({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
    metadata: { name, ...(options.namespace === '' ? {} : { namespace: options.namespace ?? 'flux-system' }) },
    spec: {
      interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...(options.path ? { path: options.path } : {}), ...options.spec,
    },
  });
}

/** clusters/<c>/flux-system as `flux bootstrap` writes it (gotk-sync.yaml, kustomization.yaml). */
function bootstrap(cluster: string): Record<string, string> {
  return {
    [`clusters/${cluster}/flux-system/gotk-sync.yaml`]: [
      'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: flux-system', '  namespace: flux-system',
      'spec:', '  url: ssh://git@github.com/example/fleet', '---', ks('flux-system', { path: `./clusters/${cluster}` }),
    ].join('\n'),
    [`clusters/${cluster}/flux-system/kustomization.yaml`]: 'resources: [gotk-sync.yaml]\n',
  };
}

const configMap = (name: string, data: Record<string, string> = {}, namespace?: string) =>
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data });

const helmRelease = (name: string, namespace?: string) => stringify({
  apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { chart: { spec: { chart: name, sourceRef: { kind: 'HelmRepository', name: 'charts', namespace: 'flux-system' } } } },
});


describe('Flux discovery as kustomize-controller builds it', () => {
  after(removeTempRepos);

  it('a kustomize patch that is a partial Kustomization is no app; it rewrites the real one, which has no spec.path of its own', async () => {
    const root = await writeRepo({
      ...bootstrap('prod'),
      'clusters/prod/kustomization.yaml': 'resources: [flux-system, ../../base/apps.yaml]\npatches:\n  - path: apps-patch.yaml\n',
      'clusters/prod/apps-patch.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps/prod\n',
      'base/apps.yaml': ks('apps'),
      'apps/prod/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/prod/cm.yaml': configMap('settings'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.environments.map((environment) => [environment.name, environment.apps.map((candidate) => candidate.name)]), [['prod', ['apps']]]);
    const apps = appNamed(model, 'prod', 'apps');
    assert.equal(apps.unknownReason, undefined);
    assert.equal(apps.path, path.join(root, 'apps/prod'));
    assert.equal(apps.declaredAt.file, path.join(root, 'base/apps.yaml'));
    assert.deepEqual(model.problems, []);
  });

  it('a child Kustomization of the whole repo (path: ./) is an app of the cluster that applies it, not a cluster root', async () => {
    const root = await writeRepo({
      ...bootstrap('prod'),
      'clusters/prod/kustomization.yaml': 'resources: [flux-system, everything.yaml]\n',
      'clusters/prod/everything.yaml': ks('everything', { path: './' }),
      'apps/cm.yaml': configMap('settings'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.environments.map((environment) => environment.name), ['prod']);
    // Its build applies the whole repo, the cluster's own flux-system Kustomization too (as it would in the cluster).
    assert.deepEqual(appsOf(model, 'prod').map((app) => [app.name, app.flux?.parent]), [['everything', undefined], ['flux-system', 'flux-system/everything']]);
    const everything = appNamed(model, 'prod', 'everything');
    assert.equal(everything.path, root);
    assert.deepEqual(model.problems, []);
  });

  it('takes namespaces from the parent\'s kustomization.yaml, with parent, dependsOn and suspend; a commented-out resource is no app', async () => {
    const root = await writeRepo({
      ...bootstrap('dev'),
      'clusters/dev/kustomization.yaml': 'resources:\n  - flux-system\n  - tenants.yaml\n  # - infra.yaml\n',
      'clusters/dev/tenants.yaml': ks('tenants', { path: './tenants' }),
      'clusters/dev/infra.yaml': ks('infra', { path: './infra' }),
      'infra/cm.yaml': configMap('infra'),
      'tenants/kustomization.yaml': 'namespace: team-a\nresources: [team.yaml, release.yaml]\n',
      'tenants/team.yaml': ks('team', { path: './team', spec: { dependsOn: [{ name: 'base' }, { name: 'crds', namespace: 'flux-system' }], suspend: true } }),
      'tenants/release.yaml': helmRelease('podinfo'),
      'team/cm.yaml': configMap('team'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(appsOf(model, 'dev').map((candidate) => candidate.name), ['podinfo', 'team', 'tenants']);
    const team = appNamed(model, 'dev', 'team');
    assert.deepEqual(team.controller, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'team', namespace: 'team-a' });
    assert.deepEqual(team.flux, { parent: 'flux-system/tenants', dependsOn: ['team-a/base', 'flux-system/crds'], suspend: true });
    assert.equal(team.declaredAt.file, path.join(root, 'tenants/team.yaml'));
    assert.equal(team.declaredAt.line, 1);
    const podinfo = appNamed(model, 'dev', 'podinfo');
    assert.equal(podinfo.controller?.namespace, 'team-a');
    assert.equal(podinfo.flux?.parent, 'flux-system/tenants');
    assert.equal(appNamed(model, 'dev', 'tenants').flux?.parent, undefined);
  });

  it('builds a folder without kustomization.yaml with kustomize-controller\'s generator: YAML files, nested kustomize folders, no other files, .sourceignore', async () => {
    const root = await writeRepo({
      'clusters/dev/apps.yaml': ks('apps', { path: './apps/dev', spec: { targetNamespace: 'web' } }),
      'apps/dev/a.yaml': configMap('a'),
      'apps/dev/notes.txt': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-yaml\n',
      'apps/dev/README.md': '# apps\n',
      'apps/dev/sub/b.yml': configMap('b'),
      'apps/dev/nested/kustomization.yaml': 'resources: [c.yaml]\n',
      'apps/dev/nested/c.yaml': configMap('c'),
      'apps/dev/nested/unlisted.yaml': configMap('unlisted'),
      'apps/dev/ignored/d.yaml': configMap('d'),
      'apps/dev/scratch.yaml': configMap('scratch'),
      'apps/dev/.sourceignore': 'ignored/\n',
      '.sourceignore': '# not applied\napps/dev/scratch.yaml\n',
      'apps/dev/sub/release.yaml': helmRelease('podinfo'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(appsOf(model, 'dev').map((candidate) => candidate.name), ['apps', 'podinfo']);
    assert.equal(appNamed(model, 'dev', 'podinfo').controller?.namespace, 'web');
    const [rendered] = await renderApps([appNamed(model, 'dev', 'apps')]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.filter(({ object }) => object.kind === 'ConfigMap').map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}`).sort(),
      ['web/a', 'web/b', 'web/c']);
    assert.equal(rendered.objects.find(({ object }) => object.metadata.name === 'b')?.source.file, path.join(root, 'apps/dev/sub/b.yml'));
  });

  it('substitutes postBuild variables from substituteFrom ConfigMaps in the build output (child paths too); one not there is read live when comparing', async function () {
    this.timeout(20_000);
    const root = await writeRepo({
      'clusters/dev/vars.yaml': configMap('cluster-vars', { CLUSTER: 'dev', REPLICAS: '2' }, 'flux-system'),
      'clusters/dev/apps.yaml': ks('apps', { path: './apps', spec: { postBuild: { substitute: { REGION: 'eu' }, substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] } } }),
      'clusters/dev/missing.yaml': ks('missing', { path: './plain', spec: { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }, { kind: 'Secret', name: 'tunnel' }] } } }),
      'clusters/dev/optional.yaml': ks('optional', { path: './plain', spec: { postBuild: { substituteFrom: [{ kind: 'Secret', name: 'tunnel', optional: true }] } } }),
      'clusters/dev/unset.yaml': ks('unset', { path: './unset', spec: { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] } } }),
      'apps/kustomization.yaml': 'resources: [cm.yaml, child.yaml]\n',
      'apps/cm.yaml': configMap('settings', { cluster: '${CLUSTER}', region: '${REGION}' }),
      'apps/child.yaml': ks('child', { path: './deploy/${CLUSTER}' }),
      'deploy/dev/cm.yaml': configMap('deployed'),
      'plain/cm.yaml': configMap('plain'),
      'unset/cm.yaml': configMap('unset', { tunnel: '${TUNNEL_ID}', fine: '${OTHER:=x}' }),
    });
    const model = await discoverRepo(root);
    const apps = appNamed(model, 'dev', 'apps');
    assert.equal(apps.unknownReason, undefined);
    assert.deepEqual(apps.substitute?.variables, { REGION: 'eu' });
    assert.deepEqual(apps.substitute?.from.map((source) => [source.kind, source.namespace, source.name, source.built?.file]),
      [['ConfigMap', 'flux-system', 'cluster-vars', path.join(root, 'clusters/dev/vars.yaml')]]);
    const [rendered] = await renderApps([apps]);
    assert.deepEqual((rendered.objects.find(({ object }) => object.metadata.name === 'settings')?.object as { data?: unknown }).data, { cluster: 'dev', region: 'eu' });
    assert.equal(appNamed(model, 'dev', 'child').path, path.join(root, 'deploy/dev'));
    assert.equal(appNamed(model, 'dev', 'child').flux?.parent, 'flux-system/apps');
    // Not in the build output: kustomize-controller reads it from the cluster, and so does the comparison.
    for (const name of ['missing', 'optional']) {
      assert.equal(appNamed(model, 'dev', name).unknownReason, undefined);
      assert.equal(needsLiveSources(appNamed(model, 'dev', name).substitute), true);
      assert.equal(appNamed(model, 'dev', name).substitute?.from.find((source) => source.name === 'tunnel')?.built, undefined);
    }
    const [unset] = await renderApps([appNamed(model, 'dev', 'unset')]);
    assert.match(unset.error ?? '', /\$\{TUNNEL_ID\} in ConfigMap\/unset .* has no value/);
    assert.doesNotMatch(unset.error ?? '', /OTHER/);
  });

  it('spec.kubeConfig: a mapped secret puts the app (and what it applies) in the environment of that context; an unmapped one is Unknown; one folder under two Kustomizations is two apps', async () => {
    const spoke = (name: string) => ks(name, { path: './spokes', spec: { kubeConfig: { secretRef: { name: `${name}-kubeconfig` } } } });
    const root = await writeRepo({
      '.driftline.yaml': 'kubeConfigs:\n  flux-system/spoke-a-kubeconfig: ctx-a\n',
      'clusters/hub/spokes.yaml': `${spoke('spoke-a')}---\n${spoke('spoke-b')}`,
      'spokes/release.yaml': helmRelease('podinfo', 'apps'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.environments.map((environment) => [environment.name, environment.context, environment.apps.map((candidate) => candidate.name)]),
      [['ctx-a', 'ctx-a', ['podinfo', 'spoke-a']], ['hub', undefined, ['podinfo', 'spoke-b']]]);
    assert.equal(appNamed(model, 'ctx-a', 'spoke-a').unknownReason, undefined);
    assert.equal(appNamed(model, 'ctx-a', 'spoke-a').flux?.kubeConfigSecret, 'flux-system/spoke-a-kubeconfig');
    const unmapped = 'applied to another cluster through kubeConfig secret flux-system/spoke-b-kubeconfig: map it to a context in .driftline.yaml kubeConfigs';
    assert.equal(appNamed(model, 'hub', 'spoke-b').unknownReason, unmapped);
    assert.equal(appNamed(model, 'hub', 'podinfo').unknownReason, unmapped);
    assert.equal(appNamed(model, 'ctx-a', 'podinfo').unknownReason, 'source HelmRepository flux-system/charts is not defined in this repository');
  });

  it('a leaf folder is built by render only: its kustomize error is its app\'s, naming its folder; a broken tree is still a problem; nothing else is lost', async () => {
    const root = await writeRepo({
      ...bootstrap('dev'),
      'clusters/dev/kustomization.yaml': 'resources: [flux-system, good.yaml, dup.yaml, gone.yaml]\n',
      'clusters/dev/good.yaml': ks('good', { path: './apps/good', spec: { targetNamespace: 'good', dependsOn: [{ name: 'dup' }], suspend: true, postBuild: { substitute: { A: '1' } } } }),
      'apps/good/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/good/cm.yaml': configMap('good-settings'),
      // Two files define one object: only kustomize itself can tell.
      'clusters/dev/dup.yaml': ks('dup', { path: './apps/dup' }),
      'apps/dup/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
      'apps/dup/a.yaml': configMap('same'),
      'apps/dup/b.yaml': configMap('same'),
      'clusters/dev/gone.yaml': ks('gone', { path: './apps/gone' }),
      'apps/gone/kustomization.yaml': 'resources: [missing.yaml]\n',
    });
    const model = await discoverRepo(root);
    assert.deepEqual(appsOf(model, 'dev').map((candidate) => candidate.name).sort(), ['dup', 'gone', 'good']);
    const good = appNamed(model, 'dev', 'good');
    assert.deepEqual([good.namespace, good.flux, good.substitute], ['good', { dependsOn: ['flux-system/dup'], suspend: true, targetNamespace: 'good' }, { variables: { A: '1' }, from: [] }]);
    assert.deepEqual(model.problems.map((problem) => [path.relative(root, problem.file), problem.line]), [['clusters/dev/gone.yaml', 1]]);
    assert.match(model.problems[0].message, /^Kustomization flux-system\/gone does not build as kustomize-controller builds it: .*missing\.yaml/);
    const [dup, rendered] = await renderApps([appNamed(model, 'dev', 'dup'), good]);
    assert.match(dup.error ?? '', /already registered id/);
    assert.ok(dup.error?.includes(path.join(root, 'apps/dup')), dup.error);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}`), ['good/good-settings']);
  });

  it('a child built beside its cluster root from Git is built again when the root\'s patches change it', async () => {
    const root = await writeRepo({
      ...bootstrap('dev'),
      'clusters/dev/kustomization.yaml': 'resources: [flux-system, apps.yaml, same.yaml]\npatches:\n  - target: { kind: Kustomization, name: apps }\n    patch: |\n      - op: replace\n        path: /spec/targetNamespace\n        value: team-b\n',
      'clusters/dev/apps.yaml': ks('apps', { path: './apps', spec: { targetNamespace: 'team-a' } }),
      'clusters/dev/same.yaml': ks('same', { path: './same', spec: { targetNamespace: 'team-c' } }),
      'apps/web.yaml': helmRelease('web'),
      'same/db.yaml': helmRelease('db'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.equal(appNamed(model, 'dev', 'web').controller?.namespace, 'team-b', 'the patched targetNamespace, not the one written in apps.yaml');
    assert.equal(appNamed(model, 'dev', 'db').controller?.namespace, 'team-c');
  });

  it('names apps that share a name by namespace (then kind), whatever the order of the files', async () => {
    const files = {
      ...bootstrap('dev'),
      'clusters/dev/a-team.yaml': ks('apps', { namespace: 'team-a', path: './apps' }),
      'clusters/dev/b-team.yaml': ks('apps', { namespace: 'team-b', path: './apps' }),
      'clusters/dev/podinfo.yaml': `${ks('podinfo', { path: './apps' })}---\n${helmRelease('podinfo', 'flux-system')}`,
      'clusters/dev/web.yaml': ks('web', { path: './apps' }),
      'apps/cm.yaml': configMap('a'),
    };
    const names = async (repo: Record<string, string>) => appsOf(await discoverRepo(await writeRepo(repo)), 'dev').map((candidate) => candidate.name);
    const expected = ['HelmRelease/flux-system/podinfo', 'Kustomization/flux-system/podinfo', 'team-a/apps', 'team-b/apps', 'web'];
    assert.deepEqual(await names(files), expected);
    // The same objects, the files found the other way round.
    const { 'clusters/dev/a-team.yaml': a, 'clusters/dev/b-team.yaml': b, ...rest } = files;
    assert.deepEqual(await names({ ...rest, 'clusters/dev/a-team.yaml': b, 'clusters/dev/b-team.yaml': a }), expected);
  });

  it('one file applied under two cluster roots is an app of each', async () => {
    const root = await writeRepo({
      ...bootstrap('dev'), ...bootstrap('prod'),
      'clusters/dev/kustomization.yaml': 'resources: [flux-system, ../../shared/podinfo.yaml, ../../shared/apps.yaml]\n',
      'clusters/prod/kustomization.yaml': 'resources: [flux-system, ../../shared/podinfo.yaml, ../../shared/apps.yaml]\n',
      'shared/podinfo.yaml': helmRelease('podinfo', 'apps'),
      'shared/apps.yaml': ks('apps', { path: './apps' }),
      'apps/cm.yaml': configMap('a'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.environments.map((environment) => [environment.name, environment.apps.map((candidate) => candidate.name)]),
      [['dev', ['apps', 'podinfo']], ['prod', ['apps', 'podinfo']]]);
    for (const environment of ['dev', 'prod']) assert.equal(appNamed(model, environment, 'podinfo').declaredAt.file, path.join(root, 'shared/podinfo.yaml'));
  });

  it('discovers a generated 3-level tree of 150 Kustomizations, each with its parent\'s targetNamespace and patches', async function () {
    this.timeout(60_000);
    const files: Record<string, string> = { ...bootstrap('dev') };
    const teams = 5;
    const appsPerTeam = 29;
    files['clusters/dev/kustomization.yaml'] = `resources: [flux-system, ${Array.from({ length: teams }, (_, t) => `team-${t}.yaml`).join(', ')}]\n`;
    for (let t = 0; t < teams; t++) {
      files[`clusters/dev/team-${t}.yaml`] = ks(`team-${t}`, { path: `./teams/team-${t}`, spec: { targetNamespace: `team-${t}` } });
      files[`teams/team-${t}/kustomization.yaml`] = `resources: [${Array.from({ length: appsPerTeam }, (_, a) => `app-${a}.yaml`).join(', ')}]\n` +
        'patches:\n  - target: { kind: Kustomization }\n    patch: |\n      - op: add\n        path: /spec/postBuild\n        value: { substituteFrom: [{ kind: ConfigMap, name: vars, optional: true }] }\n';
      for (let a = 0; a < appsPerTeam; a++) {
        files[`teams/team-${t}/app-${a}.yaml`] = ks(`app-${t}-${a}`, { path: `./apps/app-${a}` });
      }
    }
    for (let a = 0; a < appsPerTeam; a++) files[`apps/app-${a}/cm.yaml`] = configMap(`app-${a}`);
    const root = await writeRepo(files);
    // How fast is `npm run bench`'s to say (its Flux tree figures), not a test's.
    const model = await discoverRepo(root);
    assert.equal(appsOf(model, 'dev').length, teams + teams * appsPerTeam);
    assert.equal(appNamed(model, 'dev', 'app-3-7').controller?.namespace, 'team-3'); // the parent's targetNamespace
    assert.equal(appNamed(model, 'dev', 'app-3-7').flux?.parent, 'flux-system/team-3');
    assert.ok(appNamed(model, 'dev', 'app-3-7').substitute);
  });
});

describe('.driftline.yaml kubeConfigs', () => {
  it('maps <namespace>/<secret> to a context, and reports a key that is not <namespace>/<secret> or an empty context', async () => {
    const { parseConfig } = await import('../../../src/core/discovery/loadConfig');
    const { config, problems } = parseConfig('kubeConfigs:\n  flux-system/spoke-a: ctx-a\n  spoke-b: ctx-b\n  flux-system/spoke-c: ""\n', '/repo/.driftline.yaml', '/repo');
    assert.deepEqual(config.kubeConfigs, { 'flux-system/spoke-a': 'ctx-a' });
    assert.deepEqual(problems.map((problem) => [problem.line, problem.message]), [
      [3, 'kubeConfigs.spoke-b: expected a key <namespace>/<secret name>'],
      [4, 'kubeConfigs.flux-system/spoke-c: expected a non-empty string'],
    ]);
  });
});
