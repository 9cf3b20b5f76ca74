import assert from 'node:assert/strict';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

function application(name: string, source: string, destination = '  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n'): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n${destination}  source:\n${source}`;
}

const THIS_REPO = 'https://github.com/acme/gitops.git';

describe('Argo CD Applications', () => {
  after(removeTempRepos);

  it('renders an Application whose source is this repo the way Argo CD detects it: kustomize, helm chart, directory', async () => {
    const root = await writeRepo({
      '.driftline.yaml': `repoURLs: [${THIS_REPO}]\n`,
      'argocd/apps.yaml': [
        application('kust', `    repoURL: ${THIS_REPO}\n    path: kust\n    kustomize:\n      namePrefix: p-\n`),
        application('chart', `    repoURL: git@github.com:acme/gitops\n    path: chart\n    helm:\n      valueFiles: [values-prod.yaml]\n`),
        application('dir', `    repoURL: https://github.com/acme/gitops\n    path: dir\n    directory:\n      recurse: true\n`,
          '  destination:\n    name: prod-cluster\n    namespace: dir\n'),
      ].join('---\n'),
      'kust/kustomization.yaml': 'resources: [cm.yaml]\n',
      'kust/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
      'chart/values-prod.yaml': 'replicas: 2\n',
      'dir/nested/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nested\n',
    });
    const model = await discoverRepo(root);
    assert.deepEqual(model.problems, []);
    const apps = Object.fromEntries(model.environments.flatMap((environment) => environment.apps).map((app) => [app.name, app]));
    assert.equal(apps.kust.renderer, 'kustomize');
    assert.deepEqual(apps.kust.kustomizeOverlay, { namePrefix: 'p-' });
    assert.equal(apps.kust.environment, 'in-cluster');
    assert.equal(apps.kust.namespace, 'web');
    assert.deepEqual(apps.kust.controller, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'kust', namespace: 'argocd' });
    assert.equal(apps.chart.renderer, 'helm');
    assert.deepEqual(apps.chart.helm?.valuesFiles, [path.join(root, 'chart/values-prod.yaml')]);
    assert.equal(apps.dir.renderer, 'yaml');
    assert.equal(apps.dir.recurse, true);
    assert.equal(apps.dir.environment, 'prod-cluster');

    const [kust, , dir] = await renderApps([apps.kust, apps.chart, apps.dir]);
    assert.deepEqual(kust.objects.map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}`), ['web/p-cm']);
    assert.deepEqual(dir.objects.map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}`), ['dir/nested']);
  });

  it('reports an Application pointing at another repository as Unknown with the reason, and keeps the others', async () => {
    const root = await writeRepo({
      '.driftline.yaml': `repoURLs: [${THIS_REPO}]\n`,
      'apps/remote.yaml': application('remote', '    repoURL: https://github.com/someone/else\n    path: guestbook\n'),
      'apps/chart.yaml': application('remote-chart', '    repoURL: https://charts.example.com\n    chart: redis\n    targetRevision: 1.2.3\n'),
      'apps/local.yaml': application('local', `    repoURL: ${THIS_REPO}\n    path: local\n`),
      'local/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    });
    const model = await discoverRepo(root);
    const apps = Object.fromEntries(model.environments.flatMap((environment) => environment.apps).map((app) => [app.name, app]));
    assert.match(apps.remote.unknownReason ?? '', /^source https:\/\/github\.com\/someone\/else is not this repository/);
    // A chart from a Helm repository is fetched when it renders (test/unit/sources/argoHelmApplication.test.ts).
    assert.equal(apps['remote-chart'].unknownReason, undefined);
    assert.deepEqual([apps['remote-chart'].helm?.chart, apps['remote-chart'].helm?.repoURL, apps['remote-chart'].helm?.version], ['redis', 'https://charts.example.com', '1.2.3']);
    assert.equal(apps.local.unknownReason, undefined);
    const rendered = await renderApps(Object.values(apps));
    const byName = Object.fromEntries(rendered.map((result) => [result.app.name, result]));
    assert.match(byName.remote.error ?? '', /not this repository/);
    assert.equal(byName.local.error, undefined);
    assert.equal(byName.local.objects.length, 1);
  });
});
