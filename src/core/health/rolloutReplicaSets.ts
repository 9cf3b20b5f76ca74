// The ReplicaSets of a Rollout's current and stable pod templates, with their images and available replicas,
// found among the live ReplicaSets by the hash label the rollouts controller puts on each.
import type { KubeObject } from '../model';
import { ownedBy, REPLICA_SET, type RelatedObjects } from './related';
import { numberOr, specAndStatus, type Dict } from './status';

const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** `canary ReplicaSet web-6d4cf56db6 (nginx:1.26, 1/1 available)`, then the stable one; one line when they are the same. */
export function describeReplicaSets(rollout: KubeObject, related: RelatedObjects | undefined): string[] {
  const { spec, status } = specAndStatus(rollout);
  const current = status.currentPodHash as string | undefined;
  if (!current) return [];
  const namespace = rollout.metadata.namespace;
  const listed = namespace ? related?.list(REPLICA_SET.apiVersion, REPLICA_SET.kind, namespace) : undefined;
  const owned = listed ? ownedBy(rollout, listed) : [];
  const describe = (role: string, hash: string, template?: Dict) => {
    const replicaSet = owned.find((candidate) => candidate.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
    const name = replicaSet?.metadata.name ?? `${rollout.metadata.name}-${hash}`;
    const images = imagesOf(((replicaSet?.spec ?? {}) as Dict).template ?? template);
    const counts = replicaSet ? `${numberOr((replicaSet.status as Dict | undefined)?.availableReplicas, 0)}/${numberOr((replicaSet.spec as Dict | undefined)?.replicas, 0)} available` : undefined;
    const about = [images, counts].filter(Boolean).join(', ');
    return `${role} ReplicaSet ${name}${about ? ` (${about})` : ''}`;
  };
  const stable = stableHash(status);
  const blueGreen = !!spec.strategy?.blueGreen;
  if (!stable || stable === current) return [describe('stable', current, spec.template)];
  return [describe(blueGreen ? 'preview' : 'canary', current, spec.template), describe(blueGreen ? 'active' : 'stable', stable)];
}

function imagesOf(template: Dict | undefined): string | undefined {
  const containers = Array.isArray(template?.spec?.containers) ? template.spec.containers as Dict[] : [];
  const images = containers.map((container) => container.image).filter(Boolean);
  return images.length ? images.join(', ') : undefined;
}

/** The stable ReplicaSet's pod hash (`status.stableRS`; before v0.8 `status.canary.stableRS`). */
export function stableHash(status: Dict): string | undefined {
  return status.stableRS || status.canary?.stableRS || undefined;
}
