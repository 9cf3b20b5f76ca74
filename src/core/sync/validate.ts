// Validation before the first write. Flux validates a whole Kustomization with a server-side dry-run before it
// applies anything; so does Driftline. Two cases need more than one dry-run per object:
// - an object in a Namespace this sync creates cannot be dry-run where it will live (the namespace does not
//   exist yet), so it is dry-run in a namespace that does exist: the schema, the kind and most admission checks
//   do not depend on the namespace. Where that is not possible, it is validated after its Namespace is applied;
// - an object of a kind whose CRD this sync creates is validated after the CRD is applied.
// A dry-run that fails because a field is immutable means the object needs replacing (delete and create).
import { DRIFTLINE_FIELD_MANAGER, type KubeObject } from '../model';
import type { SyncClient } from './client';
import { clusterReason, messageOf, serverMessage } from './errors';

export type Validation =
  | { outcome: 'accepted' }
  | { outcome: 'refused'; reason: string; needsReplace: boolean }
  /** Could not be checked now: it needs a Namespace or CRD the sync creates first. */
  | { outcome: 'deferred' };

/** What the server says to applying `object` where it would live (after its prerequisites exist). */
export async function validateInPlace(client: SyncClient, object: KubeObject, force: boolean): Promise<Validation> {
  try {
    await dryRunApply(client, object, force);
    return { outcome: 'accepted' };
  } catch (error) {
    return refusalOf(error);
  }
}

/**
 * Dry-runs `object` as if it lived in `namespace` (one that exists), to learn whether the server accepts it
 * before its own Namespace exists. An object of that name already there would turn the dry-run into an update of
 * another object, whose answer says nothing about ours: then the check waits until the Namespace is applied.
 */
export async function validateInExistingNamespace(client: SyncClient, object: KubeObject, namespace: string): Promise<Validation> {
  const stand = structuredClone(object);
  stand.metadata.namespace = namespace;
  try {
    if (await client.get({ apiVersion: stand.apiVersion, kind: stand.kind, namespace, name: stand.metadata.name })) return { outcome: 'deferred' };
    await dryRunApply(client, stand, false);
    return { outcome: 'accepted' };
  } catch (error) {
    if (clusterReason(error) === 'NotFound') return { outcome: 'deferred' }; // that namespace is gone too
    return refusalOf(error);
  }
}

export function dryRunApply(client: SyncClient, object: KubeObject, force: boolean): Promise<KubeObject> {
  return client.serverSideApply(object, { dryRun: true, fieldManager: DRIFTLINE_FIELD_MANAGER, force });
}

export function refusalOf(error: unknown): Extract<Validation, { outcome: 'refused' }> {
  const needsReplace = clusterReason(error) === 'Invalid' && /field is immutable|is immutable/i.test(serverMessage(error));
  return { outcome: 'refused', reason: needsReplace ? `needs replace (delete and create): ${messageOf(error)}` : messageOf(error), needsReplace };
}
