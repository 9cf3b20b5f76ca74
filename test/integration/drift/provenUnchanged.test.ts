// The managedFields proof (provenUnchanged.ts) against the real API server: for each way an object can stand
// next to Git (unchanged, others' additions to lists and maps of every merge type, atomic fields replaced, Git
// dropping fields we applied, applied by another tool, defaulted values), the proof must hold only where the
// server's own dry-run says the apply changes nothing, and must hold in the common unchanged cases.
import * as assert from 'node:assert/strict';
import type { ClusterClient } from '../../../src/core/cluster/client';
import { changedPaths } from '../../../src/core/drift/changedPaths';
import { beforeDryRunSteps, normalize } from '../../../src/core/drift/normalize';
import { applyChangesNothing } from '../../../src/core/drift/provenUnchanged';
import { DRIFTLINE_FIELD_MANAGER, type KubeObject } from '../../../src/core/model';
import { testClient } from '../../support/cluster';
import { createUnlessExists, waitUntilEstablished } from '../../support/crds';
import { freshNamespace } from '../../support/namespace';

const GROUP = 'proof.driftline.dev';
const API_VERSION = `${GROUP}/v1`;

const gadgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `gadgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: {
        atomicMap: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' },
        granularMap: { type: 'object', additionalProperties: { type: 'string' } },
        atomicList: { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } } },
        setList: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        mapList: {
          type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
        },
        size: { type: 'integer', default: 3 },
      } } } } },
    }],
  },
};

type Spec = Record<string, unknown>;
const baseSpec = (): Spec => ({
  atomicMap: { a: '1' },
  granularMap: { a: '1' },
  atomicList: [{ name: 'x', value: '1' }],
  setList: ['a'],
  mapList: [{ name: 'x', value: '1' }],
});

interface Scenario {
  name: string;
  /** What Driftline (or another tool) applied before. */
  applied?: Spec;
  appliedBy?: string;
  /** What happened live afterwards. */
  then?: (client: ClusterClient, object: (spec: Spec) => KubeObject) => Promise<unknown>;
  /** Git's version now (default: the applied spec). */
  git?: Spec;
  proven: boolean;
  synced: boolean;
}

const other = { fieldManager: 'other-tool', dryRun: false };

const scenarios: Scenario[] = [
  { name: 'unchanged since Driftline applied it', proven: true, synced: true },
  { name: 'another manager added an item to a keyed list', then: (c, o) => c.serverSideApply(o({ mapList: [{ name: 'y', value: '2' }] }), { ...other, force: false }), proven: true, synced: true },
  { name: 'another manager added an item to a set list', then: (c, o) => c.serverSideApply(o({ setList: ['b'] }), { ...other, force: false }), proven: true, synced: true },
  { name: 'another manager added a key to a granular map', then: (c, o) => c.serverSideApply(o({ granularMap: { b: '2' } }), { ...other, force: false }), proven: true, synced: true },
  { name: 'another manager replaced an atomic map', then: (c, o) => c.serverSideApply(o({ atomicMap: { a: '1', b: '2' } }), { ...other, force: true }), proven: false, synced: false },
  { name: 'another manager replaced an atomic list', then: (c, o) => c.serverSideApply(o({ atomicList: [{ name: 'x', value: '1' }, { name: 'z', value: '3' }] }), { ...other, force: true }), proven: false, synced: false },
  { name: 'another manager took over a value', then: (c, o) => c.serverSideApply(o({ granularMap: { a: '9' } }), { ...other, force: true }), proven: false, synced: false },
  { name: 'a value was edited live (update, not apply)', then: (c, o) => c.mergePatch(ref(o({})), { spec: { mapList: [{ name: 'x', value: 'edited' }] } }, { fieldManager: 'kubectl-edit' }), proven: false, synced: false },
  { name: 'Git dropped a keyed-list item Driftline applied', applied: { ...baseSpec(), mapList: [{ name: 'x', value: '1' }, { name: 'w', value: '4' }] }, proven: false, synced: false },
  { name: 'Git dropped a map key Driftline applied', applied: { ...baseSpec(), granularMap: { a: '1', c: '5' } }, proven: false, synced: false },
  { name: 'Git dropped a set item Driftline applied', applied: { ...baseSpec(), setList: ['a', 'c'] }, proven: false, synced: false },
  { name: 'applied by another tool (Flux), Driftline never applied it', appliedBy: 'kustomize-controller', proven: true, synced: true },
  { name: 'Git writes the value the server defaulted', git: { ...baseSpec(), size: 3 }, proven: true, synced: true },
  { name: 'Git changes a defaulted value', git: { ...baseSpec(), size: 4 }, proven: false, synced: false },
  { name: 'Git adds a field', git: { ...baseSpec(), setList: ['a', 'b'] }, proven: false, synced: false },
];

function ref(object: KubeObject) {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

interface Outcome {
  proven: boolean;
  synced: boolean;
  changed: string[];
}

/** The proof's answer for `desired` against the live object it names, and what the server's own dry-run changes. */
async function proofAndServer(client: ClusterClient, desired: KubeObject): Promise<Outcome> {
  const live = await client.get(ref(desired));
  assert.ok(live, `${desired.metadata.name} exists`);
  const predicted = await client.serverSideApply(desired, { dryRun: true, fieldManager: DRIFTLINE_FIELD_MANAGER, force: true });
  const changed = changedPaths(normalize(live), normalize(predicted));
  return { proven: applyChangesNothing(desired, live, DRIFTLINE_FIELD_MANAGER), synced: changed.length === 0, changed };
}

/** One test per case: the server's verdict as expected, the proof as expected, and never a proof over a change. */
function itAgrees(cases: Array<{ name: string; proven: boolean; synced: boolean }>, outcomes: Map<string, Outcome>): void {
  for (const entry of cases) {
    it(`${entry.name}: ${entry.proven ? 'proven unchanged' : 'left to the dry-run'}, and the server ${entry.synced ? 'agrees nothing changes' : 'reports a change'}`, () => {
      const outcome = outcomes.get(entry.name)!;
      assert.equal(outcome.synced, entry.synced, `server dry-run changed: ${outcome.changed.join(', ') || 'nothing'}`);
      assert.equal(outcome.proven, entry.proven);
      if (outcome.proven) assert.deepEqual(outcome.changed, [], 'a proof must never hide a change the server would make');
    });
  }
}

describe('managedFields proof against a real server (no dry-run where the answer is known)', function () {
  this.timeout(120_000);
  let client: ClusterClient;
  let namespace: string;
  const outcomes = new Map<string, Outcome>();

  before(async () => {
    client = testClient();
    await createUnlessExists(client, gadgetCrd);
    await waitUntilEstablished(client, gadgetCrd.metadata.name);
    namespace = await freshNamespace('proof');
    await Promise.all(scenarios.map(async (scenario, index) => {
      const name = `gadget-${index}`;
      const object = (spec: Spec): KubeObject => ({ apiVersion: API_VERSION, kind: 'Gadget', metadata: { name, namespace, labels: { team: 'a' } }, spec });
      await client.serverSideApply(object(scenario.applied ?? baseSpec()), { fieldManager: scenario.appliedBy ?? DRIFTLINE_FIELD_MANAGER, force: true, dryRun: false });
      await scenario.then?.(client, object);
      outcomes.set(scenario.name, await proofAndServer(client, normalize(object(scenario.git ?? baseSpec()), beforeDryRunSteps)));
    }));
  });

  after(() => client?.close());

  itAgrees(scenarios, outcomes);
});

describe('managedFields proof with resource quantities, against a real server', function () {
  this.timeout(120_000);
  let client: ClusterClient;
  let namespace: string;
  const deployment = (name: string, requests: Record<string, unknown>): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: {
      replicas: 1, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1', resources: { requests } }] } },
    },
  });
  const cases: Array<{ name: string; applied: Record<string, unknown>; git: Record<string, unknown>; proven: boolean; synced: boolean }> = [
    { name: 'written as stored elsewhere ("0.5" -> "500m", "1.5Gi" -> "1536Mi")', applied: { cpu: '0.5', memory: '1.5Gi' }, git: { cpu: '0.5', memory: '1.5Gi' }, proven: true, synced: true },
    { name: 'a YAML number', applied: { cpu: '2' }, git: { cpu: 2 }, proven: true, synced: true },
    { name: 'another value', applied: { cpu: '0.5' }, git: { cpu: '0.6' }, proven: false, synced: false },
    { name: 'the same value in another format family ("1Gi" live, "1073741824" in Git)', applied: { memory: '1Gi' }, git: { memory: '1073741824' }, proven: false, synced: false },
  ];
  const outcomes = new Map<string, Outcome>();

  before(async () => {
    client = testClient();
    namespace = await freshNamespace('proof-quantity');
    await Promise.all(cases.map(async (entry, index) => {
      const name = `quantity-${index}`;
      await client.serverSideApply(normalize(deployment(name, entry.applied), beforeDryRunSteps), { fieldManager: DRIFTLINE_FIELD_MANAGER, force: true, dryRun: false });
      outcomes.set(entry.name, await proofAndServer(client, normalize(deployment(name, entry.git), beforeDryRunSteps)));
    }));
  });

  after(() => client?.close());

  itAgrees(cases, outcomes);
});
