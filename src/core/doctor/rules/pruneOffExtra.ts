// Objects the cluster still has that Git no longer declares, in an app whose controller does not prune:
// they stay forever (a Deployment that keeps running, a Service that keeps routing) until someone deletes them.
import type { AppResult } from '../../model';
import type { RuleFinding } from '../finding';
import { atObject, objectName, type DoctorRule } from '../rule';

type Dict = Record<string, unknown>;

export const pruneOffExtra: DoctorRule = {
  id: 'prune-off-extra',
  severity: 'warning',
  summary: 'Extra objects in the cluster for an app whose controller has prune off (they are never cleaned up)',
  needsCluster: true,
  check(views, input) {
    const found: RuleFinding[] = [];
    for (const view of views) {
      const results = input.status?.environments.find((environment) => environment.name === view.environment.name)?.apps ?? [];
      for (const { app } of view.apps) {
        const result = results.find((candidate) => candidate.name === app.name);
        const extra = result?.resources.filter((resource) => resource.status === 'Extra') ?? [];
        const own = view.controllers.ofApp(app);
        if (extra.length === 0 || !own || !pruneIsOff(own.object.kind, (own.object.spec ?? {}) as Dict)) continue;
        found.push({ ...atObject(view, app, own), message: `${objectName(own.object)} does not prune, so ${describeExtra(extra)} ${extra.length > 1 ? 'stay' : 'stays'} in the cluster: delete ${extra.length > 1 ? 'them' : 'it'} or turn prune on` });
      }
    }
    return found;
  },
};

function pruneIsOff(kind: string, spec: Dict): boolean {
  if (kind === 'Kustomization') return spec.prune !== true;
  if (kind === 'Application') return ((spec.syncPolicy as Dict | undefined)?.automated as Dict | undefined)?.prune !== true;
  return false; // a HelmRelease's upgrade removes what the chart no longer renders
}

function describeExtra(extra: AppResult['resources']): string {
  const names = extra.slice(0, 3).map((resource) => `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`);
  return `Extra ${names.join(', ')}${extra.length > 3 ? ` and ${extra.length - 3} more` : ''}`;
}
