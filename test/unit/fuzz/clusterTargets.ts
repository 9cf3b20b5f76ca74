// Fuzz targets for what the cluster layer reads: kubeconfig files, and the API server's answers (a Status body
// turned into a ClusterError, a LIST page, a discovery document, a watch stream), each given straight to the
// code that parses it, through a transport double. A refusal is a ClusterError (KubeconfigError for
// kubeconfig) naming the context and what was asked for.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ClusterClient } from '../../../src/core/cluster/client';
import { Discovery } from '../../../src/core/cluster/discovery';
import { CLUSTER_ERROR_REASONS, ClusterError, describeTarget, errorFromResponse, type CallerIdentity, type FailedCall } from '../../../src/core/cluster/errors';
import { KubeconfigError, loadKubeConfig } from '../../../src/core/cluster/kubeconfig';
import { LiveSnapshot } from '../../../src/core/cluster/liveSnapshot';
import type { Transport } from '../../../src/core/cluster/transport';
import { openWatch, type WatchEvent } from '../../../src/core/cluster/watch';
import { mutatedFile, mutatedText } from './mutate';
import { fixtureObjects } from './seeds';
import { AnyTarget, assertNamedError, defineTarget, expect, PropertyBroken, scratchDir, show } from './target';

const identity: CallerIdentity = { context: 'fuzz-ctx', user: 'fuzz-user', server: 'https://10.0.0.1:6443' };
const CONTEXT_NAME = `"${identity.context}"`;

/** The API's answer as Transport.json hands it on: parsed JSON, or undefined for a body that is not JSON. */
function parsedBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** What a live object looks like in a server's answer: the fixture's objects with server fields added. */
function liveObjects(): Array<Record<string, unknown>> {
  return fixtureObjects().map((object, i) => ({
    ...object,
    metadata: { ...(object.metadata as object), namespace: 'shop', uid: `0000-${i}`, resourceVersion: String(1000 + i), creationTimestamp: '2024-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:metadata': {} } }] },
    status: {},
  }));
}

const STATUS_SEEDS = [
  { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "web" is forbidden: User "fuzz-user" cannot get resource "configmaps" in API group "" in the namespace "shop"', reason: 'Forbidden', details: { name: 'web', kind: 'configmaps' }, code: 403 },
  { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value', reason: 'Invalid', details: { name: 'web', group: 'apps', kind: 'Deployment', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].image' }] }, code: 422 },
  { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas', reason: 'Conflict', code: 409 },
  { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (4242)', reason: 'Expired', code: 410 },
].map((status) => JSON.stringify(status, null, 2));

const CALLS: FailedCall[] = [
  { verb: 'get', ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' } },
  { verb: 'list', collection: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop' } },
  { verb: 'patch', ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' } },
  { verb: 'get version of' },
];

const statusTarget = defineTarget<{ status: number; body: string; call: number }>({
  name: 'API Status answers (errorFromResponse)',
  runs: 2000,
  arbitrary: () => fc.record({
    status: fc.oneof(fc.constantFrom(400, 401, 403, 404, 405, 409, 410, 415, 422, 429, 500, 503, 504), fc.integer({ min: 0, max: 999 })),
    body: mutatedText(STATUS_SEEDS, { syntax: 'json', keys: ['message', 'reason', 'code', 'details', 'causes', 'status'] }),
    call: fc.nat({ max: CALLS.length - 1 }),
  }),
  // A Status whose message is not a string came out with a number as the ClusterError's serverMessage.
  examples: [{ status: 409, body: '{"kind": "Status", "message": 0, "reason": "Conflict"}', call: 0 }],
  check({ status, body, call: index }) {
    const call = CALLS[index];
    // As Transport.json does: the parsed body, else the text.
    const error = errorFromResponse(status, parsedBody(body) ?? body, identity, call);
    expect(error instanceof ClusterError, 'not a ClusterError');
    expect((CLUSTER_ERROR_REASONS as readonly string[]).includes(error.reason), `reason ${String(error.reason)}`);
    expect(typeof error.message === 'string' && error.message.includes(CONTEXT_NAME), `the message does not name the context: ${show(error.message)}`);
    if (error.reason !== 'Unauthorized') {
      expect(error.message.includes(describeTarget(call)), `the message does not name ${describeTarget(call)}: ${show(error.message)}`);
    }
    expect(typeof error.serverMessage === 'string', `serverMessage is a ${typeof error.serverMessage}: ${show(error.serverMessage)}`);
    expect(error.status === status, 'the status is not kept');
  },
});

/** A transport double: each request answers with the next of `answers` (the last one again after that). */
function fakeTransport(answer: (spec: { path: string; query?: Record<string, string | undefined> }) => unknown): Transport {
  return {
    identity,
    json: async (spec: { path: string; query?: Record<string, string | undefined> }) => answer(spec),
  } as unknown as Transport;
}

const CORE_RESOURCES = { kind: 'APIResourceList', groupVersion: 'v1', resources: [
  { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['cm'] },
  { name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['get', 'list', 'watch'] },
  { name: 'services/status', singularName: '', namespaced: true, kind: 'Service', verbs: ['get', 'patch'] },
  { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'] },
] };
const APPS_RESOURCES = { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1', resources: [
  { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['create', 'get', 'list', 'patch', 'watch'], shortNames: ['deploy'], categories: ['all'] },
  { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch'] },
] };

const discoveryTarget = defineTarget<{ body: string; apiVersion: string; kind: string }>({
  name: 'API discovery answers (discovery.ts)',
  runs: 2000,
  arbitrary: () => fc.record({
    body: mutatedText([CORE_RESOURCES, APPS_RESOURCES].map((list) => JSON.stringify(list, null, 2)), { syntax: 'json', keys: ['resources', 'name', 'namespaced', 'kind', 'verbs'] }),
    apiVersion: fc.constantFrom('v1', 'apps/v1'),
    kind: fc.constantFrom('ConfigMap', 'Deployment', 'Service', 'Scale', 'Widget'),
  }),
  examples: [
    // A 2xx answer that is not JSON, or a resource entry that is not an object: TypeErrors out of discovery.
    { body: '<html>502 Bad Gateway</html>', apiVersion: 'v1', kind: 'ConfigMap' },
    { body: '{"resources": [null, {"name": 5, "kind": "ConfigMap", "namespaced": true}]}', apiVersion: 'v1', kind: 'ConfigMap' },
  ],
  async check({ body, apiVersion, kind }) {
    const discovery = new Discovery(fakeTransport(() => parsedBody(body)));
    let resource;
    try {
      resource = await discovery.resourceFor(apiVersion, kind);
    } catch (error) {
      assertNamedError(error, [CONTEXT_NAME, apiVersion], [ClusterError]);
      return;
    }
    if (resource === undefined) return;
    expect(typeof resource.plural === 'string' && resource.plural !== '' && !resource.plural.includes('/'), `plural ${show(resource.plural)}`);
    expect(typeof resource.namespaced === 'boolean', `namespaced ${show(resource.namespaced)}`);
    expect(resource.kind === kind, `kind ${show(resource.kind)}`);
    expect(Array.isArray(resource.verbs) && resource.verbs.every((verb) => typeof verb === 'string'), `verbs ${show(resource.verbs)}`);
  },
});

/** ClusterClient's constructor is private: the tests build one around a transport double. */
const clientWith = (transport: Transport) =>
  new (ClusterClient as unknown as new (transport: Transport, defaultNamespace: string) => ClusterClient)(transport, 'default');

const LIST_SEEDS = (() => {
  const objects = liveObjects();
  const page = (items: unknown[], meta: Record<string, unknown>) => JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: meta, items }, null, 2);
  return [
    page(objects, { resourceVersion: '4242' }),
    page(objects.slice(0, 1), { resourceVersion: '4242', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDI0Mn0' }),
    page([], { resourceVersion: '4243' }),
  ];
})();

const listTarget = defineTarget<{ pages: string[] }>({
  name: 'API LIST answers (client.list, liveSnapshot.ts)',
  runs: 2000,
  arbitrary: () => fc.record({ pages: fc.array(mutatedText(LIST_SEEDS, { syntax: 'json', keys: ['items', 'metadata', 'continue', 'resourceVersion', 'name'] }), { minLength: 1, maxLength: 3 }) }),
  examples: [
    // A 2xx answer that is not JSON, and an item that is null: TypeErrors out of list() and LiveSnapshot.find.
    { pages: ['<html>502 Bad Gateway</html>'] },
    { pages: ['{"items": [null], "metadata": {}}'] },
    // A server repeating its continue token: list() asked for the next page forever.
    { pages: [LIST_SEEDS[1]] },
  ],
  preview: (input) => input.pages.map((page) => show(page)).join(' | '),
  async check({ pages }) {
    let request = 0;
    // The server answers each page request with the next page; a misbehaving one repeats its last.
    const client = clientWith(fakeTransport((spec) => (spec.path === '/api/v1' ? CORE_RESOURCES : parsedBody(pages[Math.min(request++, pages.length - 1)]))));
    const key = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' };
    const what = 'ConfigMap in namespace shop';
    try {
      const listed = await client.list(key.apiVersion, key.kind, { namespace: key.namespace });
      expect(Array.isArray(listed.items), 'items is not a list');
      expect(typeof listed.resourceVersion === 'string', `resourceVersion ${show(listed.resourceVersion)}`);
      for (const item of listed.items) {
        expect(item && typeof item === 'object' && item.apiVersion === 'v1' && item.kind === 'ConfigMap', `item ${show(item)}`);
        expect(item.metadata && typeof item.metadata === 'object' && typeof item.metadata.name === 'string', `an item without metadata.name: ${show(item)}`);
      }
    } catch (error) {
      assertNamedError(error, [CONTEXT_NAME, what], [ClusterError]);
    }
    // The same answers through a snapshot, as the drift engine reads them.
    request = 0;
    const snapshot = await LiveSnapshot.read(client, [key], { concurrency: 1 });
    const outcome = snapshot.outcome(key);
    expect(outcome, 'no outcome for the LIST');
    if (outcome.state === 'failed') {
      expect(typeof outcome.reason === 'string' && outcome.reason.includes(CONTEXT_NAME), `the reason does not name the context: ${show(outcome.reason)}`);
      return;
    }
    for (const name of ['guestbook-ui', 'missing']) {
      const found = snapshot.find({ ...key, name });
      expect(found === undefined || found.metadata.name === name, `find(${name}) gave ${show(found)}`);
    }
    for (const object of snapshot.allObjects()) expect(typeof object.metadata.name === 'string', `an object without a name: ${show(object)}`);
    expect(snapshot.listedVersions().every((version) => typeof version.resourceVersion === 'string'), 'a resourceVersion that is not a string');
  },
});

const WATCH_PATH = '/api/v1/namespaces/shop/configmaps';

const WATCH_SEEDS = (() => {
  const objects = liveObjects();
  const events = [
    ...objects.map((object) => ({ type: 'ADDED', object })),
    { type: 'MODIFIED', object: { ...objects[0], metadata: { ...(objects[0].metadata as object), resourceVersion: '2000' } } },
    { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '2001', annotations: { 'k8s.io/initial-events-end': 'true' } } } },
    { type: 'DELETED', object: objects[objects.length - 1] },
  ];
  const error = { type: 'ERROR', object: JSON.parse(STATUS_SEEDS[3]) as unknown };
  return [events, [...events.slice(0, 2), error]];
})();

interface WatchInput {
  text: string;
  /** Where the stream is cut into chunks (the server's writes, TCP segments): anywhere, mid-character too. */
  cuts: number[];
  /** The connection fails after the last chunk instead of ending. */
  reset: boolean;
}

const watchTarget = defineTarget<WatchInput>({
  name: 'API watch streams (watch.ts)',
  runs: 2000,
  arbitrary() {
    // Structural edits on the events as a JSON list, then one event per line; byte edits on the lines themselves.
    const asLines = (text: string) => {
      const parsed = parsedBody(text);
      return Array.isArray(parsed) ? parsed.map((event) => JSON.stringify(event)).join('\n') + '\n' : text;
    };
    const lines = WATCH_SEEDS.map((events) => events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    return fc.record({
      text: fc.oneof(
        mutatedText(WATCH_SEEDS.map((events) => JSON.stringify(events)), { syntax: 'json', keys: ['type', 'object', 'metadata', 'name', 'code'], maxEdits: 0 }).map(asLines),
        mutatedText(lines, { syntax: 'flat' }),
      ),
      cuts: fc.array(fc.nat({ max: 100_000 }), { maxLength: 6 }),
      reset: fc.boolean(),
    });
  },
  examples: [
    // An event without a type reached the watcher; an ERROR event without an object threw in the stream handler.
    { text: '{}\n', cuts: [], reset: false },
    { text: '{"type": "ERROR", "object": null}\n', cuts: [], reset: false },
    { text: 'null\n', cuts: [], reset: false },
    { text: '{"type": "ADDED", "object": {"metadata": {"name": 5}}}\n', cuts: [], reset: false },
  ],
  preview: (input) => `${show(input.text)} cuts ${input.cuts.join(',')}${input.reset ? ', reset' : ''}`,
  async check({ text, cuts, reset }) {
    const response = new PassThrough();
    const transport = { identity, stream: async () => response } as unknown as Transport;
    const call: FailedCall = { verb: 'watch', collection: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' } };
    const events: WatchEvent[] = [];
    const handle = await openWatch(transport, WATCH_PATH, { resourceVersion: '1000' }, call, (event) => events.push(event));
    const bytes = Buffer.from(text, 'utf8');
    const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
    let from = 0;
    for (const point of [...points, bytes.length]) {
      if (point > from) response.write(bytes.subarray(from, point));
      from = Math.max(from, point);
    }
    if (reset) response.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    else response.end();
    try {
      await handle.done;
    } catch (error) {
      assertNamedError(error, [CONTEXT_NAME], [ClusterError, Error]);
      if (!(error instanceof ClusterError)) expect((error as Error).message.includes(WATCH_PATH), `the error does not name the watch: ${(error as Error).message}`);
    }
    // What a watcher (LiveWatch) reads off each event.
    for (const event of events) {
      if (!['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK'].includes(event.type)) throw new PropertyBroken(`an event of type ${show(event.type)} reached the watcher`);
      if (!event.object || typeof event.object !== 'object' || !event.object.metadata || typeof event.object.metadata !== 'object') {
        throw new PropertyBroken(`an event without object.metadata reached the watcher: ${show(event)}`);
      }
      if (event.type !== 'BOOKMARK' && typeof event.object.metadata.name !== 'string') {
        throw new PropertyBroken(`a ${event.type} event without metadata.name reached the watcher: ${show(event)}`);
      }
    }
  },
});

const KUBECONFIG_SEEDS = [
  // kind's, with the certificate data shortened.
  ['apiVersion: v1', 'kind: Config', 'preferences: {}', 'current-context: kind-shop', 'clusters:', '- cluster:', '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==', '    server: https://127.0.0.1:41234', '  name: kind-shop',
    'contexts:', '- context:', '    cluster: kind-shop', '    user: kind-shop', '    namespace: shop', '  name: kind-shop', 'users:', '- name: kind-shop', '  user:', '    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==', '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=', ''].join('\n'),
  // Two clusters, a token user, an exec plugin user, relative certificate paths, a proxy and skip-verify.
  ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: prod', '  cluster:', '    server: https://prod.example:6443', '    certificate-authority: certs/prod-ca.crt', '    proxy-url: http://proxy.example:3128', '- name: dev', '  cluster:', '    server: https://dev.example:6443', '    insecure-skip-tls-verify: true', '    tls-server-name: dev',
    'users:', '- name: admin', '  user:', '    token: abc.def', '- name: sso', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1', '      command: kubelogin', '      args: [get-token, --server-id, x]', '      env: [{name: A, value: b}]', '      interactiveMode: Never', '- name: basic', '  user:', '    username: u', '    password: p', '    client-certificate: certs/u.crt', '    client-key: certs/u.key',
    'contexts:', '- name: prod-admin', '  context: {cluster: prod, user: admin, namespace: web}', '- name: dev-sso', '  context: {cluster: dev, user: sso}', '- name: dev-basic', '  context: {cluster: dev, user: basic}', '- name: dangling', '  context: {cluster: nowhere, user: nobody}', 'current-context: prod-admin', ''].join('\n'),
];

let kubeDir = '';

const kubeconfigTarget = defineTarget<string[]>({
  name: 'kubeconfig files (kubeconfig.ts)',
  runs: 2000,
  setup() { kubeDir = scratchDir('driftline-fuzz-kubeconfig-'); },
  teardown: () => fs.rmSync(kubeDir, { recursive: true, force: true }),
  examples: [
    // client-node passes fields through as YAML typed them: a context named [a, b]; a CA path that is a number
    // (makePathsAbsolute threw a TypeError from path.isAbsolute).
    ['apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://x:6443"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: [a, b]\n  context: {cluster: c, user: u}\n'],
    ['apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://x:6443", certificate-authority: 5}\nusers: []\ncontexts: []\n'],
  ],
  arbitrary: () => fc.array(mutatedFile(KUBECONFIG_SEEDS, {
    syntax: 'yaml', keys: ['clusters', 'users', 'contexts', 'cluster', 'user', 'context', 'name', 'server', 'current-context', 'namespace', 'exec', 'token', 'certificate-authority'],
  }), { minLength: 1, maxLength: 2, size: 'xsmall' }),
  preview: (files) => files.map((file) => show(file)).join(' | '),
  check(contents) {
    const files = contents.map((content, i) => {
      const file = path.join(kubeDir, `config-${i}`);
      fs.writeFileSync(file, Buffer.from(content, 'latin1'));
      return file;
    });
    const named = (error: unknown) => {
      assertNamedError(error, [], [KubeconfigError]);
      if (!files.some((file) => (error as Error).message.includes(file))) throw new PropertyBroken(`the error names none of ${files.join(', ')}: ${(error as Error).message}`);
    };
    let loaded;
    try {
      loaded = loadKubeConfig([...files, path.join(kubeDir, 'absent')].join(path.delimiter));
    } catch (error) {
      named(error);
      return;
    }
    expect(loaded.currentContext === undefined || typeof loaded.currentContext === 'string', `current-context ${show(loaded.currentContext)}`);
    for (const context of loaded.listContexts()) {
      // What the context picker and the CLI show, and sort by.
      for (const field of ['name', 'cluster', 'file'] as const) expect(typeof context[field] === 'string', `context ${field} is ${show(context[field])}`);
      // A context may name no user (kubectl then sends no credentials).
      for (const field of ['user', 'namespace', 'server'] as const) expect(context[field] === undefined || typeof context[field] === 'string', `context ${field} is ${show(context[field])}`);
      try {
        const client = ClusterClient.forContext(loaded, context.name);
        expect(typeof client.server === 'string' && typeof client.defaultNamespace === 'string', 'a client without server or namespace');
        client.close();
      } catch (error) {
        named(error);
      }
    }
  },
});

export const targets: AnyTarget[] = [statusTarget, discoveryTarget, listTarget, watchTarget, kubeconfigTarget];
