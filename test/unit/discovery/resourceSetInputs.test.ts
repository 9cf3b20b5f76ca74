// The input sets of a ResourceSet, combined as the Flux Operator combines them.
import assert from 'node:assert/strict';
import { adler32 } from '../../../src/core/discovery/goTemplate';
import { combineInputs, normalizeProviderName } from '../../../src/core/discovery/resourceSetInputs';
import type { KubeObject } from '../../../src/core/model';

const resourceSet = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSet', metadata: { name: 'my-rset', namespace: 'apps' }, spec });
const staticProvider = (name: string, defaultValues: Record<string, unknown>): KubeObject => ({
  apiVersion: 'fluxcd.controlplane.io/v1', kind: 'ResourceSetInputProvider', metadata: { name, namespace: 'apps' }, spec: { type: 'Static', defaultValues },
});

describe('ResourceSet inputs', () => {
  it('ids are Go adler32 checksums printed in decimal; Permute keys are normalized provider names', () => {
    assert.equal(adler32('Wikipedia'), '300286872');
    assert.equal(adler32(''), '1');
    assert.equal(normalizeProviderName('Git-Tag.v2 (main)+é'), 'git_tag_v2_main');
  });

  it('Flatten concatenates the ResourceSet\'s inputs and each provider\'s, sorted by name, each tagged with its provider', () => {
    const combined = combineInputs(resourceSet({ inputs: [{ tenant: 'a' }], inputsFrom: [{ name: 'zeta' }, { name: 'alpha' }] }), 'apps',
      [staticProvider('zeta', { env: 'z' }), staticProvider('alpha', { env: 'a' })]);
    assert.ok('inputs' in combined);
    assert.deepEqual(combined.inputs.map((input) => [input.tenant ?? input.env, (input.provider as { kind: string; name: string }).name]), [['a', 'my-rset'], ['a', 'alpha'], ['z', 'zeta']]);
  });

  it('Permute is the product of every source with inputs, each set under its normalized name, with the checksum of its indexes as id', () => {
    const combined = combineInputs(resourceSet({ inputStrategy: { name: 'Permute' }, inputs: [{ tenant: 'a' }, { tenant: 'b' }], inputsFrom: [{ name: 'cluster-info' }] }), 'apps',
      [staticProvider('cluster-info', { env: 'prod' })]);
    assert.ok('inputs' in combined);
    assert.deepEqual(combined.inputs.map((input) => [(input.my_rset as { tenant: string }).tenant, (input.cluster_info as { env: string }).env, input.id]),
      [['a', 'prod', adler32('my_rset=0/cluster_info=0')], ['b', 'prod', adler32('my_rset=1/cluster_info=0')]]);
  });

  it('an unknown strategy or an inputsFrom entry without name or selector is an error; a provider of another namespace is not found', () => {
    assert.deepEqual(combineInputs(resourceSet({ inputStrategy: { name: 'Zip' } }), 'apps', []), { error: "unknown input strategy: 'Zip'" });
    assert.deepEqual(combineInputs(resourceSet({ inputsFrom: [{ kind: 'ResourceSetInputProvider' }] }), 'apps', []), { error: 'an inputsFrom entry has neither name nor selector' });
    const elsewhere = { ...staticProvider('info', {}), metadata: { name: 'info', namespace: 'other' } };
    assert.match((combineInputs(resourceSet({ inputsFrom: [{ name: 'info' }] }), 'apps', [elsewhere]) as { unknownReason: string }).unknownReason, /ResourceSetInputProvider apps\/info, which no build of this repo applies/);
  });
});
