// Puts the generated repository into the cluster and then drifts it by a known, seeded set of changes:
// about 5% of objects changed on fields Driftline owns, 1% deleted, 1% extra owned objects, and 0.5% with
// a label added live by another field manager (not drift: server-side apply keeps it, kubectl agrees).
import YAML from 'yaml';
import { APP_LABEL, ENV_ANNOTATION, widgetCrd } from './generate.mjs';
import { kubectl, mapBounded } from './kubectl.mjs';

export const FIELD_MANAGER = 'driftline';
const DRIFT_MANAGER = 'bench-drift';

/** `Kind/namespace/name`, the key every verdict table of the benchmark uses. */
export const keyOf = (o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

const docs = (objects) => objects.map((o) => YAML.stringify(o, { lineWidth: 0 })).join('---\n');

/** Renders every overlay with `kubectl kustomize`: the desired objects as kubectl diff will see them. */
export async function renderAll(apps, concurrency = 4) {
  return mapBounded(apps, concurrency, async (app) => {
    const { stdout } = await kubectl(['kustomize', app.overlay]);
    return { ...app, objects: YAML.parseAllDocuments(stdout).map((d) => d.toJS()).filter(Boolean) };
  });
}

/** Namespaces, the Widget CRD, then every object by server-side apply as field manager `driftline`. */
export async function applyBaseline({ kubeconfig, context, environments, rendered }) {
  const k = { kubeconfig, context };
  const namespaces = environments.map(({ namespace }) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
  await kubectl(['apply', '--server-side', '--field-manager', FIELD_MANAGER, '-f', '-'], { ...k, input: docs([...namespaces, widgetCrd()]) });
  await kubectl(['wait', '--for', 'condition=established', '--timeout', '60s', `crd/${widgetCrd().metadata.name}`], k);
  const all = rendered.flatMap((app) => app.objects);
  // Several kubectl processes in parallel: one alone sends its requests one by one.
  const chunks = [];
  for (let i = 0; i < all.length; i += 250) chunks.push(all.slice(i, i + 250));
  await mapBounded(chunks, 4, (chunk) =>
    kubectl(['apply', '--server-side', '--field-manager', FIELD_MANAGER, '-f', '-'], { ...k, input: docs(chunk) }));
}

/** A small seeded PRNG (mulberry32): the same drift set on every run of a size. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(items, next) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const partial = (o, body) => ({
  apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, ...body,
});

/** A change of a field Driftline owns, as a partial object another manager force-applies. */
function ownedFieldChange(o, variant) {
  switch (o.kind) {
    case 'Deployment':
      return variant % 2 === 0
        ? { how: 'spec.replicas changed live', patch: partial(o, { spec: { replicas: 7 } }) }
        : { how: 'container image changed live', patch: partial(o, { spec: { template: { spec: { containers: [{ name: 'main', image: 'registry.example.com/hotfix:0.0.1' }] } } } }) };
    case 'Service':
      return { how: 'annotation value changed live', patch: partial(o, { metadata: { ...partial(o).metadata, annotations: { 'bench.driftline.dev/owner': 'someone-else' } } }) };
    case 'ConfigMap':
      return { how: 'data.LOG_LEVEL changed live', patch: partial(o, { data: { LOG_LEVEL: 'trace' } }) };
    case 'Secret': {
      const key = o.stringData ? 'password' : 'token';
      return { how: `data.${key} changed live`, patch: partial(o, { data: { [key]: Buffer.from('changed-live').toString('base64') } }) };
    }
    case 'ServiceAccount':
      return { how: 'automountServiceAccountToken changed live', patch: partial(o, { automountServiceAccountToken: true }) };
    case 'Widget':
      return { how: 'spec.size changed live', patch: partial(o, { spec: { size: 9 } }) };
    default:
      throw new Error(`bench drift: no change for kind ${o.kind}`);
  }
}

/** A field removed live (JSON patch, manager kubectl-patch); only kinds with a removable owned field. */
function ownedFieldRemoval(o) {
  if (o.kind === 'ConfigMap') return { how: 'data.REPLICA_HINT removed live', jsonPatch: [{ op: 'remove', path: '/data/REPLICA_HINT' }] };
  if (o.kind === 'Widget') return { how: 'spec.tags removed live', jsonPatch: [{ op: 'remove', path: '/spec/tags' }] };
  return undefined;
}

const resourceOf = (o) => (o.kind === 'Widget' ? `widgets.${o.apiVersion.split('/')[0]}` : o.kind.toLowerCase());

/**
 * Applies the drift set and returns it with the verdict each object should get.
 * @returns {Promise<{ expected: Map<string, 'Synced'|'OutOfSync'|'Missing'>, extras: string[],
 *   changes: { key: string, how: string }[] }>}
 */
export async function induceDrift({ kubeconfig, context, rendered, seed = 7 }) {
  const k = { kubeconfig, context };
  const next = random(seed);
  const all = rendered.flatMap((app) => app.objects.map((object) => ({ app, object })));
  const order = shuffled(all, next);
  const changedCount = Math.round(all.length * 0.05);
  const deletedCount = Math.round(all.length * 0.01);
  const labelledCount = Math.round(all.length * 0.005);
  const changed = order.slice(0, changedCount);
  const deleted = order.slice(changedCount, changedCount + deletedCount);
  const labelled = order.slice(changedCount + deletedCount, changedCount + deletedCount + labelledCount);

  const expected = new Map(all.map(({ object }) => [keyOf(object), 'Synced']));
  const changes = [];
  const applyPatches = [];
  const removals = [];
  changed.forEach(({ object }, i) => {
    const removal = i % 5 === 4 ? ownedFieldRemoval(object) : undefined;
    if (removal) removals.push({ object, ...removal });
    else {
      const change = ownedFieldChange(object, i);
      applyPatches.push(change.patch);
      changes.push({ key: keyOf(object), how: change.how });
    }
    expected.set(keyOf(object), 'OutOfSync');
  });
  for (const { object } of labelled) {
    applyPatches.push(partial(object, { metadata: { ...partial(object).metadata, labels: { 'bench.driftline.dev/touched-live': 'by-hand' } } }));
    changes.push({ key: keyOf(object), how: 'label added live by another manager (not drift)' });
  }
  await kubectl(['apply', '--server-side', '--force-conflicts', '--validate=false', '--field-manager', DRIFT_MANAGER, '-f', '-'], { ...k, input: docs(applyPatches) });
  await mapBounded(removals, 4, async ({ object, how, jsonPatch }) => {
    await kubectl(['patch', resourceOf(object), object.metadata.name, '-n', object.metadata.namespace, '--type', 'json', '-p', JSON.stringify(jsonPatch)], k);
    changes.push({ key: keyOf(object), how });
  });
  await kubectl(['delete', '--wait=false', '-f', '-'], { ...k, input: docs(deleted.map(({ object }) => partial(object))) });
  for (const { object } of deleted) {
    expected.set(keyOf(object), 'Missing');
    changes.push({ key: keyOf(object), how: 'deleted live' });
  }

  const extraCount = Math.round(all.length * 0.01);
  const apps = shuffled(rendered, next).slice(0, extraCount);
  const extras = apps.map(({ app, env, namespace }, i) => ({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: `${app}-extra-${i + 1}`, namespace, labels: { [APP_LABEL]: app }, annotations: { [ENV_ANNOTATION]: env } },
    data: { leftover: 'true' },
  }));
  await kubectl(['apply', '--server-side', '--field-manager', FIELD_MANAGER, '-f', '-'], { ...k, input: docs(extras) });
  return { expected, extras: extras.map(keyOf), changes };
}
