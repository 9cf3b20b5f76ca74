// Flux postBuild variables whose ConfigMap/Secret no build of the environment emits: kustomize-controller reads
// them from the cluster holding the Kustomization, so the comparison does too, once per refresh (each object
// read once however many apps use it, at most `concurrency` reads at a time, stopped with the refresh), and
// substitutes the app's rendered objects with them. The render cache keeps the objects unsubstituted; values
// read from a Secret live only in the substituted objects, and the fields they fill are masked in diffs.
import { createHash } from 'node:crypto';
import type { ClusterClient } from '../cluster/client';
import { Slots } from '../concurrency';
import type { AppDefinition, EnvironmentDefinition, KubeObject, RenderedApp, RepoModel } from '../model';
import type { DecryptManifest } from '../render/options';
import { applyPostBuild, needsLiveSources, type ReadLiveSource } from '../render/postBuild';
import { decryptFor } from '../render/renderApp';
import type { Workspace } from '../workspace';

export interface LiveSubstitutionOptions {
  /** The client of the cluster holding a Kustomization: the environment's, or that of `sourcesEnvironment` (spec.kubeConfig). */
  clientFor: (sourcesEnvironment: string | undefined) => ClusterClient;
  decryptFor: (app: AppDefinition) => DecryptManifest | undefined;
  concurrency: number;
  signal?: AbortSignal;
}

/** How the workspace's apps of `environment` read their live sources: through `client`, or another environment's client. */
export function liveSubstitutionOptions(
  workspace: Workspace, model: RepoModel, environment: EnvironmentDefinition, client: ClusterClient, signal?: AbortSignal,
): LiveSubstitutionOptions {
  const renderOptions = workspace.renderOptionsFor(model);
  return {
    clientFor: sourcesClientFor(workspace, model, environment, () => client, signal),
    decryptFor: (app) => decryptFor(app, renderOptions),
    concurrency: workspace.concurrency,
    signal,
  };
}

/**
 * The client of the cluster holding a Flux object whose sources are read live: `client` (the environment's own),
 * or, for an object applied to another cluster through spec.kubeConfig, that of the environment holding it.
 */
export function sourcesClientFor(
  workspace: Workspace, model: RepoModel, environment: EnvironmentDefinition, client: () => ClusterClient, signal?: AbortSignal,
): (sourcesEnvironment: string | undefined) => ClusterClient {
  return (name) => {
    if (!name || name === environment.name) return client();
    const home = model.environments.find((candidate) => candidate.name === name);
    if (!home) throw new Error(`environment ${name}, whose cluster holds the Flux object, is not in the repository's model`);
    return workspace.clientFor(workspace.contextFor(home)).withSignal(signal);
  };
}

/** `rendered` with each app that needs live sources substituted, or Unknown (error) saying which source failed how. */
export async function substituteLiveVariables(rendered: RenderedApp[], options: LiveSubstitutionOptions): Promise<RenderedApp[]> {
  const slots = new Slots(options.concurrency);
  const reads = new Map<string, Promise<KubeObject | undefined>>();
  const readerFor = (sourcesEnvironment: string | undefined): ReadLiveSource => async (source) => {
    const client = options.clientFor(sourcesEnvironment);
    const key = [client.context, source.kind, source.namespace, source.name].join('\u0000');
    let read = reads.get(key);
    if (!read) {
      read = slots.run(() => client.get({ apiVersion: 'v1', kind: source.kind, namespace: source.namespace, name: source.name }), options.signal);
      reads.set(key, read);
    }
    return read;
  };
  return Promise.all(rendered.map(async (app): Promise<RenderedApp> => {
    const substitution = app.app.substitute;
    if (app.error || app.app.unknownReason || !substitution || !needsLiveSources(substitution)) return app;
    const outcome = await applyPostBuild(app.objects, substitution, options.decryptFor(app.app), readerFor(substitution.sourcesEnvironment));
    if ('unknownReason' in outcome) return { ...app, objects: [], error: outcome.unknownReason };
    // Equal inputs compare equal only with equal values: the comparison cache keys on inputHash.
    return { ...app, objects: outcome.objects, inputHash: `${app.inputHash}\n${fingerprint(outcome.objects)}` };
  }));
}

function fingerprint(objects: RenderedApp['objects']): string {
  const hash = createHash('sha256');
  for (const { object } of objects) hash.update(JSON.stringify(object));
  return hash.digest('hex');
}
