import assert from 'node:assert/strict';
import { applyChangesNothing } from '../../../src/core/drift/provenUnchanged';
import type { KubeObject } from '../../../src/core/model';

// A live ConfigMap and Service as a server stores them after `driftline` applied them (managedFields as a 1.20
// server writes them); each test changes one thing the proof must notice.
const liveConfigMap = (): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: {
    name: 'settings', namespace: 'team', resourceVersion: '12', uid: 'u1',
    labels: { app: 'web', 'driftline.dev/app': 'web' },
    managedFields: [{
      manager: 'driftline', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:mode': {} }, 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:driftline.dev/app': {} } } },
    }],
  },
  data: { mode: 'fast' },
});
const desiredConfigMap = (): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team', labels: { app: 'web', 'driftline.dev/app': 'web' } }, data: { mode: 'fast' } });

const liveService = (): KubeObject => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: {
    name: 'web', namespace: 'team',
    managedFields: [{
      manager: 'driftline', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} } }, 'f:selector': { '.': {}, 'f:app': {} } } },
    }],
  },
  spec: { clusterIP: '10.0.0.7', ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' },
});
const desiredService = (): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web' } } });

const proves = (desired: KubeObject, live: KubeObject) => applyChangesNothing(desired, live, 'driftline');

describe('applyChangesNothing (managedFields proof)', () => {
  it('proves an object unchanged since our apply, server-assigned fields and defaults aside', () => {
    assert.equal(proves(desiredConfigMap(), liveConfigMap()), true);
    assert.equal(proves(desiredService(), liveService()), true);
  });

  it('does not prove a changed value, a field Git added, or a keyed item the live object lacks', () => {
    assert.equal(proves({ ...desiredConfigMap(), data: { mode: 'slow' } }, liveConfigMap()), false);
    assert.equal(proves({ ...desiredConfigMap(), data: { mode: 'fast', extra: 'x' } }, liveConfigMap()), false);
    const twoPorts = desiredService();
    (twoPorts.spec as { ports: unknown[] }).ports.push({ port: 443, protocol: 'TCP', targetPort: 8443 });
    assert.equal(proves(twoPorts, liveService()), false);
  });

  it('does not prove an apply that would remove a field we applied before', () => {
    const desired = desiredConfigMap();
    delete desired.metadata.labels!.app;
    assert.equal(proves(desired, liveConfigMap()), false);
  });

  it('ignores our tracking label: dropping it changes nothing a comparison sees', () => {
    const desired = desiredConfigMap();
    delete desired.metadata.labels!['driftline.dev/app'];
    assert.equal(proves(desired, liveConfigMap()), true);
  });

  it('leaves to the server: explicit nulls, status, owner references, another name or apiVersion', () => {
    assert.equal(proves({ ...desiredConfigMap(), data: { mode: null } } as unknown as KubeObject, liveConfigMap()), false);
    assert.equal(proves({ ...desiredConfigMap(), status: {} }, liveConfigMap()), false);
    const owned = desiredConfigMap();
    owned.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'u' }];
    assert.equal(proves(owned, liveConfigMap()), false);
    assert.equal(proves({ ...desiredConfigMap(), metadata: { ...desiredConfigMap().metadata, namespace: 'other' } }, liveConfigMap()), false);
    assert.equal(proves({ ...desiredConfigMap(), apiVersion: 'v2' }, liveConfigMap()), false);
  });

  it('proves nothing without managedFields, or when our last apply was in another API version', () => {
    const bare = liveConfigMap();
    delete bare.metadata.managedFields;
    assert.equal(proves(desiredConfigMap(), bare), false);
    const otherVersion = liveConfigMap();
    (otherVersion.metadata.managedFields as Array<{ apiVersion: string }>)[0].apiVersion = 'v1beta1';
    assert.equal(proves(desiredConfigMap(), otherVersion), false);
  });

  it('compares a map no manager describes field by field (atomic, or unknown) as a whole', () => {
    const live = liveService();
    const fields = (live.metadata.managedFields as Array<{ fieldsV1: { 'f:spec': Record<string, unknown> } }>)[0].fieldsV1['f:spec'];
    fields['f:selector'] = {}; // atomic: owned as one value
    (live.spec as { selector: Record<string, string> }).selector.tier = 'front';
    assert.equal(proves(desiredService(), live), false);
  });

  it('leaves to the server keyed lists it cannot match: a missing key field, duplicate keys, positional items', () => {
    const noProtocol = desiredService();
    delete ((noProtocol.spec as { ports: Array<Record<string, unknown>> }).ports[0]).protocol;
    assert.equal(proves(noProtocol, liveService()), false);
    const duplicate = desiredService();
    const ports = (duplicate.spec as { ports: unknown[] }).ports;
    ports.push({ ...(ports[0] as object) });
    assert.equal(proves(duplicate, liveService()), false);
    const positional = liveService();
    (positional.metadata.managedFields as Array<{ fieldsV1: Record<string, unknown> }>)[0].fieldsV1['f:spec'] = { 'f:ports': { 'i:0': {} }, 'f:selector': { 'f:app': {} } };
    assert.equal(proves(desiredService(), positional), false);
  });
});
