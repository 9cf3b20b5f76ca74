import type { DesiredObject } from '../model';
import { isClusterScopedKind } from './clusterScopedKinds';

/**
 * Gives namespaced objects the app's namespace: only those without one (Argo CD destination, Helm release
 * namespace), or all of them when `override` (Flux `targetNamespace` on a plain folder, like kustomize's
 * `namespace:`).
 */
export function applyNamespace(objects: DesiredObject[], namespace: string | undefined, override: boolean): DesiredObject[] {
  if (!namespace) return objects;
  return objects.map((desired) => {
    const { metadata, kind } = desired.object;
    if (isClusterScopedKind(kind) || (metadata.namespace && !override)) return desired;
    return { ...desired, object: { ...desired.object, metadata: { ...metadata, namespace } } };
  });
}
