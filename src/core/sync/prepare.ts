// From "sync app A of environment E" to what to do: find the app in the repo, its kube context and client,
// then either the controller that should reconcile it (controller mode) or a dry-run plan (direct mode).
import { ClusterClient } from '../cluster/client';
import { loadKubeConfig } from '../cluster/kubeconfig';
import { discoverRepo } from '../discovery/discoverRepo';
import { resolveContext } from '../discovery/resolveContext';
import type { AppDefinition, EnvironmentDefinition, KubeObject, ObjectRef, ToolPaths } from '../model';
import type { RenderOptions } from '../render/options';
import { renderApp } from '../render/renderApp';
import { decryptManifestIfSops } from '../sops/manifest';
import { findLiveController } from './controller/syncThroughController';
import { SyncError } from './errors';
import type { SyncPlan } from './model';
import { planSync } from './plan';

export interface SyncRequest {
  repoRoot: string;
  environment: string;
  app: string;
  /** KUBECONFIG-style list of files; default $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** Overrides the environment's context. */
  context?: string;
  /** `auto` (default): through the app's controller when it is live in the cluster; `direct`: always apply. */
  mode?: 'auto' | 'direct';
  prune?: boolean;
  forceConflicts?: boolean;
  /** Extra objects a status run found for the app (prune candidates). */
  extra?: ObjectRef[];
  /** Tool paths and SOPS decryption for rendering (tool paths default to the repo's `.driftline.yaml`). */
  renderOptions?: RenderOptions;
  signal?: AbortSignal;
}

export interface SyncTarget {
  environment: EnvironmentDefinition;
  app: AppDefinition;
  context: string;
  client: ClusterClient;
  tools?: ToolPaths;
}

export type PreparedSync =
  | { mode: 'direct'; target: SyncTarget; plan: SyncPlan }
  | { mode: 'controller'; target: SyncTarget; controller: KubeObject };

export async function resolveSyncTarget(request: Pick<SyncRequest, 'repoRoot' | 'environment' | 'app' | 'kubeconfig' | 'context' | 'signal'>): Promise<SyncTarget> {
  const model = await discoverRepo(request.repoRoot, { signal: request.signal });
  const environment = model.environments.find((e) => e.name === request.environment);
  if (!environment) {
    const known = model.environments.map((e) => e.name).join(', ') || 'none';
    throw new SyncError(`No environment "${request.environment}" in ${model.root} (environments: ${known})`);
  }
  const app = environment.apps.find((a) => a.name === request.app);
  if (!app) {
    const known = environment.apps.map((a) => a.name).join(', ') || 'none';
    throw new SyncError(`No app "${request.app}" in environment ${environment.name} (apps: ${known})`);
  }
  const kubeconfig = loadKubeConfig(request.kubeconfig);
  const context = request.context ?? resolveContext(environment, kubeconfig.listContexts().map((c) => c.name), kubeconfig.currentContext);
  if (!context) throw new SyncError(`No kube context for environment ${environment.name} in ${kubeconfig.files.join(', ')}`);
  return { environment, app, context, client: ClusterClient.forContext(kubeconfig, context), tools: model.tools };
}

/** As drift does: SOPS-encrypted Secrets decrypted in memory with the keys sops would find (SOPS_AGE_KEY_FILE, gpg, ...). */
const decryptWithDefaultKeys = (text: string, file: string) => decryptManifestIfSops(text, file);

export async function prepareSync(request: SyncRequest): Promise<PreparedSync> {
  const target = await resolveSyncTarget(request);
  const { app, environment, client, context } = target;
  const controller = await findLiveController(client, app.controller);
  if (controller && (request.mode ?? 'auto') === 'auto') return { mode: 'controller', target, controller };
  const rendered = await renderApp(app, {
    decryptSecret: decryptWithDefaultKeys, ...request.renderOptions, tools: { ...target.tools, ...request.renderOptions?.tools }, signal: request.signal,
  });
  if (rendered.error) throw new SyncError(`Cannot sync ${environment.name}/${app.name}: ${rendered.error}`);
  const plan = await planSync({
    client, app, environment: { name: environment.name, context, protected: environment.protected },
    desired: rendered.objects, extra: request.extra, controllerObject: controller,
    prune: request.prune, forceConflicts: request.forceConflicts, signal: request.signal,
  });
  return { mode: 'direct', target, plan };
}
