import assert from 'node:assert/strict';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { RenderCache, renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const kustomization = (env: string) => [
  'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: apps', '  namespace: flux-system',
  'spec:', '  sourceRef:', '    kind: GitRepository', '    name: flux-system', `  path: ./apps/${env}`, '',
].join('\n');

describe('Flux HelmReleases with a chart in this repo', () => {
  after(removeTempRepos);

  it('take the values each environment\'s overlay patches in, and render from the chart folder', async () => {
    const root = await writeRepo({
      'clusters/dev/apps.yaml': kustomization('dev'),
      'clusters/prod/apps.yaml': kustomization('prod'),
      'apps/base/kustomization.yaml': 'namespace: web\nresources: [release.yaml]\n',
      'apps/base/release.yaml': [
        'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: web', 'spec:',
        '  chart:', '    spec:', '      chart: ./charts/web', '      valuesFiles: [./charts/web/values-extra.yaml]',
        '      sourceRef:', '        kind: GitRepository', '        name: flux-system', '        namespace: flux-system',
        '  values:', '    replicas: 1', '',
      ].join('\n'),
      'apps/dev/kustomization.yaml': 'resources: [../base]\n',
      'apps/prod/kustomization.yaml': 'resources: [../base]\npatches:\n  - target: { kind: HelmRelease, name: web }\n    patch: |\n      - op: replace\n        path: /spec/values/replicas\n        value: 3\n',
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values-extra.yaml': 'image: web\n',
      'charts/web/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {{ .Values.replicas }}\n',
    });
    const model = await discoverRepo(root);
    const web = (env: string) => model.environments.find((environment) => environment.name === env)!.apps.find((app) => app.name === 'web')!;
    for (const env of ['dev', 'prod']) {
      assert.equal(web(env).renderer, 'helm');
      assert.equal(web(env).unknownReason, undefined);
      assert.equal(web(env).path, path.join(root, 'charts/web'));
      assert.equal(web(env).namespace, 'web');
      assert.deepEqual(web(env).helm?.valuesFiles, [path.join(root, 'charts/web/values-extra.yaml')]);
      assert.equal(web(env).declaredAt.file, path.join(root, 'apps/base/release.yaml'));
    }
    assert.deepEqual(web('dev').helm?.values, { replicas: 1 });
    assert.deepEqual(web('prod').helm?.values, { replicas: 3 });
  });
});

describe('Flux Kustomizations deployed by other Kustomizations (tenants, layers)', () => {
  after(removeTempRepos);

  it('belong to each environment that deploys them; one sourced from another repository is Unknown', async () => {
    const sync = [
      'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: team', '  namespace: team',
      'spec:', '  url: https://github.com/other/team', '---',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: team', '  namespace: team',
      'spec:', '  sourceRef:', '    kind: GitRepository', '    name: team', '  path: ./deploy', '',
    ].join('\n');
    const root = await writeRepo({
      'clusters/staging/tenants.yaml': kustomization('staging').replace('name: apps', 'name: tenants').replace('./apps/staging', './tenants/staging'),
      'clusters/production/tenants.yaml': kustomization('production').replace('name: apps', 'name: tenants').replace('./apps/production', './tenants/production'),
      'tenants/staging/kustomization.yaml': 'resources: [../base/team]\n',
      'tenants/production/kustomization.yaml': 'resources: [../base/team]\n',
      'tenants/base/team/kustomization.yaml': 'resources: [sync.yaml]\n',
      'tenants/base/team/sync.yaml': sync,
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.environments.map((environment) => [environment.name, environment.apps.map((app) => app.name)]),
      [['production', ['team', 'tenants']], ['staging', ['team', 'tenants']]]);
    const team = model.environments[1].apps[0];
    assert.match(team.unknownReason ?? '', /^source GitRepository team\/team is another repository \(https:\/\/github\.com\/other\/team\)/);
    assert.deepEqual(team.controller, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'team', namespace: 'team' });
  });
});

describe('Flux Kustomization components', () => {
  after(removeTempRepos);

  it('are built on top of the folder, and a change to a component affects the app', async () => {
    const root = await writeRepo({
      'clusters/dev/apps.yaml': kustomization('dev').replace('  path: ./apps/dev\n', '  path: ./apps/dev\n  components: [../../components/audit]\n'),
      'apps/dev/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/dev/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
      'components/audit/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs:\n      audit: "on"\n',
    });
    const model = await discoverRepo(root);
    const app = model.environments[0].apps[0];
    assert.deepEqual(app.kustomizeOverlay, { components: [path.join(root, 'components/audit')] });
    const cache = new RenderCache();
    const [rendered] = await renderApps([app], { cache });
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects[0].object.metadata.labels, { audit: 'on' });
    assert.deepEqual(cache.appsAffectedBy([path.join(root, 'components/audit/kustomization.yaml')]).map((affected) => affected.name), ['apps']);
  });
});
