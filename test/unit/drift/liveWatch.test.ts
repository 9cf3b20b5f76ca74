// What live watches follow for an environment: built from its report and the LISTs of its comparison, and
// widened, not replaced, by a comparison of one app.
import * as assert from 'node:assert/strict';
import { mergeWatchTargets, watchTargetOf } from '../../../src/core/drift/liveWatch';
import type { AppDefinition, AppResult, EnvironmentResult, ResourceResult } from '../../../src/core/model';

const counts = { synced: 0, outOfSync: 0, missing: 0, extra: 0, unknown: 0 };
const resource = (kind: string, name: string, namespace?: string): ResourceResult =>
  ({ apiVersion: 'v1', kind, name, status: 'Synced', ...(namespace ? { namespace } : {}) });
const appResult = (name: string, resources: ResourceResult[]): AppResult =>
  ({ name, environment: 'prod', status: 'Synced', renderer: 'yaml', path: `/repo/${name}`, counts, resources });
const appDefinition = (name: string): AppDefinition =>
  ({ name, environment: 'prod', path: `/repo/${name}`, renderer: 'yaml', origin: 'config', declaredAt: { file: '/repo/.driftline.yaml' } });
const environment = (context: string, apps: AppResult[]): EnvironmentResult => ({ name: 'prod', context, protected: false, apps });
const list = (kind: string, namespace: string | undefined, resourceVersion: string) =>
  ({ apiVersion: 'v1', kind, resourceVersion, ...(namespace ? { namespace } : {}) });

describe('live watch targets', () => {
  it('names, per list, the objects the report shows, and the tracking keys of the environment\'s apps', () => {
    const target = watchTargetOf(
      environment('prod-eu', [appResult('web', [resource('ConfigMap', 'web', 'shop'), resource('Namespace', 'shop')])]),
      [appDefinition('web')], [list('ConfigMap', 'shop', '10'), list('Namespace', undefined, '10')]);
    assert.equal(target.context, 'prod-eu');
    assert.deepEqual([...target.names.get('v1\u0000ConfigMap\u0000shop') ?? []], ['web']);
    assert.deepEqual([...target.names.get('v1\u0000Namespace\u0000') ?? []], ['shop']);
    assert.ok(target.ownerKeys.has('driftline:web'));
  });

  it('adds what a comparison of one app listed to what the environment\'s last full comparison listed', () => {
    const full = watchTargetOf(environment('prod-eu', [appResult('web', [resource('ConfigMap', 'web', 'shop')])]),
      [appDefinition('web')], [list('ConfigMap', 'shop', '10')]);
    const oneApp = watchTargetOf(environment('prod-eu', [appResult('api', [resource('ConfigMap', 'api', 'shop'), resource('Secret', 'api', 'shop')])]),
      [appDefinition('api')], [list('ConfigMap', 'shop', '20'), list('Secret', 'shop', '20')]);
    const merged = mergeWatchTargets(full, oneApp);
    assert.deepEqual(merged.lists.map((entry) => `${entry.kind}@${entry.resourceVersion}`), ['ConfigMap@20', 'Secret@20']);
    assert.deepEqual([...merged.names.get('v1\u0000ConfigMap\u0000shop') ?? []].sort(), ['api', 'web']);
    assert.ok(merged.ownerKeys.has('driftline:web') && merged.ownerKeys.has('driftline:api'));
  });

  it('starts over when the environment was compared against another kube context', () => {
    const before = watchTargetOf(environment('prod-eu', [appResult('web', [])]), [appDefinition('web')], [list('ConfigMap', 'shop', '10')]);
    const after = watchTargetOf(environment('prod-us', [appResult('web', [])]), [appDefinition('web')], [list('Secret', 'shop', '5')]);
    assert.equal(mergeWatchTargets(before, after), after);
  });
});
