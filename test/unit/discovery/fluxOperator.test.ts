// Flux Operator in discovery (real `kubectl kustomize`, real git remotes): a FluxInstance's sync is a cluster
// root, and ResourceSets are expanded as the operator expands them: each is an app (under the Kustomization
// applying it) whose objects are all it generates, its Kustomizations and HelmReleases child apps of it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildAppTree } from '../../../src/core/appTree';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { appNamed, appsOf } from '../../support/repoModel';

const FLEET_URL = 'https://github.com/example/fleet.git';

/** A temp repo of these files whose git remote is FLEET_URL. */
async function fleetRepo(files: Record<string, string>): Promise<string> {
  const root = await writeRepo(files);
  execFileSync('git', ['init', '-q', root]);
  execFileSync('git', ['-C', root, 'remote', 'add', 'origin', FLEET_URL]);
  return root;
}

const yaml = (...objects: Record<string, unknown>[]) => objects.map((object) => stringify(object)).join('---\n');

function fluxInstance(namespace: string, sync: Record<string, unknown>) {
  return {
    apiVersion: 'fluxcd.controlplane.io/v1', kind: 'FluxInstance', metadata: { name: 'flux', namespace },
    spec: { distribution: { version: '2.x', registry: 'ghcr.io/fluxcd' }, sync: { kind: 'GitRepository', url: FLEET_URL, ref: 'refs/heads/main', ...sync } },
  };
}

function kustomization(name: string, namespace: string, source: string, specPath: string) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace },
    spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: source }, path: specPath },
  };
}

const configMap = (name: string) => yaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

/** A cluster synced by a FluxInstance (namespace flux-system) whose `tenants` Kustomization applies tenants/. */
function clusterWithTenants(tenants: Record<string, string>): Record<string, string> {
  return {
    'clusters/prod/flux-instance.yaml': yaml(fluxInstance('flux-system', { path: 'clusters/prod' })),
    'clusters/prod/tenants.yaml': yaml(kustomization('tenants', 'flux-system', 'flux-system', './tenants')),
    ...Object.fromEntries(Object.entries(tenants).map(([file, content]) => [`tenants/${file}`, content])),
  };
}

function resourceSet(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', metadata: { name, namespace: 'flux-system' }, spec };
}

const helmReleaseTemplate = (name: string) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name },
  spec: { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
});


describe('Flux Operator discovery', () => {
  after(removeTempRepos);

  it('a FluxInstance syncing this repo is a cluster root: the Kustomizations its sync.path holds are apps, in the namespace and source the operator generates', async () => {
    const root = await fleetRepo({
      'fleet/production/flux.yaml': yaml(fluxInstance('flux', { path: './fleet/production' })),
      'fleet/production/apps.yaml': yaml(kustomization('apps', 'flux', 'flux', './apps/production')),
      'fleet/production/infra.yaml': yaml({ ...kustomization('infra', 'flux', 'flux', './infra'), spec: { ...kustomization('infra', 'flux', 'flux', './infra').spec, dependsOn: [{ name: 'apps' }] } }),
      'apps/production/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/production/cm.yaml': configMap('settings'),
      'infra/cm.yaml': configMap('infra'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(model.environments.map((environment) => [environment.name, environment.apps.map((candidate) => candidate.name)]), [['production', ['apps', 'infra']]]);
    const apps = appNamed(model, 'production', 'apps');
    assert.equal(apps.unknownReason, undefined);
    assert.equal(apps.path, path.join(root, 'apps/production'));
    assert.deepEqual(apps.controller, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux' });
    assert.equal(apps.flux?.parent, undefined);
    assert.deepEqual(appNamed(model, 'production', 'infra').flux?.dependsOn, ['flux/apps']);
  });

  it('a FluxInstance sync.name names the generated source; a FluxInstance syncing another repository is a problem naming it, not a silent gap', async () => {
    const root = await fleetRepo({
      'clusters/staging/flux.yaml': yaml(fluxInstance('flux-system', { path: 'clusters/staging', name: 'fleet' })),
      'clusters/staging/apps.yaml': yaml(kustomization('apps', 'flux-system', 'fleet', './apps')),
      'apps/cm.yaml': configMap('settings'),
      'other/flux.yaml': yaml(fluxInstance('flux-system', { path: 'clusters/edge', url: 'https://github.com/example/elsewhere.git' })),
    });
    const model = await discoverRepo(root);
    assert.equal(appNamed(model, 'staging', 'apps').unknownReason, undefined);
    assert.deepEqual(model.problems.map((problem) => [path.relative(root, problem.file), problem.message]), [[
      'other/flux.yaml',
      'FluxInstance flux-system/flux syncs GitRepository https://github.com/example/elsewhere.git, which is not this repository: its cluster is not listed (add the URL to repoURLs in .driftline.yaml if it is this one)',
    ]]);
  });

  it('a cluster moved from flux bootstrap to a FluxInstance (gotk-sync.yaml still in Git, same path) is one root, not an app of itself', async () => {
    const root = await fleetRepo({
      'clusters/prod/flux-system/flux.yaml': yaml(fluxInstance('flux-system', { path: 'clusters/prod' })),
      'clusters/prod/flux-system/gotk-sync.yaml': yaml(
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: FLEET_URL } },
        kustomization('flux-system', 'flux-system', 'flux-system', './clusters/prod'),
      ),
      'clusters/prod/apps.yaml': yaml(kustomization('apps', 'flux-system', 'flux-system', './apps')),
      'apps/cm.yaml': configMap('settings'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(model.environments.map((environment) => [environment.name, environment.apps.map((candidate) => candidate.name)]), [['prod', ['apps']]]);
  });

  it('spec.kustomize.patches aimed at the sync Kustomization change how the root builds (postBuild); patches of the controllers change nothing; a patch that fails is a problem', async () => {
    const instance = fluxInstance('flux-system', { path: 'clusters/prod' });
    const root = await fleetRepo({
      'clusters/prod/flux.yaml': yaml({
        ...instance,
        spec: {
          ...instance.spec,
          kustomize: {
            patches: [
              { target: { kind: 'Deployment', name: 'kustomize-controller' }, patch: '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --concurrent=10\n' },
              { target: { kind: 'Kustomization' }, patch: '- op: add\n  path: /spec/postBuild\n  value:\n    substitute:\n      CLUSTER: prod\n' },
            ],
          },
        },
      }),
      'clusters/prod/apps.yaml': yaml(kustomization('apps', 'flux-system', 'flux-system', './apps/${CLUSTER}')),
      'apps/prod/cm.yaml': configMap('settings'),
      'broken/flux.yaml': yaml({
        ...fluxInstance('flux-system', { path: 'clusters/edge' }),
        spec: { ...instance.spec, sync: { ...instance.spec.sync, path: 'clusters/edge' }, kustomize: { patches: [{ target: { kind: 'Kustomization' }, patch: '- op: replace\n  path: /spec/nothing/here\n  value: 1\n' }] } },
      }),
      'clusters/edge/cm.yaml': configMap('edge'),
    });
    const model = await discoverRepo(root);
    const apps = appNamed(model, 'prod', 'apps');
    assert.equal(apps.unknownReason, undefined);
    assert.equal(apps.path, path.join(root, 'apps/prod'));
    assert.deepEqual(model.problems.map((problem) => path.relative(root, problem.file)), ['broken/flux.yaml']);
    assert.match(model.problems[0].message, /^FluxInstance flux-system\/flux: spec\.kustomize\.patches do not apply to its sync Kustomization and GitRepository as the operator applies them: /);
    assert.ok(model.environments.some((environment) => environment.name === 'edge'), 'the unpatched sync still makes the cluster');
  });

  it('a spec.kustomize.patches entry that does not parse is a problem in kustomize\'s own words: no temporary folder of ours, no klog wrapper', async () => {
    const instance = fluxInstance('flux-system', { path: 'clusters/edge' });
    const root = await fleetRepo({
      'clusters/edge/flux.yaml': yaml({ ...instance, spec: { ...instance.spec, kustomize: { patches: [{ target: { kind: 'Kustomization' }, patch: 'kind: Kustomization\nmetadata: {name: flux-system\nspec: [' }] } } }),
      'clusters/edge/cm.yaml': configMap('edge'),
    });
    const [problem] = (await discoverRepo(root)).problems;
    assert.match(problem?.message ?? '', /^FluxInstance flux-system\/flux: spec\.kustomize\.patches do not apply to its sync Kustomization and GitRepository as the operator applies them: trouble configuring builtin PatchTransformer with config: /);
    assert.match(problem.message, /unable to parse SM or JSON patch/);
    assert.doesNotMatch(problem.message, /driftline-flux-instance-|\/tmp\/|command failed|run\.go/);
  });

  it('a ResourceSet with 2 inputs x (Kustomization + HelmRelease) makes 4 apps named as the operator names them, children of the ResourceSet, itself an app under the Kustomization applying it', async () => {
    const root = await fleetRepo({
      ...clusterWithTenants({
        'resourceset.yaml': yaml(resourceSet('team-apps', {
          inputs: [{ tenant: 'Team1', replicas: 2 }, { tenant: 'Team2', replicas: 3 }],
          resources: [
            { ...kustomization('<< inputs.tenant | lower >>-apps', 'flux-system', 'flux-system', './apps/<< inputs.tenant | lower >>') },
            { ...helmReleaseTemplate('podinfo-<< inputs.tenant | lower >>'), spec: { ...helmReleaseTemplate('x').spec, values: { replicaCount: '<< inputs.replicas | int >>' } } },
          ],
        })),
      }),
      'apps/team1/cm.yaml': configMap('one'),
      'apps/team2/cm.yaml': configMap('two'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(appsOf(model, 'prod').map((candidate) => candidate.name), ['podinfo-team1', 'podinfo-team2', 'team-apps', 'team1-apps', 'team2-apps', 'tenants']);
    const resourceSetFile = path.join(root, 'tenants/resourceset.yaml');
    const set = appNamed(model, 'prod', 'team-apps');
    assert.deepEqual(set.controller, { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', name: 'team-apps', namespace: 'flux-system' });
    assert.equal(set.origin, 'flux-resourceset');
    assert.equal(set.renderer, 'resourceset');
    assert.deepEqual(set.flux, { parent: 'flux-system/tenants', dependsOn: [], suspend: false });
    assert.deepEqual(set.declaredAt, { file: resourceSetFile, line: 1 });
    for (const tenant of ['team1', 'team2']) {
      const ks = appNamed(model, 'prod', `${tenant}-apps`);
      assert.equal(ks.unknownReason, undefined);
      assert.equal(ks.path, path.join(root, 'apps', tenant));
      assert.equal(ks.flux?.parent, 'flux-system/team-apps');
      assert.equal(ks.flux?.parentKind, 'ResourceSet');
      assert.equal(ks.declaredAt.file, resourceSetFile);
      assert.deepEqual(ks.controller, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: `${tenant}-apps`, namespace: 'flux-system' });
      const release = appNamed(model, 'prod', `podinfo-${tenant}`);
      assert.deepEqual([release.flux?.parent, release.flux?.parentKind], ['flux-system/team-apps', 'ResourceSet']);
      // The template left the namespace out: the operator applies it in the ResourceSet's.
      assert.equal(release.controller?.namespace, 'flux-system');
    }
    assert.deepEqual(appNamed(model, 'prod', 'podinfo-team2').helm?.values, { replicaCount: 3 });
    // A generated Kustomization renders its folder like any other.
    const [rendered] = await renderApps([appNamed(model, 'prod', 'team2-apps')]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.map(({ object }) => `${object.kind}/${object.metadata.name}`), ['ConfigMap/two']);
  });

  it('the sources a ResourceSet makes are what its Kustomizations name (a GitRepository of this repo builds here); its other objects are the ResourceSet app\'s, rendered in the namespaces it gives', async () => {
    const root = await fleetRepo({
      ...clusterWithTenants({
        'resourceset.yaml': yaml(resourceSet('teams', {
          inputs: [{ team: 'red' }],
          resources: [
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name: '<< inputs.team >>' } },
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: '<< inputs.team >>' }, data: { team: '<< inputs.team >>' } },
            { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: '<< inputs.team >>-repo', namespace: '<< inputs.team >>' }, spec: { url: FLEET_URL, ref: { branch: 'main' } } },
            kustomization('<< inputs.team >>', '<< inputs.team >>', '<< inputs.team >>-repo', './teams/<< inputs.team >>'),
          ],
        })),
      }),
      'teams/red/cm.yaml': configMap('red'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(appsOf(model, 'prod').map((candidate) => candidate.name), ['red', 'teams', 'tenants']);
    const red = appNamed(model, 'prod', 'red');
    assert.equal(red.unknownReason, undefined);
    assert.equal(red.path, path.join(root, 'teams/red'));
    assert.equal(red.controller?.namespace, 'red');
    // The ResourceSet app compares everything the operator applies for it, the Flux objects included.
    const [rendered] = await renderApps([appNamed(model, 'prod', 'teams')]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.map(({ object }) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`),
      ['Namespace//red', 'ConfigMap/red/settings', 'GitRepository/red/red-repo', 'Kustomization/red/red']);
    assert.deepEqual(rendered.objects[1].object.data, { team: 'red' });
    assert.ok(rendered.objects.every(({ source }) => source.file === path.join(root, 'tenants/resourceset.yaml')));
    // The Kustomization applying the ResourceSet compares the ResourceSet object, not what it generates.
    const [tenants] = await renderApps([appNamed(model, 'prod', 'tenants')]);
    assert.deepEqual(tenants.objects.map(({ object }) => `${object.kind}/${object.metadata.name}`), ['ResourceSet/teams']);
  });

  it('a ResourceSet that generates a ResourceSet: each is an app, the inner one and what it generates nested under the outer one', async () => {
    // The outer ResourceSet renders the inner one's template: what it leaves is plain text to the inner one.
    const inner = resourceSet('<< inputs.team >>-apps', { inputs: [{ app: 'web' }], resources: [helmReleaseTemplate('<< inputs.team >>-web')] });
    const root = await fleetRepo(clusterWithTenants({
      'resourceset.yaml': yaml(resourceSet('teams', { inputs: [{ team: 'blue' }], resources: [inner] })),
    }));
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    const tree = buildAppTree(appsOf(model, 'prod'));
    const shape = (nodes: typeof tree): unknown => nodes.map((node) => [node.app.name, shape(node.children)]);
    assert.deepEqual(shape(tree), [['tenants', [['teams', [['blue-apps', [['blue-web', []]]]]]]]]);
    const [outer] = await renderApps([appNamed(model, 'prod', 'teams')]);
    assert.deepEqual(outer.objects.map(({ object }) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`), ['ResourceSet/flux-system/blue-apps']);
    const [innerRendered] = await renderApps([appNamed(model, 'prod', 'blue-apps')]);
    assert.deepEqual(innerRendered.objects.map(({ object }) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`), ['HelmRelease/flux-system/blue-web']);
  });

  it('resourcesTemplate with range and if, and objects annotated reconcile: disabled left out', async () => {
    const root = await fleetRepo(clusterWithTenants({
      'resourceset.yaml': yaml(resourceSet('bundles', {
        inputs: [{ bundle: 'addons', components: ['ingress', 'certs'], enabled: true }, { bundle: 'apps', components: ['web'], enabled: false }],
        resourcesTemplate: [
          '<<- range $component := inputs.components >>',
          '---',
          'apiVersion: helm.toolkit.fluxcd.io/v2',
          'kind: HelmRelease',
          'metadata:',
          '  name: << inputs.bundle >>-<< $component >>',
          '  namespace: flux-system',
          '  annotations:',
          '    fluxcd.controlplane.io/reconcile: << if inputs.enabled >>enabled<< else >>disabled<< end >>',
          'spec:',
          '  chart: { spec: { chart: << $component >>, sourceRef: { kind: HelmRepository, name: charts } } }',
          '<<- end >>',
        ].join('\n'),
      })),
    }));
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(appsOf(model, 'prod').map((candidate) => candidate.name), ['addons-certs', 'addons-ingress', 'bundles', 'tenants']);
  });

  it('inputsFrom a Static ResourceSetInputProvider in the build output gives its defaultValues; Permute makes the product of the providers, each under its name', async () => {
    const root = await fleetRepo(clusterWithTenants({
      'provider.yaml': yaml({
        apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSetInputProvider', metadata: { name: 'cluster-settings', namespace: 'flux-system' },
        spec: { type: 'Static', defaultValues: { env: 'staging' } },
      }),
      'flatten.yaml': yaml(resourceSet('flat', {
        inputsFrom: [{ kind: 'ResourceSetInputProvider', name: 'cluster-settings' }],
        resources: [helmReleaseTemplate('web-<< inputs.env >>-<< inputs.provider.name >>')],
      })),
      'permute.yaml': yaml(resourceSet('my-rset', {
        inputStrategy: { name: 'Permute' },
        inputs: [{ tenant: 'a' }, { tenant: 'b' }],
        inputsFrom: [{ kind: 'ResourceSetInputProvider', selector: { matchLabels: {} } }],
        resources: [helmReleaseTemplate('<< inputs.my_rset.tenant >>-<< inputs.cluster_settings.env >>')],
      })),
    }));
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(appsOf(model, 'prod').map((candidate) => candidate.name), ['a-staging', 'b-staging', 'flat', 'my-rset', 'tenants', 'web-staging-cluster-settings']);
  });

  it('inputsFrom a provider that reads GitHub (or one not in Git, or the UID checksum of a Static one) makes the ResourceSet an Unknown app naming it', async () => {
    const root = await fleetRepo(clusterWithTenants({
      'providers.yaml': yaml(
        { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSetInputProvider', metadata: { name: 'branches', namespace: 'flux-system' }, spec: { type: 'GitHubBranch', url: 'https://github.com/example/app' } },
        { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSetInputProvider', metadata: { name: 'static', namespace: 'flux-system' }, spec: { type: 'Static' } },
      ),
      'previews.yaml': yaml(resourceSet('previews', { inputsFrom: [{ kind: 'ResourceSetInputProvider', name: 'branches' }], resources: [helmReleaseTemplate('preview-<< inputs.id >>')] })),
      'missing.yaml': yaml(resourceSet('missing', { inputsFrom: [{ kind: 'ResourceSetInputProvider', name: 'nowhere' }], resources: [helmReleaseTemplate('x-<< inputs.id >>')] })),
      'by-id.yaml': yaml(resourceSet('by-id', { inputsFrom: [{ kind: 'ResourceSetInputProvider', name: 'static' }], resources: [helmReleaseTemplate('y-<< inputs.id >>')] })),
    }));
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    assert.deepEqual(appsOf(model, 'prod').map((candidate) => candidate.name), ['by-id', 'missing', 'previews', 'tenants']);
    const previews = appNamed(model, 'prod', 'previews');
    assert.equal(previews.unknownReason, 'ResourceSet flux-system/previews is not expanded: inputs come from ResourceSetInputProvider flux-system/branches (GitHubBranch): not in Git');
    assert.equal(previews.flux?.parent, 'flux-system/tenants');
    assert.equal(previews.controller?.kind, 'ResourceSet');
    assert.equal(previews.declaredAt.file, path.join(root, 'tenants/previews.yaml'));
    assert.match(appNamed(model, 'prod', 'missing').unknownReason ?? '', /ResourceSetInputProvider flux-system\/nowhere, which no build of this repo applies: not in Git/);
    assert.match(appNamed(model, 'prod', 'by-id').unknownReason ?? '', /inputs\.id of ResourceSetInputProvider flux-system\/static \(Static\), the checksum of its UID/);
  });

  it('a ResourceSet template that does not render is a problem naming the ResourceSet\'s file; the rest of the cluster is still listed', async () => {
    const root = await fleetRepo(clusterWithTenants({
      'broken.yaml': yaml(resourceSet('broken', { inputs: [{ tenant: 'a' }], resources: [helmReleaseTemplate('<< inputs.tenat >>')] })),
      'unclosed.yaml': yaml(resourceSet('unclosed', { inputs: [{ tenant: 'a' }], resourcesTemplate: '<< if inputs.tenant >>\nkind: ConfigMap\n' })),
      'no-kind.yaml': yaml(resourceSet('no-kind', { inputs: [{ tenant: 'a' }], resources: [{ metadata: { name: '<< inputs.tenant >>' } }] })),
      'good.yaml': yaml(resourceSet('good', { inputs: [{ tenant: 'a' }], resources: [helmReleaseTemplate('<< inputs.tenant >>-web')] })),
    }));
    const model = await discoverRepo(root);
    assert.deepEqual(appsOf(model, 'prod').map((candidate) => candidate.name), ['a-web', 'good', 'tenants']);
    assert.deepEqual(model.problems.map((problem) => [path.relative(root, problem.file), problem.message]), [
      ['tenants/broken.yaml', 'ResourceSet flux-system/broken does not expand as the Flux Operator expands it: resources[0]: map has no entry for key "tenat"'],
      ['tenants/no-kind.yaml', 'ResourceSet flux-system/no-kind does not expand as the Flux Operator expands it: resources[0]: a rendered document is not a Kubernetes object with apiVersion, kind and metadata.name'],
      ['tenants/unclosed.yaml', 'ResourceSet flux-system/unclosed does not expand as the Flux Operator expands it: resourcesTemplate: unexpected end of template: <<if>> has no <<end>>'],
    ]);
  });

  it('a template that fails in a step, or with inputs from a Static provider, is a problem at the ResourceSet\'s file and line, and no Unknown app', async () => {
    const provider = { apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSetInputProvider', metadata: { name: 'static', namespace: 'flux-system' }, spec: { type: 'Static', defaultValues: { env: 'x' } } };
    const root = await fleetRepo(clusterWithTenants({
      'sets.yaml': yaml(
        resourceSet('stepped', { inputs: [{ team: 'blue' }], steps: [{ name: 'one', resources: [helmReleaseTemplate('<< inputs.team | nosuchfunction >>')] }] }),
        provider,
        resourceSet('provided', { inputsFrom: [{ kind: 'ResourceSetInputProvider', name: 'static' }], resources: [helmReleaseTemplate('<< inputs.missing >>')] }),
      ),
    }));
    const model = await discoverRepo(root);
    assert.deepEqual(appsOf(model, 'prod').map((candidate) => [candidate.name, candidate.unknownReason]), [['tenants', undefined]]);
    assert.deepEqual(model.problems.map((problem) => [path.relative(root, problem.file), problem.line, problem.message]), [
      ['tenants/sets.yaml', 34, 'ResourceSet flux-system/provided does not expand as the Flux Operator expands it: resources[0]: map has no entry for key "missing"'],
      ['tenants/sets.yaml', 1, 'ResourceSet flux-system/stepped does not expand as the Flux Operator expands it: step "one": resources[0]: function "nosuchfunction" not defined'],
    ]);
  });

  it('in an untrusted workspace (no kustomize) a FluxInstance still marks its cluster and each ResourceSet says why it is not expanded', async () => {
    const root = await fleetRepo(clusterWithTenants({
      'resourceset.yaml': yaml(resourceSet('tenants', { inputs: [{ tenant: 'a' }], resources: [helmReleaseTemplate('<< inputs.tenant >>')] })),
    }));
    const model = await discoverRepo(root, { allowTools: false });
    assert.deepEqual(model.environments.map((environment) => environment.name), ['prod']);
    assert.deepEqual(model.problems.map((problem) => [path.relative(root, problem.file), problem.message]), [
      ['tenants/resourceset.yaml', 'ResourceSet flux-system/tenants is not expanded: only a kustomize build tells which cluster applies it, and kustomize does not run in an untrusted workspace'],
    ]);
  });

  it('a ResourceSet no Kustomization applies is a problem, not a silent gap', async () => {
    const root = await fleetRepo({
      'loose/resourceset.yaml': yaml(resourceSet('loose', { inputs: [{ a: 'b' }], resources: [helmReleaseTemplate('x')] })),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems.map((problem) => [path.relative(root, problem.file), problem.message]), [
      ['loose/resourceset.yaml', 'ResourceSet flux-system/loose is applied by no Kustomization or FluxInstance of this repo: its objects are not listed'],
    ]);
  });
});
