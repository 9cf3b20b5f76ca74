// Where discovery finds a Kustomization's substituteFrom sources: in what the builds of the cluster holding the
// Kustomization emit (any level of the tree), else nowhere (read live when comparing).
import assert from 'node:assert/strict';
import path from 'node:path';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { RepoModel } from '../../../src/core/model';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const ks = (name: string, folder: string, spec: Record<string, unknown> = {}) => stringify({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', path: folder, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
});
const configMap = (name: string, data: Record<string, string>, namespace?: string) =>
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data });
const appIn = (model: RepoModel, environment: string, name: string) => {
  const found = model.environments.find((candidate) => candidate.name === environment)?.apps.find((candidate) => candidate.name === name);
  assert.ok(found, `no app ${environment}/${name}`);
  return found;
};

describe('Flux postBuild sources in discovery', function () {
  this.timeout(30_000);
  after(removeTempRepos);

  it('finds a source a deeper level of the tree emits, and renders the app with it', async () => {
    const root = await writeRepo({
      'clusters/dev/app.yaml': ks('app', './app', { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'late-vars' }] } }),
      'clusters/dev/infra.yaml': ks('infra', './infra'),
      'infra/deep.yaml': ks('deep', './deep'),
      'deep/vars.yaml': configMap('late-vars', { REGION: 'deep-eu' }, 'flux-system'),
      'app/cm.yaml': configMap('settings', { region: '${REGION}' }),
    });
    const app = appIn(await discoverRepo(root), 'dev', 'app');
    assert.equal(app.substitute?.from[0]?.built?.file, path.join(root, 'deep/vars.yaml'));
    const [rendered] = await renderApps([app]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects[0]?.object.data, { region: 'deep-eu' });
  });

  it('finds sources in folders holding no Flux object (built only for that): a sibling\'s that a child\'s path uses, a generated one, one under a namePrefix, one a leaf below emits', async () => {
    const root = await writeRepo({
      'clusters/dev/vars.yaml': ks('vars', './config/vars'),
      'config/vars/kustomization.yaml': 'resources: [cluster-vars.yaml]\n',
      'config/vars/cluster-vars.yaml': configMap('cluster-vars', { CLUSTER: 'dev' }, 'flux-system'),
      'clusters/dev/gen.yaml': ks('gen', './config/gen'),
      'config/gen/kustomization.yaml': 'namespace: flux-system\nconfigMapGenerator:\n  - name: gen-vars\n    literals: [REGION=eu]\ngeneratorOptions:\n  disableNameSuffixHash: true\n',
      'clusters/dev/prefixed.yaml': ks('prefixed', './config/prefixed'),
      'config/prefixed/kustomization.yaml': 'namePrefix: team-\nnamespace: flux-system\nresources: [vars.yaml]\n',
      'config/prefixed/vars.yaml': configMap('vars', { TEAM: 'a' }),
      'clusters/dev/apps.yaml': ks('apps', './apps', {
        postBuild: { substituteFrom: ['cluster-vars', 'gen-vars', 'team-vars', 'late-vars'].map((name) => ({ kind: 'ConfigMap', name })) },
      }),
      'apps/web.yaml': ks('web', './web/${CLUSTER}'),
      'web/dev/kustomization.yaml': 'resources: [late-vars.yaml]\n',
      'web/dev/late-vars.yaml': configMap('late-vars', { LATE: 'yes' }, 'flux-system'),
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    const web = appIn(model, 'dev', 'web');
    assert.equal(web.unknownReason, undefined);
    assert.equal(web.path, path.join(root, 'web/dev'), '${CLUSTER} comes from the ConfigMap of config/vars');
    const apps = appIn(model, 'dev', 'apps');
    assert.deepEqual(apps.substitute?.from.map((source) => [source.name, source.built?.object.metadata.name, source.built?.object.data]), [
      ['cluster-vars', 'cluster-vars', { CLUSTER: 'dev' }], ['gen-vars', 'gen-vars', { REGION: 'eu' }],
      ['team-vars', 'team-vars', { TEAM: 'a' }], ['late-vars', 'late-vars', { LATE: 'yes' }],
    ]);
    const [rendered] = await renderApps([apps]);
    assert.equal(rendered.error, undefined);
    assert.equal((rendered.objects[0]?.object.spec as { path?: string } | undefined)?.path, './web/dev');
  });

  it('finds a HelmRelease\'s valuesFrom source in a folder holding no Flux object', async () => {
    const root = await writeRepo({
      'clusters/dev/values.yaml': ks('values', './config/values'),
      'config/values/kustomization.yaml': 'resources: [web-values.yaml]\n',
      'config/values/web-values.yaml': configMap('web-values', { 'values.yaml': 'replicas: 3\n' }, 'apps'),
      'clusters/dev/apps.yaml': ks('apps', './apps'),
      'apps/web.yaml': stringify({
        apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'web', namespace: 'apps' },
        spec: { chart: { spec: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } } }, valuesFrom: [{ kind: 'ConfigMap', name: 'web-values' }] },
      }),
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    });
    const web = appIn(await discoverRepo(root), 'dev', 'web');
    assert.equal(web.unknownReason, undefined);
    assert.deepEqual(web.helm?.release?.valuesFrom.map((source) => [source.name, source.built?.file]), [['web-values', path.join(root, 'config/values/web-values.yaml')]]);
  });

  it('says so when a child\'s spec.path keeps a variable only the cluster knows, instead of a folder that does not exist', async () => {
    const root = await writeRepo({
      'clusters/dev/apps.yaml': ks('apps', './apps', { postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'live-only' }] } }),
      'apps/child.yaml': ks('child', './deploy/${CLUSTER}'),
      'deploy/dev/cm.yaml': configMap('deployed', { a: 'b' }),
    });
    const child = appIn(await discoverRepo(root), 'dev', 'child');
    assert.match(child.unknownReason ?? '', /^spec\.path \.\/deploy\/\$\{CLUSTER\} \(.*\) keeps a postBuild variable of its parent that only the cluster or a SOPS key knows/);
  });

  it('makes a HelmRelease or Kustomization Unknown when its parent\'s postBuild leaves variables in it that only the cluster knows (not when a SOPS Secret may hold them)', async () => {
    const helmRelease = (name: string, values: Record<string, string>) => stringify({
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'apps' },
      spec: { chart: { spec: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } } }, values },
    });
    const root = await writeRepo({
      'clusters/dev/apps.yaml': ks('apps', './apps', { postBuild: { substitute: { KNOWN: 'k' }, substituteFrom: [{ kind: 'ConfigMap', name: 'live-only' }] } }),
      'apps/web.yaml': helmRelease('web', { host: 'web.${DOMAIN}', known: '${KNOWN}' }),
      'apps/escaped.yaml': helmRelease('escaped', { script: 'echo $${HOME}', known: '${KNOWN}' }),
      'apps/child.yaml': ks('child', './deploy', { targetNamespace: '${TEAM_NS}' }),
      'deploy/cm.yaml': configMap('deployed', { a: 'b' }),
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    });
    const model = await discoverRepo(root);
    assert.equal(appIn(model, 'dev', 'web').unknownReason,
      'uses ${DOMAIN}, which the postBuild of the Kustomization applying it reads from the cluster (substituteFrom ConfigMap flux-system/live-only): discovery cannot substitute it');
    assert.match(appIn(model, 'dev', 'child').unknownReason ?? '', /^uses \$\{TEAM_NS\}, which the postBuild/);
    assert.equal(appIn(model, 'dev', 'escaped').unknownReason, undefined, '$${HOME} is written for a literal ${HOME}');
    assert.deepEqual(appIn(model, 'dev', 'escaped').helm?.values, { script: 'echo ${HOME}', known: 'k' });

    // With a SOPS-encrypted source of the build output, discovery (which has no key) cannot tell where ${DOMAIN} comes from.
    const withSops = await writeRepo({
      'clusters/dev/apps.yaml': ks('apps', './apps', { postBuild: { substituteFrom: [{ kind: 'Secret', name: 'sops-vars' }] } }),
      'clusters/dev/sops-vars.yaml': stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-vars', namespace: 'flux-system' },
        stringData: { DOMAIN: 'ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]' }, sops: { mac: 'x', lastmodified: '2024-01-01T00:00:00Z' } }),
      'apps/web.yaml': helmRelease('web', { host: 'web.${DOMAIN}' }),
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    });
    assert.equal(appIn(await discoverRepo(withSops), 'dev', 'web').unknownReason, undefined);
  });

  it('looks a kubeConfig Kustomization\'s sources up in the cluster holding it, not the one it applies to', async () => {
    const root = await writeRepo({
      '.driftline.yaml': 'kubeConfigs:\n  flux-system/spoke-kubeconfig: ctx-spoke\n',
      'clusters/hub/vars.yaml': configMap('hub-vars', { REGION: 'hub-eu' }, 'flux-system'),
      'clusters/hub/spoke.yaml': ks('spoke', './spoke', {
        kubeConfig: { secretRef: { name: 'spoke-kubeconfig' } }, postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'hub-vars' }, { kind: 'Secret', name: 'hub-secret' }] },
      }),
      'spoke/cm.yaml': configMap('settings', { region: '${REGION}' }),
    });
    const spoke = appIn(await discoverRepo(root), 'ctx-spoke', 'spoke');
    assert.equal(spoke.substitute?.sourcesEnvironment, 'hub');
    assert.equal(spoke.substitute?.from[0]?.built?.file, path.join(root, 'clusters/hub/vars.yaml'));
    assert.equal(spoke.substitute?.from[1]?.built, undefined, 'not built: read live from the hub cluster');
  });

  it('looks a kubeConfig HelmRelease\'s valuesFrom up in the cluster holding it, not the one it installs into', async () => {
    const root = await writeRepo({
      '.driftline.yaml': 'kubeConfigs:\n  flux-system/spoke-kubeconfig: ctx-spoke\n',
      'clusters/hub/hub-values.yaml': configMap('hub-values', { 'values.yaml': 'replicas: 2\n' }, 'flux-system'),
      'clusters/hub/web.yaml': stringify({
        apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'web', namespace: 'flux-system' },
        spec: {
          kubeConfig: { secretRef: { name: 'spoke-kubeconfig' } },
          chart: { spec: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'flux-system' } } },
          valuesFrom: [{ kind: 'ConfigMap', name: 'hub-values' }, { kind: 'Secret', name: 'hub-secret' }],
        },
      }),
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    });
    const web = appIn(await discoverRepo(root), 'ctx-spoke', 'web');
    assert.equal(web.helm?.release?.sourcesEnvironment, 'hub', 'helm-controller in the hub reads the values there');
    assert.equal(web.helm?.release?.valuesFrom[0]?.built?.file, path.join(root, 'clusters/hub/hub-values.yaml'), 'taken from the hub\'s build output');
    assert.equal(web.helm?.release?.valuesFrom[1]?.built, undefined, 'not built: read live from the hub cluster');
  });
});
