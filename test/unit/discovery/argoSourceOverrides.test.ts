// Argo CD's parameter override files in an Application's source folder, merged as its repo-server merges them
// (`.argocd-source.yaml`, then `.argocd-source-<app name>.yaml` and `-<namespace>_<name>.yaml`, each a JSON merge patch; chart, path, repoURL
// and targetRevision kept). Real kubectl kustomize and helm.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { stringify } from 'yaml';
import { whyRediscover } from '../../../src/core/discovery/changeAffectsDiscovery';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { appNamed } from '../../support/repoModel';

const REPO_URL = 'https://github.com/example/apps.git';

async function argoRepo(files: Record<string, string>): Promise<string> {
  const root = await writeRepo(files);
  execFileSync('git', ['init', '-q', root]);
  execFileSync('git', ['-C', root, 'remote', 'add', 'origin', REPO_URL]);
  return root;
}

const application = (name: string, source: Record<string, unknown>) => stringify({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
  spec: { project: 'default', source: { repoURL: REPO_URL, targetRevision: 'HEAD', ...source }, destination: { server: 'https://kubernetes.default.svc', namespace: 'web' } },
});
const configMap = (name: string) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

describe('Argo CD parameter override files (.argocd-source.yaml)', () => {
  after(removeTempRepos);

  it('merges .argocd-source.yaml and then .argocd-source-<app>.yaml into a kustomize source; another app\'s file and a changed path are ignored', async () => {
    const root = await argoRepo({
      'argocd/web.yaml': application('web', { path: 'apps/web' }),
      'apps/web/kustomization.yaml': 'resources: [settings.yaml]\n',
      'apps/web/settings.yaml': configMap('settings'),
      'apps/web/.argocd-source.yaml': stringify({ kustomize: { namePrefix: 'shared-', commonLabels: { team: 'blue' } }, path: 'elsewhere' }),
      'apps/web/.argocd-source-web.yaml': stringify({ kustomize: { namePrefix: 'web-', commonLabels: { team: null, tier: 'front' } } }),
      'apps/web/.argocd-source-api.yaml': stringify({ kustomize: { nameSuffix: '-api' } }),
    });
    const app = appNamed(await discoverRepo(root), 'in-cluster', 'web');
    assert.equal(app.unknownReason, undefined);
    assert.equal(app.path, path.join(root, 'apps/web'), 'path is the Application\'s, whatever an override says');
    const [rendered] = await renderApps([app]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.map(({ object }) => [object.metadata.name, object.metadata.labels]), [['web-settings', { tier: 'front' }]]);
  });

  it('an Application outside Argo CD\'s namespace also takes .argocd-source-<namespace>_<name>.yaml, merged last', async () => {
    const root = await argoRepo({
      'argocd/web.yaml': application('web', { path: 'apps/web' }).replace('namespace: argocd', 'namespace: team-a'),
      'apps/web/kustomization.yaml': 'resources: [settings.yaml]\n',
      'apps/web/settings.yaml': configMap('settings'),
      'apps/web/.argocd-source-web.yaml': stringify({ kustomize: { namePrefix: 'web-', nameSuffix: '-old' } }),
      'apps/web/.argocd-source-team-a_web.yaml': stringify({ kustomize: { nameSuffix: '-new' } }),
      'apps/web/.argocd-source-team-b_web.yaml': stringify({ kustomize: { nameSuffix: '-other-namespace' } }),
    });
    const [rendered] = await renderApps([appNamed(await discoverRepo(root), 'in-cluster', 'web')]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.map(({ object }) => object.metadata.name), ['web-settings-new']);
  });

  it('a Helm source in Git takes helm.parameters from .argocd-source-<app>.yaml (as argocd-image-updater writes them)', async () => {
    const root = await argoRepo({
      'argocd/web.yaml': application('web', { path: 'charts/web', helm: { parameters: [{ name: 'image.tag', value: '1.0' }] } }),
      'charts/web/Chart.yaml': stringify({ apiVersion: 'v2', name: 'web', version: '0.1.0' }),
      'charts/web/values.yaml': stringify({ image: { tag: 'latest' } }),
      'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  tag: {{ .Values.image.tag | quote }}\n',
      'charts/web/.argocd-source-web.yaml': stringify({ helm: { parameters: [{ name: 'image.tag', value: '2.5', forceString: true }] } }),
    });
    const [rendered] = await renderApps([appNamed(await discoverRepo(root), 'in-cluster', 'web')]);
    assert.equal(rendered.error, undefined);
    assert.deepEqual(rendered.objects.map(({ object }) => object.data), [{ tag: '2.5' }]);
  });

  it('an override file that is not YAML, or not a mapping, makes the app Unknown naming the file', async () => {
    const root = await argoRepo({
      'argocd/web.yaml': application('web', { path: 'apps/web' }),
      'argocd/api.yaml': application('api', { path: 'apps/api' }),
      'apps/web/kustomization.yaml': 'resources: [settings.yaml]\n', 'apps/web/settings.yaml': configMap('web'),
      'apps/web/.argocd-source.yaml': 'kustomize:\n  namePrefix: [unclosed\n',
      'apps/api/kustomization.yaml': 'resources: [settings.yaml]\n', 'apps/api/settings.yaml': configMap('api'),
      'apps/api/.argocd-source-api.yaml': '- kustomize: {}\n',
    });
    const model = await discoverRepo(root);
    assert.match(appNamed(model, 'in-cluster', 'web').unknownReason ?? '', new RegExp(`^${path.join(root, 'apps/web/.argocd-source.yaml')}:\\d+: invalid YAML`));
    assert.equal(appNamed(model, 'in-cluster', 'api').unknownReason,
      `${path.join(root, 'apps/api/.argocd-source-api.yaml')}: an Argo CD parameter override file is a mapping of source fields (helm:, kustomize:, directory:), not a list`);
  });

  it('an edit to an override file re-discovers (it changes the Application\'s source, not only a render input)', () => {
    const file = '/repo/apps/web/.argocd-source-web.yaml';
    const known = { root: '/repo', controllerFiles: ['/repo/argocd/web.yaml'], chartDirs: [], renderInputs: new Set([file]) };
    assert.equal(whyRediscover({ path: file, isFile: true, namesControllers: false }, known), 'an Argo CD parameter override file');
  });
});
