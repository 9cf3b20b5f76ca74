import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { changedPaths } from '../../../src/core/drift/changedPaths';
import { predictClientSide } from '../../../src/core/drift/predictClientSide';

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

  it('shows a changed value at its path', () => {
    const desired: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } };
    assert.deepEqual(changedPaths(live, predictClientSide(live, desired)), ['/spec/replicas']);
  });

  it('takes the desired list when its length differs', () => {
    const desired: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'sidecar', image: 's:1' }] } } },
    };
    const predicted = predictClientSide(live, desired) as any;
    assert.deepEqual(predicted.spec.template.spec.containers.map((c: { name: string }) => c.name), ['web', 'sidecar']);
  });

  it('leaves the live object untouched', () => {
    const before = structuredClone(live);
    predictClientSide(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 9 } });
    assert.deepEqual(live, before);
  });
});
