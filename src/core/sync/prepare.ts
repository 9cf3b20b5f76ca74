// From "sync app A of environment E" to what to do, on the workspace's model (the apps the view shows, with
// its tool paths, contexts and render cache): the app's kube context and client, then either the controller
// that should reconcile it (controller mode) or a dry-run plan (direct mode).
import type { ClusterClient } from '../cluster/client';
import type { AppDefinition, EnvironmentDefinition, KubeObject, ObjectRef } from '../model';
import { liveSubstitutionOptions, substituteLiveVariables, sourcesClientFor } from '../drift/liveSubstitution';
import { helmClusterOf } from '../drift/helmClusterOf';
import { renderApps } from '../render/renderApps';
import type { Workspace } from '../workspace';
import { findLiveController } from './controller/syncThroughController';
import { SyncError } from './errors';
import type { SyncPlan } from './model';
import { planSync } from './plan';
import { workingRevision } from '../git/workingRevision';

export interface SyncRequest {
  environment: string;
  app: string;
  /** Overrides the environment's context. */
  context?: string;
  /** `auto` (default): through the app's controller when it is live in the cluster; `direct`: always apply. */
  mode?: 'auto' | 'direct';
  prune?: boolean;
  forceConflicts?: boolean;
  /** Extra objects a status run found for the app (prune candidates). */
  extra?: ObjectRef[];
  signal?: AbortSignal;
}

export interface SyncTarget {
  environment: EnvironmentDefinition;
  app: AppDefinition;
  context: string;
  /** The workspace's client for the context: not to be closed by the command (the workspace closes it). */
  client: ClusterClient;
}

export type PreparedSync =
  | { mode: 'direct'; target: SyncTarget; plan: SyncPlan }
  | { mode: 'controller'; target: SyncTarget; controller: KubeObject };

export async function resolveSyncTarget(workspace: Workspace, request: Pick<SyncRequest, 'environment' | 'app' | 'context' | 'signal'>): Promise<SyncTarget> {
  const { environment, app } = await workspace.locate(request.app, request.environment, request.signal);
  const context = workspace.contextFor(environment, request.context);
  return { environment, app, context, client: workspace.clientFor(context) };
}

export async function prepareSync(workspace: Workspace, request: SyncRequest): Promise<PreparedSync> {
  const target = await resolveSyncTarget(workspace, request);
  const { app, environment, context } = target;
  const client = target.client.withSignal(request.signal);
  const controller = await findLiveController(client, app.controller);
  if (controller && (request.mode ?? 'auto') === 'auto') return { mode: 'controller', target, controller };
  const model = await workspace.discover(request.signal);
  const helmCluster = helmClusterOf(sourcesClientFor(workspace, model, environment, () => client, request.signal), workspace.concurrency, request.signal);
  const [rendered] = await substituteLiveVariables(await renderApps([app], { ...workspace.renderOptionsFor(model), helmCluster, signal: request.signal }),
    liveSubstitutionOptions(workspace, model, environment, client, request.signal));
  if (rendered!.error) throw new SyncError(`Cannot sync ${environment.name}/${app.name}: ${rendered!.error}`);
  const plan = await planSync({
    client, app, environment: { name: environment.name, context, protected: environment.protected }, revision: await workingRevision(workspace.repoRoot, app),
    desired: rendered!.objects, extra: request.extra, controllerObject: controller, concurrency: workspace.concurrency,
    prune: request.prune, forceConflicts: request.forceConflicts, signal: request.signal,
  });
  return { mode: 'direct', target, plan };
}
