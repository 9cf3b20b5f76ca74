// The cluster-error vocabulary: a ClusterError's reason is typed, callers ask through guards, and every layer
// turns an error into text the same way.
import * as assert from 'node:assert/strict';
import {
  ClusterError, errorFromResponse, hasReason, isClusterError, isClusterWideFailure, isConflict, isForbidden, isNoSuchKind,
  isNotFound, noSuchKindError, reasonOf, serverMessageOf, unreachableError, type FailedCall,
} from '../../../src/core/cluster/errors';
import { messageOf } from '../../../src/core/errors';
import * as syncErrors from '../../../src/core/sync/errors';

const identity = { context: 'prod', user: 'viewer', server: 'https://10.0.0.1:6443' };
const call: FailedCall = { verb: 'get', ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' } };
const answer = (status: number, reason?: string, message = 'the server said no') =>
  errorFromResponse(status, { kind: 'Status', reason, message }, identity, call);

describe('cluster errors', () => {
  it('gives each HTTP answer its reason, and each guard answers for its reason only', () => {
    const cases: [ClusterError, (error: unknown) => boolean][] = [
      [answer(404, 'NotFound'), isNotFound],
      [answer(403, 'Forbidden'), isForbidden],
      [answer(409, 'Conflict'), isConflict],
      [noSuchKindError('example.com/v1', 'Widget', identity, call), isNoSuchKind],
    ];
    const guards = cases.map(([, guard]) => guard);
    for (const [error, guard] of cases) {
      assert.ok(guard(error), `${error.reason} is matched by its guard`);
      for (const other of guards.filter((candidate) => candidate !== guard)) assert.ok(!other(error), `${error.reason} is not matched by ${other.name}`);
    }
    assert.equal(reasonOf(answer(401)), 'Unauthorized');
    assert.equal(reasonOf(answer(422, 'Invalid')), 'Invalid');
    assert.equal(reasonOf(answer(500)), 'Other');
  });

  it('calls Unreachable and Unauthorized cluster-wide failures, and nothing narrower', () => {
    const refused = unreachableError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' }), identity, call);
    assert.ok(isClusterWideFailure(refused));
    assert.ok(isClusterWideFailure(answer(401)));
    assert.ok(!isClusterWideFailure(answer(403, 'Forbidden')));
    assert.ok(!isClusterWideFailure(new Error('Unreachable')));
  });

  it('matches several reasons at once', () => {
    assert.ok(hasReason(answer(404, 'NotFound'), 'NoSuchKind', 'NotFound'));
    assert.ok(!hasReason(answer(409, 'Conflict'), 'NoSuchKind', 'NotFound'));
  });

  it('reads no reason off errors that are not ClusterErrors, even ones with a reason field', () => {
    for (const error of [new Error('NotFound'), Object.assign(new Error('x'), { reason: 'NotFound' }), { reason: 'NotFound' }, 'NotFound', undefined]) {
      assert.equal(reasonOf(error), undefined);
      assert.ok(!isNotFound(error));
    }
  });

  it('recognises a ClusterError made by another copy of the class (the extension bundle beside compiled code)', () => {
    const copy = Object.assign(new Error('NotFound: ConfigMap/shop/web'), { name: 'ClusterError', reason: 'NotFound', serverMessage: 'configmaps "web" not found' });
    assert.ok(isClusterError(copy));
    assert.ok(isNotFound(copy));
    assert.equal(serverMessageOf(copy), 'configmaps "web" not found');
    assert.ok(!isClusterError(Object.assign(new Error('x'), { name: 'ClusterError', reason: 'Sideways' })), 'an unknown reason is not one of ours');
  });

  it('keeps the server\'s own words apart from the message that names the object and context', () => {
    const conflict = answer(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl": .data.color');
    assert.match(conflict.message, /^Conflict: get ConfigMap\/shop\/web \(context "prod"\): Apply failed/);
    assert.equal(serverMessageOf(conflict), 'Apply failed with 1 conflict: conflict with "kubectl": .data.color');
    assert.equal(serverMessageOf(new Error('plain')), 'plain');
  });

  it('turns anything thrown into its message, one way for every layer', () => {
    assert.equal(messageOf(new Error('boom')), 'boom');
    assert.equal(messageOf('boom'), 'boom');
    assert.equal(messageOf(42), '42');
    assert.equal(syncErrors.messageOf, messageOf, 'sync re-exports the same function');
    assert.equal(syncErrors.clusterReason(answer(409, 'Conflict')), 'Conflict');
    assert.equal(syncErrors.serverMessage(answer(409, 'Conflict', 'conflict with "kubectl"')), 'conflict with "kubectl"');
  });
});
