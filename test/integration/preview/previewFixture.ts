// A fleet repo for branch previews, in a real git repository: a shared base (`base/web`) fed into two
// environments by kustomize overlays, and a plain-YAML app in one of them, laid out as the folder conventions
// find them (`environments/<env>/<app>`). Each environment's namespace is fresh, so live tests never collide.
import { DriftEngine } from '../../../src/core/drift/engine';
import type { PreviewApp, PreviewObject, PreviewResult } from '../../../src/core/preview/model';
import { previewRevisions, type PreviewOptions } from '../../../src/core/preview/preview';
import { testCluster } from '../../support/cluster';
import { makeGitFixture, settleIndex, type GitFixture } from '../git/gitFixture';

export interface Fleet {
  repo: GitFixture;
  prod: string;
  staging: string;
}

export function configMap(name: string, data: Record<string, string>, namespace?: string): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, ...(namespace ? [`  namespace: ${namespace}`] : []), 'data:'];
  return `${[...lines, ...Object.entries(data).map(([key, value]) => `  ${key}: "${value}"`)].join('\n')}\n`;
}

export function service(name: string, namespace: string, port = 80): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  ports:\n    - port: ${port}\n`;
}

/** The fleet on `main`, committed; the checkout stays on main. */
export function makeFleet(prod = 'prod-ns', staging = 'staging-ns'): Fleet {
  const repo = makeGitFixture();
  repo.commit('fleet', {
    'base/web/kustomization.yaml': 'resources:\n  - configmap.yaml\n',
    'base/web/configmap.yaml': configMap('web', { LOG_LEVEL: 'info' }),
    'environments/prod/web/kustomization.yaml': `resources:\n  - ../../../base/web\nnamespace: ${prod}\n`,
    'environments/staging/web/kustomization.yaml': `resources:\n  - ../../../base/web\nnamespace: ${staging}\n`,
    'environments/prod/worker/configmap.yaml': configMap('worker', { QUEUE: 'jobs' }, prod),
    'environments/prod/worker/service.yaml': service('worker', prod),
  });
  return { repo, prod, staging };
}

/** Commits `files` on a new branch off the current one, then goes back, leaving the checkout as it was. */
export function branch(repo: GitFixture, name: string, files: Record<string, string | null>): string {
  const back = repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim();
  repo.git('checkout', '--quiet', '-b', name);
  const sha = repo.commit(`${name}: change`, files);
  repo.git('checkout', '--quiet', back);
  settleIndex(repo);
  return sha;
}

/** One preview with a fresh engine (against the test cluster's kubeconfig), closed afterwards. */
export async function previewOnce(root: string, options: PreviewOptions): Promise<PreviewResult> {
  const engine = new DriftEngine({ repoRoot: root, kubeconfig: testCluster().kubeconfig });
  try {
    return await previewRevisions(engine, options);
  } finally {
    engine.close();
  }
}

export function appOf(result: PreviewResult, environment: string, name: string): PreviewApp {
  const app = result.environments.find((candidate) => candidate.name === environment)?.apps.find((candidate) => candidate.name === name);
  if (!app) throw new Error(`no app ${environment}/${name} in the preview: ${JSON.stringify(result.environments.map((e) => [e.name, e.apps.map((a) => a.name)]))}`);
  return app;
}

export function objectOf(app: PreviewApp, kind: string, name: string): PreviewObject {
  const object = app.objects.find((candidate) => candidate.kind === kind && candidate.name === name);
  if (!object) throw new Error(`no ${kind}/${name} in ${app.environment}/${app.name}: ${app.objects.map((o) => `${o.kind}/${o.name}`).join(', ')}`);
  return object;
}
