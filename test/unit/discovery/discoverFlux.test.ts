import assert from 'node:assert/strict';
import path from 'node:path';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
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
