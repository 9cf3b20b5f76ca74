// Object identity: group, kind, namespace and name, the same for every layer; the version is not part of it.
import * as assert from 'node:assert/strict';
import {
  apiVersionOf, groupOf, identityOf, kindId, parseQualifiedKind, qualifiedKind, refId, refOf, sameObject, shownKinds,
  shownNames, versionOf,
} from '../../src/core/identity';

const istioGateway = { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', namespace: 'edge', name: 'public' };
const gatewayApiGateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'edge', name: 'public' };

describe('object identity', () => {
  it('splits an apiVersion into group and version, the core group being empty', () => {
    assert.equal(groupOf('apps/v1'), 'apps');
    assert.equal(groupOf('v1'), '');
    assert.equal(groupOf('gateway.networking.k8s.io/v1'), 'gateway.networking.k8s.io');
    assert.equal(versionOf('apps/v1'), 'v1');
    assert.equal(versionOf('v1'), 'v1');
    assert.equal(apiVersionOf('apps', 'v1'), 'apps/v1');
    assert.equal(apiVersionOf('', 'v1'), 'v1');
  });

  it('gives one object one id at every version of its group', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' };
    const v2 = { ...v1, apiVersion: 'autoscaling/v2' };
    assert.equal(refId(v1), refId(v2));
    assert.equal(refId(v1), 'autoscaling/HorizontalPodAutoscaler/shop/web');
    assert.ok(sameObject(v1, v2));
    assert.equal(kindId(v1), kindId(v2));
  });

  it('tells apart two kinds of one name in different groups (Istio and Gateway API Gateway)', () => {
    assert.notEqual(refId(istioGateway), refId(gatewayApiGateway));
    assert.notEqual(kindId(istioGateway), kindId(gatewayApiGateway));
    assert.ok(!sameObject(istioGateway, gatewayApiGateway));
  });

  it('builds the same id from a ref (apiVersion) and from an identity (group)', () => {
    const identity = identityOf(istioGateway);
    assert.deepEqual(identity, { group: 'networking.istio.io', kind: 'Gateway', namespace: 'edge', name: 'public' });
    assert.equal(refId(identity), refId(istioGateway));
    assert.ok(sameObject(identity, istioGateway));
    assert.deepEqual(identityOf({ apiVersion: 'v1', kind: 'Namespace', name: 'edge' }), { group: '', kind: 'Namespace', name: 'edge' });
  });

  it('treats a cluster-scoped object without namespace and one with an empty namespace alike', () => {
    assert.ok(sameObject({ apiVersion: 'v1', kind: 'Namespace', name: 'a' }, { apiVersion: 'v1', kind: 'Namespace', name: 'a', namespace: undefined }));
    assert.ok(!sameObject({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'x' }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' }));
  });

  it('reads a ref off an object, leaving out an absent namespace', () => {
    assert.deepEqual(refOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge' } }), { apiVersion: 'v1', kind: 'Namespace', name: 'edge' });
  });

  it('spells a kind with its group as kubectl does, and reads it back', () => {
    assert.equal(qualifiedKind(istioGateway), 'Gateway.networking.istio.io');
    assert.equal(qualifiedKind({ apiVersion: 'v1', kind: 'ConfigMap' }), 'ConfigMap');
    assert.deepEqual(parseQualifiedKind('Gateway.gateway.networking.k8s.io'), { group: 'gateway.networking.k8s.io', kind: 'Gateway' });
    assert.deepEqual(parseQualifiedKind('ConfigMap'), { group: '', kind: 'ConfigMap' });
  });
});

describe('shown names', () => {
  it('are Kind/name when no kind is in two groups', () => {
    assert.deepEqual(shownNames([
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' },
      istioGateway,
    ]), ['Deployment/web', 'Service/web', 'Gateway/public']);
  });

  it('say the group of every object of a kind the list has in two groups, and only of those', () => {
    const other = { ...gatewayApiGateway, name: 'internal' };
    assert.deepEqual(shownNames([istioGateway, gatewayApiGateway, other, { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'edge' }]), [
      'Gateway.networking.istio.io/public', 'Gateway.gateway.networking.k8s.io/public', 'Gateway.gateway.networking.k8s.io/internal', 'Service/web',
    ]);
  });

  it('keep the bare kind for the core group beside a custom kind of the same name', () => {
    assert.deepEqual(shownKinds([
      { apiVersion: 'v1', kind: 'Service', name: 'web' },
      { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'web' },
    ]), ['Service', 'Service.serving.knative.dev']);
  });

  it('do not say the group for one kind seen at two versions of its group', () => {
    assert.deepEqual(shownNames([
      { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', name: 'a' },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'b' },
    ]), ['HorizontalPodAutoscaler/a', 'HorizontalPodAutoscaler/b']);
  });
});
