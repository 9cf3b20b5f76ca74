// RelatedObjects over a plain list of objects, as compareEnvironment hands health checks what it listed.
import type { KubeObject } from '../../../src/core/model';
import type { RelatedObjects } from '../../../src/core/health/related';

export function relatedOf(objects: KubeObject[], listedKinds = new Set(objects.map((object) => object.kind))): RelatedObjects {
  return {
    list: (apiVersion, kind, namespace) => (listedKinds.has(kind)
      ? objects.filter((object) => object.apiVersion === apiVersion && object.kind === kind && object.metadata.namespace === namespace)
      : undefined),
  };
}
