// The kinds a GitOps controller says it applied for an app, read from its live object: Flux Kustomization
// and Flux Operator ResourceSet `status.inventory.entries` (`<namespace>_<name>_<group>_<kind>` with the
// version: the operator keeps its inventory in Flux's format) and Argo CD Application
// `status.resources`. Listing those kinds too finds an object the app owns whose kind Git no longer has at all
// (Extra: the controller has not pruned it yet), even in a one-shot run. A controller object that cannot be read
// (not live, CRD not installed, forbidden) adds nothing: Extra detection then sees the kinds Git has, as before.
import type { ListKey } from '../cluster/liveSnapshot';
import { mapWithLimit } from '../concurrency';
import { apiVersionOf } from '../identity';
import type { AppDefinition, KubeObject, ObjectRef } from '../model';

export interface InventoryClient {
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
}

interface InventoryItem {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
}

export async function controllerInventoryKeys(client: InventoryClient, apps: AppDefinition[], concurrency: number): Promise<ListKey[]> {
  const controllers = apps.flatMap((app) => (app.controller && app.controller.kind !== 'HelmRelease' ? [app.controller] : []));
  const items = await mapWithLimit(controllers, concurrency, async (controller) => {
    const live = await client.get(controller).catch(() => undefined);
    return live ? inventoryOf(live) : [];
  });
  const keys = new Map<string, ListKey>();
  for (const item of items.flat()) {
    const apiVersion = apiVersionOf(item.group, item.version);
    keys.set(`${apiVersion}/${item.kind}/${item.namespace ?? ''}`, { apiVersion, kind: item.kind, ...(item.namespace ? { namespace: item.namespace } : {}) });
  }
  return [...keys.values()];
}

/** What a live Flux Kustomization, Flux Operator ResourceSet or Argo CD Application lists as applied. */
export function inventoryOf(controller: KubeObject): InventoryItem[] {
  const status = controller.status as { inventory?: { entries?: unknown }; resources?: unknown } | undefined;
  if (controller.kind === 'Kustomization' || controller.kind === 'ResourceSet') {
    const entries = Array.isArray(status?.inventory?.entries) ? status.inventory.entries as Array<{ id?: unknown; v?: unknown }> : [];
    return entries.flatMap((entry) => {
      const parts = typeof entry.id === 'string' ? entry.id.split('_') : [];
      if (parts.length !== 4 || typeof entry.v !== 'string' || !parts[3]) return [];
      const [namespace, , group, kind] = parts;
      return [{ group, version: entry.v, kind, ...(namespace ? { namespace } : {}) }];
    });
  }
  if (controller.kind === 'Application') {
    const resources = Array.isArray(status?.resources) ? status.resources as Array<Record<string, unknown>> : [];
    return resources.flatMap((resource) => {
      const { group = '', version, kind, namespace } = resource;
      if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string' || !version || !kind) return [];
      return [{ group, version, kind, ...(typeof namespace === 'string' && namespace ? { namespace } : {}) }];
    });
  }
  return [];
}
