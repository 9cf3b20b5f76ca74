import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import {
  defaultPortProtocols, normalize, removeEmptyMetadataMaps, removeLastAppliedAnnotation, removeManagedFields,
  removeServerAssignedMetadata, removeStatus, secretStringDataToData,
} from '../../../src/core/drift/normalize';
import { valueAt } from '../../support/valueAt';

function configMap(metadata: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', ...metadata }, ...extra };
}

describe('normalization steps', () => {
  it('removeManagedFields drops field ownership bookkeeping', () => {
    const object = configMap({ managedFields: [{ manager: 'kubectl' }] });
    removeManagedFields(object);
    assert.deepEqual(object, configMap());
  });

  it('removeServerAssignedMetadata drops resourceVersion, uid, generation, creationTimestamp and selfLink only', () => {
    const object = configMap({
      resourceVersion: '42', uid: 'u-1', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z',
      selfLink: '/api/v1/namespaces/shop/configmaps/settings', labels: { team: 'a' },
    });
    removeServerAssignedMetadata(object);
    assert.deepEqual(object, configMap({ labels: { team: 'a' } }));
  });

  it('removeStatus drops what controllers write', () => {
    const object = configMap({}, { status: { phase: 'Bound' }, data: { a: '1' } });
    removeStatus(object);
    assert.deepEqual(object, configMap({}, { data: { a: '1' } }));
  });

  it('removeLastAppliedAnnotation keeps every other annotation', () => {
    const object = configMap({
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}', owner: 'team-a' },
    });
    removeLastAppliedAnnotation(object);
    assert.deepEqual(object.metadata.annotations, { owner: 'team-a' });
  });

  it('removeEmptyMetadataMaps treats empty labels and annotations as absent, but keeps non-empty ones', () => {
    const object = configMap({ labels: {}, annotations: { a: 'b' } });
    removeEmptyMetadataMaps(object);
    assert.deepEqual(object.metadata, { name: 'settings', namespace: 'shop', annotations: { a: 'b' } });
  });

  it('secretStringDataToData merges stringData into base64 data, stringData winning like the server', () => {
    const secret: KubeObject = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' },
      data: { user: Buffer.from('old').toString('base64'), host: 'aG9zdA==' }, stringData: { user: 'admin' },
    };
    secretStringDataToData(secret);
    assert.deepEqual(secret, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' },
      data: { user: Buffer.from('admin').toString('base64'), host: 'aG9zdA==' },
    });
  });

  it('secretStringDataToData leaves other kinds with a stringData field alone', () => {
    const object = configMap({}, { stringData: { a: 'b' } });
    secretStringDataToData(object);
    assert.deepEqual(object.stringData, { a: 'b' });
  });

  it('defaultPortProtocols fills TCP into Service ports and container ports that omit it, and keeps UDP', () => {
    const service: KubeObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] },
    };
    defaultPortProtocols(service);
    assert.deepEqual(valueAt(service, '/spec/ports'), [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);

    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { template: { spec: {
        containers: [{ name: 'app', ports: [{ containerPort: 8080 }] }],
        initContainers: [{ name: 'init', ports: [{ containerPort: 9000, protocol: '' }] }],
      } } },
    };
    defaultPortProtocols(deployment);
    assert.equal(valueAt(deployment, '/spec/template/spec/containers/0/ports/0/protocol'), 'TCP');
    assert.equal(valueAt(deployment, '/spec/template/spec/initContainers/0/ports/0/protocol'), 'TCP');
  });

  it('defaultPortProtocols reaches the pod template of a CronJob and a bare Pod', () => {
    const cronJob: KubeObject = {
      apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'nightly' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 1 }] }] } } } } },
    };
    defaultPortProtocols(cronJob);
    assert.equal(valueAt(cronJob, '/spec/jobTemplate/spec/template/spec/containers/0/ports/0/protocol'), 'TCP');
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 1 }] }] } };
    defaultPortProtocols(pod);
    assert.equal(valueAt(pod, '/spec/containers/0/ports/0/protocol'), 'TCP');
  });

  it('normalize returns a normalized copy and leaves its input untouched', () => {
    const live = configMap({ resourceVersion: '7', managedFields: [] }, { status: {} });
    const before = structuredClone(live);
    assert.deepEqual(normalize(live), configMap());
    assert.deepEqual(live, before);
  });
});

describe('Driftline tracking metadata', () => {
  it('removeDriftlineTracking drops only the driftline.dev app label and environment annotation', async () => {
    const { removeDriftlineTracking } = await import('../../../src/core/drift/normalize');
    const object = configMap({
      labels: { 'driftline.dev/app': 'shop', team: 'a' },
      annotations: { 'driftline.dev/environment': 'staging', note: 'n' },
    });
    removeDriftlineTracking(object);
    assert.deepEqual(object.metadata.labels, { team: 'a' });
    assert.deepEqual(object.metadata.annotations, { note: 'n' });
  });
});

describe('quantities before a dry-run', () => {
  it('stringifyQuantities turns numeric container, PVC, quota and limit-range quantities into strings', async () => {
    const { stringifyQuantities } = await import('../../../src/core/drift/normalize');
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: {
        template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: 1, memory: '64Mi' }, limits: { cpu: 0.5 } } }] } },
        volumeClaimTemplates: [{ spec: { resources: { requests: { storage: 10 } } } }],
        replicas: 2,
      },
    };
    stringifyQuantities(deployment);
    assert.deepEqual(valueAt(deployment, '/spec/template/spec/containers/0/resources'), { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '0.5' } });
    assert.equal(valueAt(deployment, '/spec/volumeClaimTemplates/0/spec/resources/requests/storage'), '10');
    assert.equal(valueAt(deployment, '/spec/replicas'), 2, 'only quantities change');
    const quota: KubeObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: 10 } } };
    stringifyQuantities(quota);
    assert.deepEqual(valueAt(quota, '/spec/hard'), { pods: '10' });
    const limits: KubeObject = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: 2 } }] } };
    stringifyQuantities(limits);
    assert.deepEqual(valueAt(limits, '/spec/limits/0/max'), { cpu: '2' });
  });
});
