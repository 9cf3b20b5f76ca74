// Driftline marks what it applies, so that a later sync can prune exactly what it created.
// The commit it applied from goes beside them, so the Drift view can say what the cluster runs.
import { DRIFTLINE_APP_LABEL, DRIFTLINE_ENV_ANNOTATION, DRIFTLINE_REVISION_ANNOTATION, type AppDefinition, type KubeObject } from '../model';

/** A copy of `object` carrying the app's tracking label, the environment annotation and (when known) the commit. */
export function withTracking(object: KubeObject, app: Pick<AppDefinition, 'name' | 'environment'>, revision?: string): KubeObject {
  const copy = structuredClone(object);
  copy.metadata.labels = { ...copy.metadata.labels, [DRIFTLINE_APP_LABEL]: app.name };
  copy.metadata.annotations = {
    ...copy.metadata.annotations, [DRIFTLINE_ENV_ANNOTATION]: app.environment,
    ...(revision ? { [DRIFTLINE_REVISION_ANNOTATION]: revision } : {}),
  };
  return copy;
}

/** The label selector that finds what Driftline applied for an app. */
export function trackingSelector(app: Pick<AppDefinition, 'name'>): string {
  return `${DRIFTLINE_APP_LABEL}=${app.name}`;
}
