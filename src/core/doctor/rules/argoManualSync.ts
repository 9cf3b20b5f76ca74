// Argo CD Applications that do not sync by themselves, or do not undo live edits: Git is then not the whole
// truth of what runs. Information, not a warning: some teams choose manual syncs on purpose.
import { objectsOfKinds } from '../doctorInput';
import type { RuleFinding } from '../finding';
import { atObject, type DoctorRule } from '../rule';

type Dict = Record<string, unknown>;

export const argoManualSync: DoctorRule = {
  id: 'argo-manual-sync',
  severity: 'note',
  summary: 'an Argo CD Application without automated sync, or without selfHeal',
  check(views) {
    const found: RuleFinding[] = [];
    for (const view of views) {
      for (const { app, desired } of objectsOfKinds(view, new Set(['Application']))) {
        if (desired.object.apiVersion.split('/')[0] !== 'argoproj.io') continue;
        const policy = ((desired.object.spec as Dict | undefined)?.syncPolicy ?? {}) as Dict;
        const automated = policy.automated as Dict | undefined;
        const name = `Application ${desired.object.metadata.name}`;
        if (!automated || automated.enabled === false) {
          found.push({ ...atObject(view, app, desired), message: `${name} has no automated sync: a commit reaches the cluster only when someone syncs it` });
        } else if (automated.selfHeal !== true) {
          found.push({ ...atObject(view, app, desired), message: `${name} syncs automatically but without selfHeal: live edits stay until the next commit` });
        }
      }
    }
    return found;
  },
};
