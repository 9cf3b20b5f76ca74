import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { changedPaths } from '../../../src/core/drift/changedPaths';
import { predictClientSide } from '../../../src/core/drift/predictClientSide';
import { setAt, valueAt } from '../../support/valueAt';

const live: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web', 'added-live': 'x' } },
  spec: {
    replicas: 2, revisionHistoryLimit: 10,
    template: { spec: { containers: [{ name: 'web', image: 'web:1', imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '1' } } }] } },
  },
};

describe('client-side prediction', () => {
  it('keeps server defaults and fields other managers added: no drift for an unchanged desired object', () => {
    const desired: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:1', resources: { requests: { cpu: 1 } } }] } } },
    };
    assert.deepEqual(changedPaths(live, predictClientSide(live, desired)), []);
  });

  it('reads a quantity Git writes another way ("0.5" stored as "500m") as no drift, and a real change as one', () => {
    const stored: KubeObject = structuredClone(live);
    setAt(stored, '/spec/template/spec/containers/0/resources/requests', { cpu: '500m', memory: '1536Mi' });
    const same: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', resources: { requests: { cpu: '0.5', memory: '1.5Gi' } } }] } } } };
    assert.deepEqual(changedPaths(stored, predictClientSide(stored, same)), []);
    setAt(same, '/spec/template/spec/containers/0/resources/requests/cpu', '0.6');
    assert.deepEqual(changedPaths(stored, predictClientSide(stored, same)), ['/spec/template/spec/containers/0/resources/requests/cpu']);
    const label: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: '0.5' } } };
    const labelled: KubeObject = { ...structuredClone(live), metadata: { name: 'web', labels: { app: '500m' } } };
    assert.deepEqual(changedPaths(labelled, predictClientSide(labelled, label)), ['/metadata/labels/app'], 'only quantity fields compare as quantities');
  });

  it('shows a changed value at its path', () => {
    const desired: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } };
    assert.deepEqual(changedPaths(live, predictClientSide(live, desired)), ['/spec/replicas']);
  });

  it('takes the desired list when its length differs', () => {
    const desired: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'sidecar', image: 's:1' }] } } },
    };
    const containers = valueAt(predictClientSide(live, desired), '/spec/template/spec/containers') as { name: string }[];
    assert.deepEqual(containers.map((c) => c.name), ['web', 'sidecar']);
  });

  it('leaves the live object untouched', () => {
    const before = structuredClone(live);
    predictClientSide(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 9 } });
    assert.deepEqual(live, before);
  });
});
