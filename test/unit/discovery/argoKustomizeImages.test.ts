// Argo CD `kustomize.images` strings (`kustomize edit set image` arguments) change a kustomize source's images as
// Argo CD's repo-server does: rendered with real kubectl kustomize.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import { renderApps } from '../../../src/core/render/renderApps';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { appNamed } from '../../support/repoModel';

const REPO_URL = 'https://github.com/example/apps.git';
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('Argo CD kustomize.images', () => {
  after(removeTempRepos);

  it('sets tags, new names and digests as `kustomize edit set image` writes them', async () => {
    const root = await writeRepo({
      'argocd/web.yaml': stringify({
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'argocd' },
        spec: {
          project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
          source: {
            repoURL: REPO_URL, targetRevision: 'HEAD', path: 'apps/web',
            kustomize: { images: ['nginx:1.25', `busybox=registry.example:5000/tools/busybox@${DIGEST}`, 'redis=mirror.example/redis:7', { name: 'envoy', newTag: 'v1.30' }] },
          },
        },
      }),
      'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'apps/web/deployment.yaml': stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: ['nginx', 'busybox', 'redis:6', 'envoy'].map((image, index) => ({ name: `c${index}`, image })) },
          },
        },
      }),
    });
    execFileSync('git', ['init', '-q', root]);
    execFileSync('git', ['-C', root, 'remote', 'add', 'origin', REPO_URL]);
    const [rendered] = await renderApps([appNamed(await discoverRepo(root), 'in-cluster', 'web')]);
    assert.equal(rendered.error, undefined);
    const spec = rendered.objects[0].object.spec as { template: { spec: { containers: { image: string }[] } } };
    assert.deepEqual(spec.template.spec.containers.map((container) => container.image),
      ['nginx:1.25', `registry.example:5000/tools/busybox@${DIGEST}`, 'mirror.example/redis:7', 'envoy:v1.30']);
  });
});
