// A Flux Kustomization that applies workloads but neither waits for them nor health-checks them: it reports
// Ready as soon as the apply succeeds, so a crash-looping release looks done and dependsOn moves on.
import { kindKey, LONG_RUNNING_KINDS } from '../doctorInput';
import type { RuleFinding } from '../finding';
import { atObject, objectName, type DoctorRule } from '../rule';

export const noHealthChecks: DoctorRule = {
  id: 'no-health-checks',
  severity: 'warning',
  summary: 'a Flux Kustomization that applies workloads without spec.wait or spec.healthChecks',
  check(views) {
    const found: RuleFinding[] = [];
    for (const view of views) {
      for (const { app, objects } of view.apps) {
        if (app.controller?.kind !== 'Kustomization') continue;
        const workloads = objects.filter((desired) => LONG_RUNNING_KINDS.has(kindKey(desired.object)));
        const own = view.controllers.ofApp(app);
        if (workloads.length === 0 || !own || own.object.kind !== 'Kustomization') continue;
        const spec = (own.object.spec ?? {}) as { wait?: unknown; healthChecks?: unknown };
        if (spec.wait === true || (Array.isArray(spec.healthChecks) && spec.healthChecks.length > 0)) continue;
        const shown = workloads.slice(0, 3).map((desired) => objectName(desired.object)).join(', ') + (workloads.length > 3 ? `, and ${workloads.length - 3} more` : '');
        found.push({
          ...atObject(view, app, own),
          message: `${objectName(own.object)} applies ${shown} but has no spec.wait or spec.healthChecks: it is Ready before they are, and its dependents do not wait for them`,
        });
      }
    }
    return found;
  },
};
