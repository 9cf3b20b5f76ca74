// Health of a live object, for the kinds that have one (after Argo CD gitops-engine pkg/health and Flux's
// kstatus). Other kinds have no health: `undefined`. No controllers means no status, which reads as
// Progressing for workloads: the rollout has not been observed yet. Progressive delivery (Argo Rollouts,
// Flagger) is assessed in core/health, from the object and the live objects beside it (RelatedObjects).
import { groupOf, type HealthStatus, type KubeObject } from '../model';
import { canaryHealth } from '../health/canary';
import type { RelatedObjects } from '../health/related';
import { rolloutHealth } from '../health/rollout';
import { condition, type Dict, type Health } from '../health/status';

export type { Health } from '../health/status';

type HealthCheck = (object: KubeObject, spec: Dict, status: Dict, related?: RelatedObjects) => Health;

const checks: Record<string, HealthCheck> = {
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'batch/Job': jobHealth,
  '/PersistentVolumeClaim': pvcHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  'argoproj.io/Application': argoApplicationHealth,
  'argoproj.io/Rollout': (object, _spec, _status, related) => rolloutHealth(object, related),
  'flagger.app/Canary': (object, _spec, _status, related) => canaryHealth(object, related),
};

/** `related`: the live objects beside it that some checks read (a Rollout's ReplicaSets, a Canary's Events). */
export function healthOf(object: KubeObject, related?: RelatedObjects): Health | undefined {
  const group = groupOf(object.apiVersion);
  const check = checks[`${group}/${object.kind}`] ?? (group.endsWith('.toolkit.fluxcd.io') ? fluxHealth : undefined);
  if (!check) return undefined;
  return check(object, (object.spec ?? {}) as Dict, (object.status ?? {}) as Dict, related);
}

/** The rollout controller has not seen the newest spec yet. */
function notObserved(object: KubeObject, status: Dict): Health | undefined {
  const generation = object.metadata.generation as number | undefined;
  if (status.observedGeneration === undefined || (generation !== undefined && status.observedGeneration < generation)) {
    return { status: 'Progressing', message: 'waiting for the controller to observe the latest spec' };
  }
  return undefined;
}

function deploymentHealth(object: KubeObject, spec: Dict, status: Dict): Health {
  if (spec.paused) return { status: 'Suspended', message: 'deployment is paused' };
  const unobserved = notObserved(object, status);
  if (unobserved) return unobserved;
  const progressing = condition(status, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { status: 'Degraded', message: progressing.message ?? 'progress deadline exceeded' };
  }
  const wanted = spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < wanted) return { status: 'Progressing', message: `${updated} of ${wanted} replicas updated` };
  if ((status.replicas ?? 0) > updated) return { status: 'Progressing', message: 'old replicas are pending termination' };
  const available = status.availableReplicas ?? 0;
  if (available < updated) return { status: 'Progressing', message: `${available} of ${updated} updated replicas available` };
  return { status: 'Healthy' };
}

function statefulSetHealth(object: KubeObject, spec: Dict, status: Dict): Health {
  const unobserved = notObserved(object, status);
  if (unobserved) return unobserved;
  const wanted = spec.replicas ?? 1;
  const ready = status.readyReplicas ?? 0;
  if (ready < wanted) return { status: 'Progressing', message: `${ready} of ${wanted} replicas ready` };
  if (spec.updateStrategy?.type !== 'OnDelete' && status.updateRevision && status.currentRevision !== status.updateRevision) {
    return { status: 'Progressing', message: 'rolling update in progress' };
  }
  return { status: 'Healthy' };
}

function daemonSetHealth(object: KubeObject, _spec: Dict, status: Dict): Health {
  const unobserved = notObserved(object, status);
  if (unobserved) return unobserved;
  const wanted = status.desiredNumberScheduled ?? 0;
  const updated = status.updatedNumberScheduled ?? 0;
  if (updated < wanted) return { status: 'Progressing', message: `${updated} of ${wanted} pods updated` };
  const available = status.numberAvailable ?? 0;
  if (available < wanted) return { status: 'Progressing', message: `${available} of ${wanted} pods available` };
  return { status: 'Healthy' };
}

function jobHealth(_object: KubeObject, spec: Dict, status: Dict): Health {
  const failed = condition(status, 'Failed');
  if (failed?.status === 'True') return { status: 'Degraded', message: failed.message ?? failed.reason ?? 'job failed' };
  if (condition(status, 'Complete')?.status === 'True') return { status: 'Healthy' };
  if (spec.suspend) return { status: 'Suspended', message: 'job is suspended' };
  return { status: 'Progressing', message: 'job has not completed' };
}

function pvcHealth(_object: KubeObject, _spec: Dict, status: Dict): Health {
  if (status.phase === 'Bound') return { status: 'Healthy' };
  if (status.phase === 'Lost') return { status: 'Degraded', message: 'claim lost its volume' };
  return { status: 'Progressing', message: 'waiting for the claim to be bound' };
}

function podHealth(_object: KubeObject, _spec: Dict, status: Dict): Health {
  if (status.phase === 'Succeeded') return { status: 'Healthy' };
  if (status.phase === 'Failed') return { status: 'Degraded', message: status.message ?? 'pod failed' };
  for (const container of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const reason = container.state?.waiting?.reason;
    if (['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError'].includes(reason)) {
      return { status: 'Degraded', message: `container ${container.name}: ${reason}` };
    }
  }
  if (status.phase === 'Running' && condition(status, 'Ready')?.status === 'True') return { status: 'Healthy' };
  return { status: 'Progressing', message: `pod is ${status.phase ?? 'Pending'}` };
}

function serviceHealth(_object: KubeObject, spec: Dict, status: Dict): Health {
  if (spec.type === 'LoadBalancer' && !(status.loadBalancer?.ingress?.length > 0)) {
    return { status: 'Progressing', message: 'waiting for a load balancer address' };
  }
  return { status: 'Healthy' };
}

/** Flux objects report kstatus conditions: Ready, with Reconciling/Stalled while they work or give up. */
function fluxHealth(_object: KubeObject, spec: Dict, status: Dict): Health {
  if (spec.suspend) return { status: 'Suspended', message: 'reconciliation is suspended' };
  const ready = condition(status, 'Ready');
  if (ready?.status === 'True') return { status: 'Healthy', message: ready.message };
  if (condition(status, 'Stalled')?.status === 'True' || (ready?.status === 'False' && condition(status, 'Reconciling')?.status !== 'True')) {
    return { status: 'Degraded', message: ready?.message ?? condition(status, 'Stalled')?.message };
  }
  return { status: 'Progressing', message: ready?.message ?? 'not reconciled yet' };
}

/** Argo CD writes the application's aggregated health itself. */
function argoApplicationHealth(_object: KubeObject, _spec: Dict, status: Dict): Health {
  const health = status.health as { status?: string; message?: string } | undefined;
  const known: HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];
  const value = known.find((candidate) => candidate === health?.status);
  return value ? { status: value, message: health?.message } : { status: 'Progressing', message: 'not reconciled yet' };
}
