// Generates the benchmark's GitOps repository: E environments x A apps x R objects of mixed kinds, as
// kustomize bases (`base/<app>`) and one overlay per environment (`environments/<env>/<app>`, a folder
// convention discovery knows), committed to a fresh git repository in a temp dir.
// Deterministic for a given size, so every run and every tool sees the same objects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

export const WIDGET_GROUP = 'bench.driftline.dev';
export const APP_LABEL = 'driftline.dev/app';
export const ENV_ANNOTATION = 'driftline.dev/environment';

const ENV_NAMES = ['dev', 'staging', 'production', 'qa', 'perf', 'canary'];

/** The kinds an app holds, in order; an app of R objects takes the first R (cycling for R > 12). */
const KIND_CYCLE = [
  'Deployment', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Widget',
  'ConfigMap', 'Deployment', 'Service', 'Secret', 'ConfigMap', 'Widget',
];

export function environmentNames(count) {
  return Array.from({ length: count }, (_, i) => ENV_NAMES[i] ?? `env-${i + 1}`);
}

export function appNames(count) {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `app-${String(i + 1).padStart(width, '0')}`);
}

export function namespaceOf(env) {
  return `bench-${env}`;
}

/** The CRD the apps' Widget objects need; installed once per cluster, outside any app. */
export function widgetCrd() {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${WIDGET_GROUP}` },
    spec: {
      group: WIDGET_GROUP,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: {
          type: 'object',
          properties: {
            size: { type: 'integer' },
            color: { type: 'string' },
            tags: { type: 'array', items: { type: 'string' } },
            limits: { type: 'object', additionalProperties: { type: 'string' } },
          },
        } } } },
      }],
    },
  };
}

/** The base objects of one app: R objects, names unique within the app. */
function baseObjects(app, objectsPerApp) {
  const counters = {};
  const objects = [];
  for (let i = 0; i < objectsPerApp; i++) {
    const kind = KIND_CYCLE[i % KIND_CYCLE.length];
    counters[kind] = (counters[kind] ?? 0) + 1;
    const name = `${app}-${kind.toLowerCase()}-${counters[kind]}`;
    objects.push(makeObject(kind, name, app, i, counters[kind]));
  }
  return objects;
}

function makeObject(kind, name, app, index, ordinal) {
  const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': name };
  const metadata = { name, labels, annotations: { 'bench.driftline.dev/owner': 'team-bench' } };
  switch (kind) {
    case 'Deployment':
      return {
        apiVersion: 'apps/v1', kind, metadata,
        spec: {
          replicas: 1,
          selector: { matchLabels: { 'app.kubernetes.io/component': name } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/component': name } },
            spec: {
              serviceAccountName: `${app}-serviceaccount-1`,
              containers: [{
                name: 'main',
                image: `registry.example.com/${app}:1.${index}.0`,
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                env: [{ name: 'LOG_FORMAT', value: 'json' }, { name: 'PORT', value: '8080' }],
                // '0.5' and '64Mi' exercise quantity normalization: the server stores 500m.
                resources: { requests: { cpu: '0.5', memory: '64Mi' }, limits: { memory: '128Mi' } },
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              }],
            },
          },
        },
      };
    case 'Service':
      // An app's first Service gets a cluster IP from the server (which must not read as drift); the others
      // are headless, as the test cluster's service range (/24) holds only 254 addresses.
      return {
        apiVersion: 'v1', kind, metadata,
        spec: {
          ...(name.endsWith('-service-1') ? {} : { clusterIP: 'None' }),
          selector: { 'app.kubernetes.io/component': `${app}-deployment-1` },
          ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
        },
      };
    case 'ConfigMap':
      return {
        apiVersion: 'v1', kind, metadata,
        data: { 'app.properties': `name=${name}\ncache.size=${64 * (index + 1)}\n`, LOG_LEVEL: 'info', REPLICA_HINT: '1' },
      };
    case 'Secret':
      // Half the Secrets (every app's first) use stringData, which the server stores as data: never drift by itself.
      return ordinal % 2 === 1
        ? { apiVersion: 'v1', kind, metadata, type: 'Opaque', stringData: { username: app, password: `pw-${name}` } }
        : { apiVersion: 'v1', kind, metadata, type: 'Opaque',
          data: { token: Buffer.from(`token-${name}`).toString('base64') } };
    case 'ServiceAccount':
      return { apiVersion: 'v1', kind, metadata, automountServiceAccountToken: false };
    case 'Widget':
      return {
        apiVersion: `${WIDGET_GROUP}/v1`, kind, metadata,
        spec: { size: 3, color: 'blue', tags: ['bench', app], limits: { cpu: '1' } },
      };
    default:
      throw new Error(`bench generator: no template for kind ${kind}`);
  }
}

/** The overlay patch of one app in one environment; the incremental measurement edits LOG_LEVEL in it. */
function overlayPatch(app, env, envIndex) {
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-configmap-1` },
      data: { LOG_LEVEL: env === 'production' ? 'warn' : 'debug', ENVIRONMENT: env } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${app}-deployment-1` },
      spec: { replicas: envIndex + 1 } },
  ];
}

const yamlDocs = (objects) => objects.map((o) => YAML.stringify(o, { lineWidth: 0 })).join('---\n');

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function git(cwd, ...args) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${result.stderr}`);
}

/**
 * Writes the repository and commits it.
 * @param {{ environments: number, apps: number, objectsPerApp: number, context: string, dir?: string }} size
 * @returns {{ root: string, environments: { name: string, namespace: string }[],
 *   apps: { env: string, app: string, namespace: string, overlay: string, patchFile: string }[] }}
 */
export function generateRepo({ environments, apps, objectsPerApp, context, dir }) {
  // Below 6 an app would lack a kind the overlay patches or the Deployment references.
  if (objectsPerApp < 6) throw new Error(`bench generator: objectsPerApp must be at least 6, got ${objectsPerApp}`);
  const root = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-bench-repo-'));
  const envs = environmentNames(environments).map((name) => ({ name, namespace: namespaceOf(name) }));
  const names = appNames(apps);
  const appList = [];
  write(path.join(root, 'platform/crds/widgets.yaml'), yamlDocs([widgetCrd()]));
  for (const app of names) {
    const objects = baseObjects(app, objectsPerApp);
    const files = objects.map((o) => `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
    objects.forEach((o, i) => write(path.join(root, 'base', app, files[i]), yamlDocs([o])));
    write(path.join(root, 'base', app, 'kustomization.yaml'),
      YAML.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files }));
    envs.forEach(({ name: env, namespace }, envIndex) => {
      const overlay = path.join(root, 'environments', env, app);
      write(path.join(overlay, 'patch.yaml'), yamlDocs(overlayPatch(app, env, envIndex)));
      write(path.join(overlay, 'kustomization.yaml'), YAML.stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace,
        resources: [`../../../base/${app}`],
        labels: [{ pairs: { [APP_LABEL]: app }, includeSelectors: false }],
        commonAnnotations: { [ENV_ANNOTATION]: env },
        patches: [{ path: 'patch.yaml' }],
      }));
      appList.push({ env, app, namespace, overlay, patchFile: path.join(overlay, 'patch.yaml') });
    });
  }
  write(path.join(root, '.driftline.yaml'), YAML.stringify({
    environments: envs.map(({ name }) => ({ name, context })),
  }));
  write(path.join(root, 'README.md'), `Generated by driftline bench/generate.mjs: ${envs.length} environments x ${apps} apps x ${objectsPerApp} objects.\n`);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, '-c', 'user.name=bench', '-c', 'user.email=bench@driftline.dev', 'commit', '-q', '-m', 'Generated benchmark repo');
  return { root, environments: envs, apps: appList };
}
