import assert from 'node:assert/strict';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { renderApp } from '../../../src/core/render/renderApp';
import { substituteText } from '../../../src/core/render/substituteVariables';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

describe('Flux post-build substitution', () => {
  after(removeTempRepos);

  it('replaces ${var} the way kustomize-controller does: values, defaults, escapes, unknown variables', () => {
    const variables = { region: 'eu', empty: '' };
    const text = 'a: ${region}\nb: ${missing:=fallback}\nc: ${empty:-x}\nd: ${empty=y}\ne: $${region}\nf: ${missing}\n';
    assert.equal(substituteText(text, { variables, fromCluster: false }), 'a: eu\nb: fallback\nc: x\nd: \ne: ${region}\nf: \n');
    assert.equal(substituteText('f: ${missing}', { variables, fromCluster: true }), 'f: ${missing}', 'values from the cluster are unknown here');
  });

  it('renders a Flux Kustomization with postBuild.substitute applied, typed like YAML, skipping objects that opt out', async () => {
    const root = await writeRepo({
      'clusters/dev/app.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: app', '  namespace: flux-system',
        'spec:', '  sourceRef:', '    kind: GitRepository', '    name: flux-system', '  path: ./app',
        '  postBuild:', '    substitute:', '      replicas: "3"', '      env: dev',
      ].join('\n'),
      'app/kustomization.yaml': 'resources: [deploy.yaml, raw.yaml]\n',
      'app/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${env}\nspec:\n  replicas: ${replicas}\n',
      'app/raw.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  script: echo ${HOME}\n',
    });
    const model = await discoverRepo(root);
    const app = model.environments[0].apps[0];
    assert.deepEqual(app.substitute, { variables: { replicas: '3', env: 'dev' }, fromCluster: false });
    const rendered = await renderApp(app);
    assert.equal(rendered.error, undefined);
    const deployment = rendered.objects.find(({ object }) => object.kind === 'Deployment')!;
    assert.equal(deployment.object.metadata.name, 'web-dev');
    assert.equal((deployment.object.spec as { replicas: unknown }).replicas, 3);
    const raw = rendered.objects.find(({ object }) => object.kind === 'ConfigMap')!;
    assert.deepEqual(raw.object.data, { script: 'echo ${HOME}' });
  });
});
