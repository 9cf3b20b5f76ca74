// The GitOps repository the VS Code suites, the browser suite and `npm run demo` open: environment `dev`
// with two apps, applied to a real cluster and then drifted the way people drift clusters by hand.
//   guestbook  (kustomize, from argocd-example-apps/kustomize-guestbook): its Deployment scaled live -> OutOfSync
//   shop       (plain YAML): a ConfigMap edited live -> OutOfSync, a Secret changed live -> OutOfSync (masked),
//              its Service deleted live -> Missing, a ConfigMap created live with the app's label -> Extra
// Namespaces get a per-run prefix, so several runs can share one cluster.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
// The team's shared test data sits in shared/ beside the checkout (as in test/support/shared.ts).
const examples = path.join(process.env.DRIFTLINE_SHARED ?? path.resolve(here, '../../../shared'), 'gitops-examples');

/** What the repo holds, for tests to assert on. */
export const demo = {
  environment: 'dev',
  apps: { guestbook: 'guestbook', shop: 'shop' },
  drifted: {
    deployment: 'kustomize-guestbook-ui',
    configMap: 'shop-settings',
    secret: 'shop-credentials',
    missingService: 'shop',
    extraConfigMap: 'shop-leftover',
  },
  secretValue: 'hunter2-live',
};

/**
 * Creates the repo in `dir` (a git repo with one commit), applies it with `kubectl apply` to `context` in
 * `kubeconfig`, then drifts it. Returns { dir, namespaces }.
 */
export function createDemoRepo({ dir, kubeconfig, context, prefix }) {
  const namespaces = { guestbook: `${prefix}-guestbook`, shop: `${prefix}-shop` };
  const guestbook = path.join(dir, 'environments/dev/guestbook');
  const shop = path.join(dir, 'environments/dev/shop');
  fs.mkdirSync(shop, { recursive: true });
  fs.cpSync(path.join(examples, 'argocd-example-apps/kustomize-guestbook'), guestbook, { recursive: true });
  fs.appendFileSync(path.join(guestbook, 'kustomization.yaml'), `namespace: ${namespaces.guestbook}\n`);
  writeShop(shop, namespaces.shop);
  fs.mkdirSync(path.join(dir, '.vscode'));
  fs.writeFileSync(path.join(dir, '.vscode/settings.json'), JSON.stringify({
    'driftline.kubeconfig': kubeconfig,
    'driftline.contexts': { dev: context },
    'driftline.refreshIntervalSeconds': 0,
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'README.md'), '# Demo GitOps repo\n\nApps of environment `dev` live in environments/dev/<app>.\n');

  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  // An identity of the repo's own: rollback commits in the demo and its tests must work on a machine whose
  // user has no git identity (a fresh CI machine).
  git('config', 'user.name', 'Driftline Demo');
  git('config', 'user.email', 'demo@driftline.invalid');
  git('add', '.');
  git('commit', '-q', '-m', 'Demo environment dev');

  const kubectl = (args, input) => execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--context', context, ...args],
    { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
  for (const namespace of Object.values(namespaces)) kubectl(['create', 'namespace', namespace]);
  kubectl(['apply', '-k', guestbook]);
  kubectl(['apply', '-f', shop]);
  // The drift, as a person with kubectl would cause it.
  kubectl(['-n', namespaces.guestbook, 'scale', 'deployment', demo.drifted.deployment, '--replicas=3']);
  kubectl(['-n', namespaces.shop, 'patch', 'configmap', demo.drifted.configMap, '--type=merge', '-p', '{"data":{"LOG_LEVEL":"debug"}}']);
  kubectl(['-n', namespaces.shop, 'patch', 'secret', demo.drifted.secret, '--type=merge',
    '-p', JSON.stringify({ stringData: { password: demo.secretValue } })]);
  kubectl(['-n', namespaces.shop, 'delete', 'service', demo.drifted.missingService]);
  kubectl(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: demo.drifted.extraConfigMap, namespace: namespaces.shop, labels: { 'driftline.dev/app': 'shop' },
      annotations: { 'driftline.dev/environment': 'dev' } },
    data: { note: 'created by hand, not in Git' },
  }));
  return { dir, namespaces };
}

function writeShop(folder, namespace) {
  const labels = { 'app.kubernetes.io/name': 'shop', 'driftline.dev/app': 'shop' };
  const annotations = { 'driftline.dev/environment': 'dev' };
  const meta = (name) => ({ name, namespace, labels, annotations });
  const files = {
    'settings.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(demo.drifted.configMap),
      data: { LOG_LEVEL: 'info', CURRENCY: 'EUR' } },
    'credentials.yaml': { apiVersion: 'v1', kind: 'Secret', metadata: meta(demo.drifted.secret), type: 'Opaque',
      stringData: { username: 'shop', password: 'hunter2-git' } },
    'deployment.yaml': { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('shop'), spec: {
      replicas: 2, selector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } },
      template: { metadata: { labels: { 'app.kubernetes.io/name': 'shop' } }, spec: { containers: [{
        name: 'shop', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }],
        envFrom: [{ configMapRef: { name: demo.drifted.configMap } }, { secretRef: { name: demo.drifted.secret } }] }] } } } },
    'service.yaml': { apiVersion: 'v1', kind: 'Service', metadata: meta(demo.drifted.missingService), spec: {
      selector: { 'app.kubernetes.io/name': 'shop' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
  };
  for (const [name, object] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), YAML.stringify(object));
}
