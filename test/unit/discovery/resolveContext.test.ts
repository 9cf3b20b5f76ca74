import assert from 'node:assert/strict';
import { resolveContext } from '../../../src/core/discovery/resolveContext';

describe('resolveContext', () => {
  const contexts = ['kind-staging', 'production', 'gke_acme_europe-west1_qa', 'dev-admin', 'dev-readonly'];

  it('uses the configured context, even one the kubeconfig lacks (the engine then names it in its error)', () => {
    assert.equal(resolveContext({ name: 'staging', context: 'ops' }, contexts, 'production'), 'ops');
  });

  it('uses the context named like the environment', () => {
    assert.equal(resolveContext({ name: 'production' }, contexts, 'kind-staging'), 'production');
    assert.equal(resolveContext({ name: 'Production' }, contexts, 'kind-staging'), 'production');
  });

  it('uses the one context that has the environment\'s name as a word of its name', () => {
    assert.equal(resolveContext({ name: 'staging' }, contexts, 'production'), 'kind-staging');
    assert.equal(resolveContext({ name: 'qa' }, contexts, 'production'), 'gke_acme_europe-west1_qa');
  });

  it('falls back to the current context when no name matches or several do', () => {
    assert.equal(resolveContext({ name: 'sandbox' }, contexts, 'production'), 'production');
    assert.equal(resolveContext({ name: 'dev' }, contexts, 'kind-staging'), 'kind-staging');
    assert.equal(resolveContext({ name: 'sandbox' }, contexts), undefined);
  });
});
