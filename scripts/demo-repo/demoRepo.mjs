// The GitOps repository the VS Code suites, the browser suite and `npm run demo` open: environment `dev` with
// three apps, applied to a real cluster and then drifted the way people drift clusters by hand. Everything in
// it is the project's own: the static files come from scripts/demo-repo/files, the rest is written here, and
// the SOPS Secret is encrypted here with Driftline's own SOPS code (src/core/sops, built to out/) for an age key
// made for this one repo.
//   guestbook  (kustomize, scripts/demo-repo/files/guestbook): its Deployment scaled live -> OutOfSync
//   shop       (plain YAML): a ConfigMap edited live -> OutOfSync, a Secret changed live -> OutOfSync (masked),
//              its Service deleted live -> Missing, a ConfigMap created live with the app's label -> Extra
//   web        (Flux: the Kustomization clusters/dev/web.yaml builds apps/web; the Kustomization is live too, so
//              Suspend/Resume act on it): its ConfigMap edited live -> OutOfSync; its Secret is SOPS-encrypted
//              in Git (age), compared decrypted in memory -> Synced
// The age identity that opens the Secret is written beside the repo (never into it), labelled demo-only; the
// caller puts it in the code-server user settings (`userSettings`). No plaintext value reaches the disk: the
// Secret is encrypted in memory and applied live through kubectl's stdin.
// Namespaces get a per-run prefix, so several runs can share one cluster.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');
const fixtures = path.join(projectRoot, 'scripts/demo-repo/files');
const fluxKustomizationCrd = path.join(projectRoot, 'scripts/cluster/crds/flux-kustomizations.yaml');

/** What the repo holds, for tests to assert on. */
export const demo = {
  environment: 'dev',
  apps: { guestbook: 'guestbook', shop: 'shop', web: 'web' },
  drifted: {
    deployment: 'kustomize-guestbook-ui',
    configMap: 'shop-settings',
    secret: 'shop-credentials',
    missingService: 'shop',
    extraConfigMap: 'shop-leftover',
    webConfigMap: 'web-config',
  },
  secretValue: 'hunter2-live',
  /** The Flux app: its Kustomization and the SOPS-encrypted Secret it deploys (paths relative to the repo). */
  flux: { kustomization: 'web', file: 'clusters/dev/web.yaml', path: 'apps/web' },
  sopsSecret: { name: 'web-api', file: 'apps/web/api-secret.yaml', key: 'API_TOKEN' },
};

/**
 * Creates the repo in `dir` (a git repo with one commit), applies it to `context` in `kubeconfig`, then drifts
 * it. `ageKeyFile` (default: demo-age-key.txt beside `dir`) receives the demo's age identity. Needs `npm run
 * build` first (the SOPS code comes from out/). Returns { dir, namespaces, ageKeyFile, userSettings }, the
 * last being the code-server user settings the repo wants (the age key file for driftline.sops.ageKeyFile).
 */
export async function createDemoRepo({ dir, kubeconfig, context, prefix, ageKeyFile = path.join(path.dirname(dir), 'demo-age-key.txt') }) {
  const namespaces = { guestbook: `${prefix}-guestbook`, shop: `${prefix}-shop`, web: `${prefix}-web` };
  const guestbook = path.join(dir, 'environments/dev/guestbook');
  const shop = path.join(dir, 'environments/dev/shop');
  fs.mkdirSync(shop, { recursive: true });
  fs.cpSync(path.join(fixtures, 'guestbook'), guestbook, { recursive: true });
  fs.appendFileSync(path.join(guestbook, 'kustomization.yaml'), `namespace: ${namespaces.guestbook}\n`);
  writeShop(shop, namespaces.shop);
  const { recipient } = await writeDemoAgeKey(ageKeyFile);
  const web = await writeFluxApp(dir, namespaces.web, recipient);
  fs.mkdirSync(path.join(dir, '.vscode'));
  fs.writeFileSync(path.join(dir, '.vscode/settings.json'), JSON.stringify({
    'driftline.kubeconfig': kubeconfig,
    'driftline.contexts': { dev: context },
    'driftline.refreshIntervalSeconds': 0,
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'README.md'), readme(path.basename(ageKeyFile)));

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
  await installFluxKustomizationCrd(kubectl);
  kubectl(['apply', '-k', guestbook]);
  kubectl(['apply', '-f', shop]);
  // What kustomize-controller would have applied for web: server-side, as its field manager, with its labels,
  // and a Secret as data (it converts stringData); plaintext only on kubectl's stdin.
  kubectl(['apply', '--server-side', '--field-manager=kustomize-controller', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: web.liveObjects }));
  // The Kustomization itself; a 1.20 server refuses the CRD's CEL rules through apply (test/support/crds.ts).
  kubectl(['create', '--validate=false', '-f', path.join(dir, demo.flux.file)]);

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
  kubectl(['-n', namespaces.web, 'patch', 'configmap', demo.drifted.webConfigMap, '--type=merge', '-p', '{"data":{"THEME":"dark"}}']);
  return { dir, namespaces, ageKeyFile, userSettings: { 'driftline.sops.ageKeyFile': ageKeyFile } };
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

/** A fresh age identity for this demo repo only, in an age-keygen style file with a warning. */
async function writeDemoAgeKey(file) {
  const age = await import('age-encryption');
  const identity = await age.generateX25519Identity();
  const recipient = await age.identityToRecipient(identity);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, [
    '# DEMO ONLY: the age identity of one Driftline demo repo, made by scripts/demo-repo/demoRepo.mjs.',
    '# It opens the SOPS-encrypted Secret of that repo; never encrypt anything real for it.',
    `# created: ${new Date().toISOString()}`,
    `# public key: ${recipient}`,
    identity,
    '',
  ].join('\n'), { mode: 0o600 });
  return { recipient };
}

/**
 * The Flux app: clusters/dev/web.yaml (a Kustomization of apps/web, as `flux create kustomization` writes one),
 * apps/web with a Deployment, a ConfigMap and a Secret that .sops.yaml says to encrypt, encrypted by that rule.
 * Returns the objects as kustomize-controller would apply them live.
 */
async function writeFluxApp(dir, namespace, recipient) {
  const { encryptText, findCreationRule } = projectSops();
  const folder = path.join(dir, demo.flux.path);
  fs.mkdirSync(folder, { recursive: true });
  fs.mkdirSync(path.dirname(path.join(dir, demo.flux.file)), { recursive: true });
  fs.writeFileSync(path.join(dir, demo.flux.file), YAML.stringify({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
    metadata: { name: demo.flux.kustomization, namespace },
    spec: {
      interval: '10m', path: `./${demo.flux.path}`, prune: true, targetNamespace: namespace,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      // In a real cluster: kubectl -n <namespace> create secret generic sops-age --from-file=age.agekey=<key file>
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
    },
  }));
  fs.writeFileSync(path.join(dir, '.sops.yaml'), YAML.stringify({
    creation_rules: [{ path_regex: '^apps/.*secret.*\\.yaml$', encrypted_regex: '^(data|stringData)$', age: recipient }],
  }));

  const labels = { 'app.kubernetes.io/name': 'web' };
  const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: demo.drifted.webConfigMap, labels },
    data: { GREETING: 'Hello from Git', THEME: 'light' } };
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels }, spec: {
    replicas: 2, selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{
      name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }],
      envFrom: [{ configMapRef: { name: demo.drifted.webConfigMap } }, { secretRef: { name: demo.sopsSecret.name } }] }] } } } };
  const token = 'demo-token-in-git';
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: demo.sopsSecret.name, labels }, type: 'Opaque',
    stringData: { [demo.sopsSecret.key]: token } };
  fs.writeFileSync(path.join(folder, 'config.yaml'), YAML.stringify(config));
  fs.writeFileSync(path.join(folder, 'deployment.yaml'), YAML.stringify(deployment));
  const secretFile = path.join(dir, demo.sopsSecret.file);
  const rule = findCreationRule(secretFile);
  if (!rule) throw new Error(`no .sops.yaml creation rule covers ${secretFile}`);
  fs.writeFileSync(secretFile, await encryptText(YAML.stringify(secret), 'yaml', { rule, filePath: secretFile }));

  const applied = (object) => ({ ...object, metadata: { ...object.metadata, namespace, labels: { ...object.metadata.labels,
    'kustomize.toolkit.fluxcd.io/name': demo.flux.kustomization, 'kustomize.toolkit.fluxcd.io/namespace': namespace } } });
  const { stringData, ...liveSecret } = secret;
  liveSecret.data = Object.fromEntries(Object.entries(stringData).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  return { liveObjects: [applied(config), applied(deployment), applied(liveSecret)] };
}

/** Driftline's own SOPS implementation, as `npm run build` compiles it. */
function projectSops() {
  return compiled('out/src/core/sops/index.js');
}

function compiled(relative) {
  const entry = path.join(projectRoot, relative);
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  return createRequire(import.meta.url)(entry);
}

/** The Flux Kustomization CRD (the project's copy), created once per cluster and waited for until Established. */
async function installFluxKustomizationCrd(kubectl) {
  try {
    kubectl(['create', '--validate=false', '-f', fluxKustomizationCrd]);
  } catch (error) {
    if (!/AlreadyExists/.test(String(error.stderr))) throw error;
  }
  // `kubectl wait` (and a jsonpath filter) fails at once while a just-created CRD has no conditions yet: poll.
  const established = () => (JSON.parse(kubectl(['get', 'crd', 'kustomizations.kustomize.toolkit.fluxcd.io', '-o', 'json']))
    .status?.conditions ?? []).some((condition) => condition.type === 'Established' && condition.status === 'True');
  const deadline = Date.now() + 60_000;
  while (!established()) {
    if (Date.now() > deadline) throw new Error('the Flux Kustomization CRD was not Established within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function readme(keyFileName) {
  return `# Demo GitOps repo

Made by Driftline's \`npm run demo\` (scripts/demo-repo/demoRepo.mjs); its objects were applied to the local test
cluster and then some were changed there by hand.

| app | where | what drifted live |
|---|---|---|
| guestbook | environments/dev/guestbook (kustomize) | Deployment scaled to 3 (Git says 1) |
| shop | environments/dev/shop (plain YAML) | ConfigMap and Secret edited, Service deleted, a ConfigMap added |
| web | clusters/dev/web.yaml, a Flux Kustomization of apps/web | ConfigMap edited |

apps/web/api-secret.yaml is encrypted with SOPS (age), by the rule in .sops.yaml. Its key is the demo-only
identity in ../${keyFileName} (outside this repo), which the demo put in the user setting
\`driftline.sops.ageKeyFile\`: open the file and choose **Edit Decrypted** to edit the Secret in clear; saving
writes ciphertext only. No Flux controllers run in the demo cluster: Suspend and Resume change the live
Kustomization, and Sync of web asks kustomize-controller, which never answers here.
`;
}
