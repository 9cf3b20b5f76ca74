// A Flux Kustomization or HelmRelease whose source is not in Git: the controller reports "source not found"
// and applies nothing, while the files look fine.
import { objectsOfKinds } from '../doctorInput';
import type { RuleFinding } from '../finding';
import { atObject, objectName, type DoctorRule } from '../rule';

type Dict = Record<string, unknown>;
interface SourceRef { kind: string; name: string; namespace: string }

export const sourceRefMissing: DoctorRule = {
  id: 'source-ref-missing',
  severity: 'warning',
  summary: 'a Flux Kustomization or HelmRelease whose sourceRef or chartRef names no source in Git',
  check(views, input) {
    const found: RuleFinding[] = [];
    // The operator creates a FluxInstance's sync source itself: it is in no file.
    const generated = new Set(input.scanned.filter(({ object }) => object.kind === 'FluxInstance').map(({ object }) => {
      const sync = ((object.spec as Dict | undefined)?.sync ?? {}) as Dict;
      const namespace = object.metadata.namespace ?? 'flux-system';
      return `${String(sync.kind ?? 'GitRepository')}/${namespace}/${typeof sync.name === 'string' && sync.name ? sync.name : namespace}`;
    }));
    for (const view of views) {
      for (const { app, desired } of objectsOfKinds(view, new Set(['Kustomization', 'HelmRelease']))) {
        if (!/\.toolkit\.fluxcd\.io\//.test(desired.object.apiVersion)) continue;
        const namespace = desired.object.metadata.namespace ?? app.controller?.namespace ?? 'flux-system';
        for (const ref of sourceRefsOf(desired.object.kind, (desired.object.spec ?? {}) as Dict, namespace)) {
          if (generated.has(`${ref.kind}/${ref.namespace}/${ref.name}`) || view.controllers.find(ref.kind, ref.namespace, ref.name)) continue;
          found.push({
            ...atObject(view, app, desired),
            message: `${objectName(desired.object)} takes its source from ${ref.kind} ${ref.namespace}/${ref.name}, which is not in Git: ` +
              'the controller reports "source not found" unless it was created another way',
          });
        }
      }
    }
    return found;
  },
};

function sourceRefsOf(kind: string, spec: Dict, namespace: string): SourceRef[] {
  const refOf = (value: unknown): SourceRef[] => {
    const ref = value as Dict | undefined;
    if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return [];
    return [{ kind: ref.kind, name: ref.name, namespace: typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : namespace }];
  };
  if (kind === 'Kustomization') return refOf(spec.sourceRef);
  const chartSpec = ((spec.chart as Dict | undefined)?.spec ?? undefined) as Dict | undefined;
  return [...refOf(chartSpec?.sourceRef), ...refOf(spec.chartRef)];
}
