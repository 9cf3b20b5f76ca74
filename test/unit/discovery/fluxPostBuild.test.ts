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
});
