// What the rules read: the repo model, every app's rendered objects, and (when the cluster was asked) the
// comparison. Built once per doctor run; each rule only reads it.
import type { ScannedObject } from '../discovery/scanRepo';
import type { AppDefinition, DesiredObject, EnvironmentDefinition, KubeObject, RenderedApp, RepoModel, StatusReport } from '../model';
import { controllerObjectsOf, type ControllerObjects } from './controllerObjects';

export interface DoctorInput {
  model: RepoModel;
  /** Every app of the model, rendered (an app that failed to render has `error` and no objects). */
  rendered: RenderedApp[];
  /** The live comparison, when the cluster was reached (rules about live state need it; without it they are skipped). */
  status?: StatusReport;
  /** The Flux and Argo CD objects of the repo's files (discovery's scan): what a sourceRef may name when no build emits it. */
  scanned: readonly ScannedObject[];
}

/** One environment's apps with their objects, and the controller objects (Kustomizations, Applications, sources...) they declare. */
export interface EnvironmentView {
  environment: EnvironmentDefinition;
  apps: { app: AppDefinition; objects: DesiredObject[]; error?: string }[];
  controllers: ControllerObjects;
}

export function environmentViews(input: DoctorInput): EnvironmentView[] {
  return input.model.environments.map((environment) => {
    const apps = environment.apps.map((app) => {
      const rendered = renderedOf(input.rendered, environment, app);
      return { app, objects: rendered?.objects ?? [], ...(rendered?.error ? { error: rendered.error } : {}) };
    });
    return { environment, apps, controllers: controllerObjectsOf(apps, input.scanned) };
  });
}

function renderedOf(rendered: RenderedApp[], environment: EnvironmentDefinition, app: AppDefinition): RenderedApp | undefined {
  return rendered.find((candidate) => candidate.app.environment === environment.name && candidate.app.name === app.name);
}

/** Workload kinds whose pods a rule looks at, with where their pod spec is. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'argoproj.io/Rollout': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  '/Pod': ['spec'],
};

/** Long-running workloads: what readiness and liveness probes are for. */
export const LONG_RUNNING_KINDS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'argoproj.io/Rollout']);

export function kindKey(object: KubeObject): string {
  const slash = object.apiVersion.indexOf('/');
  return `${slash < 0 ? '' : object.apiVersion.slice(0, slash)}/${object.kind}`;
}

export interface Container {
  name: string;
  image?: string;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}

/** The containers of a workload's pod template (init containers with `init: true`), or undefined for other kinds. */
export function containersOf(object: KubeObject): { containers: Container[]; initContainers: Container[] } | undefined {
  const at = POD_SPEC_PATHS[kindKey(object)];
  if (!at) return undefined;
  let spec: unknown = object;
  for (const key of at) spec = (spec as Record<string, unknown> | undefined)?.[key];
  const list = (value: unknown): Container[] => (Array.isArray(value) ? value.filter(isContainer) : []);
  const podSpec = (spec ?? {}) as { containers?: unknown; initContainers?: unknown };
  return { containers: list(podSpec.containers), initContainers: list(podSpec.initContainers) };
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

/**
 * The objects of these kinds in an environment, each with the app that applies it; a controller object no build
 * emits (an Application file discovery read directly) comes with the app it declares.
 */
export function objectsOfKinds(view: EnvironmentView, kinds: ReadonlySet<string>): { app: AppDefinition; desired: DesiredObject }[] {
  const found = view.apps.flatMap(({ app, objects }) => objects.filter((desired) => kinds.has(desired.object.kind)).map((desired) => ({ app, desired })));
  const seen = new Set(found.map(({ desired }) => desired));
  for (const { app } of view.apps) {
    const own = view.controllers.ofApp(app);
    if (own && kinds.has(own.object.kind) && !seen.has(own)) {
      seen.add(own);
      found.push({ app, desired: own });
    }
  }
  return found;
}

/** Every desired object of every app, with its environment's view and its app: what the per-object rules walk. */
export function* desiredObjectsOf(views: EnvironmentView[]): Generator<{ view: EnvironmentView; app: AppDefinition; desired: DesiredObject }> {
  for (const view of views) {
    for (const { app, objects } of view.apps) for (const desired of objects) yield { view, app, desired };
  }
}
