// --skip-kinds, --skip-crds, --skip-secrets: objects of these kinds are left out of every side of a preview.
import { groupOf } from '../identity';
import type { PreviewSkips } from './model';

/** True for an object the preview keeps. */
export type ObjectFilter = (object: { apiVersion: string; kind: string }) => boolean;

export function objectFilter(skips: PreviewSkips = {}): ObjectFilter {
  const kinds = new Set((skips.kinds ?? []).map((kind) => kind.trim()).filter(Boolean));
  return (object) => {
    const group = groupOf(object.apiVersion);
    if (kinds.has(object.kind) || kinds.has(group ? `${object.kind}.${group}` : object.kind)) return false;
    if (skips.crds && object.kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') return false;
    if (skips.secrets && object.kind === 'Secret' && object.apiVersion === 'v1') return false;
    return true;
  };
}
