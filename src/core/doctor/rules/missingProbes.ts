// Long-running workloads without readiness and liveness probes: a broken release then looks healthy, so
// neither a controller's health check nor a progressive rollout can stop it or roll it back.
import { containersOf, desiredObjectsOf, kindKey, LONG_RUNNING_KINDS } from '../doctorInput';
import type { RuleFinding } from '../finding';
import { atObject, objectName, type DoctorRule } from '../rule';

export const missingProbes: DoctorRule = {
  id: 'missing-probes',
  severity: 'warning',
  summary: 'a Deployment, StatefulSet, DaemonSet or Rollout container without a readiness or liveness probe',
  check(views) {
    const found: RuleFinding[] = [];
    for (const { view, app, desired } of desiredObjectsOf(views)) {
      if (!LONG_RUNNING_KINDS.has(kindKey(desired.object))) continue;
      const missing = (containersOf(desired.object)?.containers ?? []).flatMap((container) => {
        const absent = [container.readinessProbe ? undefined : 'readiness', container.livenessProbe ? undefined : 'liveness'].filter(Boolean);
        return absent.length ? [`${container.name} (no ${absent.join(' or ')} probe)`] : [];
      });
      if (missing.length === 0) continue;
      found.push({
        ...atObject(view, app, desired),
        message: `${objectName(desired.object)} has containers without probes: ${missing.join(', ')}; a failed release then looks healthy and is not rolled back`,
      });
    }
    return found;
  },
};
