// Which live objects belong to an app, by the tracking labels and annotations its applier writes: Driftline's
// own label (direct syncs), Flux kustomize-/helm-controller labels, the Flux Operator's ResourceSet labels,
// Argo CD's tracking id or instance label.
// An owned object that Git no longer has is Extra: a prune candidate.
import {
  ARGO_INSTANCE_LABEL, ARGO_TRACKING_ID_ANNOTATION, DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION,
  FLUX_HELM_NAME_LABEL, FLUX_HELM_NAMESPACE_LABEL, FLUX_KUSTOMIZE_NAME_LABEL, FLUX_KUSTOMIZE_NAMESPACE_LABEL,
  FLUX_RESOURCESET_NAME_LABEL, FLUX_RESOURCESET_NAMESPACE_LABEL, type AppDefinition, type KubeObject,
} from '../model';

export function isOwnedByApp(live: KubeObject, app: AppDefinition): boolean {
  if (isDerived(live)) return false;
  const labels = live.metadata.labels ?? {};
  const annotations = live.metadata.annotations ?? {};
  if (labels[DRIFTLINE_APP_LABEL] === app.name) {
    const environment = annotations[DRIFTLINE_ENV_ANNOTATION];
    if (environment === undefined || environment === app.environment) return true;
  }
  const controller = app.controller;
  if (!controller) return false;
  switch (controller.kind) {
    case 'Kustomization':
      return labels[FLUX_KUSTOMIZE_NAME_LABEL] === controller.name && labels[FLUX_KUSTOMIZE_NAMESPACE_LABEL] === controller.namespace;
    case 'HelmRelease':
      return labels[FLUX_HELM_NAME_LABEL] === controller.name && labels[FLUX_HELM_NAMESPACE_LABEL] === controller.namespace;
    case 'ResourceSet':
      return labels[FLUX_RESOURCESET_NAME_LABEL] === controller.name && labels[FLUX_RESOURCESET_NAMESPACE_LABEL] === controller.namespace;
    case 'Application': {
      // Tracking id: `<app>:<group>/<kind>:<namespace>/<name>`, the app qualified as `<namespace>_<app>` when
      // Applications live outside Argo CD's own namespace. Label tracking is the default without one.
      const trackingId = annotations[ARGO_TRACKING_ID_ANNOTATION];
      if (trackingId !== undefined) {
        const owner = trackingId.slice(0, trackingId.indexOf(':'));
        return owner === controller.name || owner === `${controller.namespace}_${controller.name}`;
      }
      return labels[ARGO_INSTANCE_LABEL] === controller.name;
    }
  }
}

/**
 * The tracking values a live object carries, as keys: an app can own it only if ownerKeysOfApp shares one.
 * Lets an environment index its live objects once instead of testing every object against every app.
 */
export function ownerKeysOfLive(live: KubeObject): string[] {
  const labels = live.metadata.labels ?? {};
  const keys: string[] = [];
  if (labels[DRIFTLINE_APP_LABEL] !== undefined) keys.push(`driftline:${labels[DRIFTLINE_APP_LABEL]}`);
  if (labels[FLUX_KUSTOMIZE_NAME_LABEL] !== undefined) keys.push(`flux-kustomization:${labels[FLUX_KUSTOMIZE_NAME_LABEL]}`);
  if (labels[FLUX_HELM_NAME_LABEL] !== undefined) keys.push(`flux-helmrelease:${labels[FLUX_HELM_NAME_LABEL]}`);
  if (labels[FLUX_RESOURCESET_NAME_LABEL] !== undefined) keys.push(`flux-resourceset:${labels[FLUX_RESOURCESET_NAME_LABEL]}`);
  const trackingId = live.metadata.annotations?.[ARGO_TRACKING_ID_ANNOTATION];
  if (trackingId !== undefined) keys.push(`argo:${trackingId.slice(0, trackingId.indexOf(':'))}`);
  if (labels[ARGO_INSTANCE_LABEL] !== undefined) keys.push(`argo:${labels[ARGO_INSTANCE_LABEL]}`);
  return keys;
}

export function ownerKeysOfApp(app: AppDefinition): string[] {
  const keys = [`driftline:${app.name}`];
  const controller = app.controller;
  if (controller?.kind === 'Kustomization') keys.push(`flux-kustomization:${controller.name}`);
  if (controller?.kind === 'HelmRelease') keys.push(`flux-helmrelease:${controller.name}`);
  if (controller?.kind === 'ResourceSet') keys.push(`flux-resourceset:${controller.name}`);
  if (controller?.kind === 'Application') keys.push(`argo:${controller.name}`, `argo:${controller.namespace}_${controller.name}`);
  return keys;
}

/** Objects a controller made from another (ReplicaSets, Pods, Endpoints) copy labels but are not in Git. */
function isDerived(live: KubeObject): boolean {
  const owners = live.metadata.ownerReferences as { controller?: boolean }[] | undefined;
  return Array.isArray(owners) && owners.some((owner) => owner.controller === true);
}
