// app -> desired objects. A failure never throws: it becomes RenderedApp.error with the tool's own message,
// naming the app and its folder, so the rest of the model still renders. An abort is not a failure: it rejects.
import { createHash } from 'node:crypto';
import { stoppedBy } from '../abort';
import { refId, refOf } from '../identity';
import type { AppDefinition, DesiredObject, RenderedApp } from '../model';
import { sourceAppsOf } from './appSources';
import { applyNamespace } from './applyNamespace';
import { renderDirectory } from './argoDirectory';
import { collectInputs, hashInputs, type AppInputs } from './collectInputs';
import { decryptObjects } from './decryptSops';
import type { DecryptManifest, RenderOptions, SourceNote } from './options';
import { applyPostBuild, needsLiveSources } from './postBuild';
import { renderHelm } from './renderHelm';
import { renderKustomize } from './renderKustomize';
import { renderYamlFiles } from './renderYaml';
import { assertToolAllowed } from './runTool';
import { ChartNotFetchedError } from '../sources/remoteChart';

/** `staging/podinfo (/repo/apps/staging)`: how render errors name an app. */
function describeApp(app: AppDefinition): string {
  return `${app.environment}/${app.name} (${app.path})`;
}

/** One source's objects: what an app of that one source renders. */
async function renderSource(app: AppDefinition, inputs: AppInputs, options: RenderOptions, decrypt: DecryptManifest | undefined): Promise<DesiredObject[]> {
  if (inputs.directoryFiles) return applyNamespace(await renderDirectory(app, inputs.directoryFiles, options, decrypt), app.namespace, false);
  switch (app.renderer) {
    case 'kustomize':
      assertToolAllowed('kustomize', options);
      // Flux targetNamespace is in the overlay (kustomize sets it); an Argo destination only fills gaps.
      return applyNamespace(
        await renderKustomize(app, inputs.kustomizeTree!, options, inputs.kustomizeOutput), app.namespace, false);
    case 'helm':
      return applyNamespace(await renderHelm(app, options, decrypt), app.namespace, false);
    case 'yaml':
    case 'jsonnet':
      return applyNamespace(
        await renderYamlFiles(inputs.files, decrypt), app.namespace, app.origin === 'flux-kustomization');
    case 'resourceset':
      // Expanded by discovery (it has to, to find the Kustomizations and HelmReleases among them).
      return applyNamespace(app.generatedObjects ?? [], app.namespace, false);
  }
}

/**
 * The app's objects; a multi-source app's are the union of its sources', where (as Argo CD does) an object a
 * later source renders too replaces the earlier one. A failing source fails the app, naming the source.
 */
async function renderObjects(app: AppDefinition, inputs: AppInputs, options: RenderOptions, decrypt: DecryptManifest | undefined): Promise<DesiredObject[]> {
  if (!app.sources || !inputs.sourceInputs) return renderSource(app, inputs, options, decrypt);
  const sourceInputs = inputs.sourceInputs;
  const perSource = await Promise.all(sourceAppsOf(app).map(async (source, index) => {
    try {
      return await renderSource(source, sourceInputs[index], options, decrypt);
    } catch (error) {
      if (stoppedBy(error, options.signal)) throw error;
      throw new Error(`source ${index + 1} (${source.path}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }));
  const byIdentity = new Map<string, DesiredObject>();
  for (const desired of perSource.flat()) {
    const id = refId(refOf(desired.object));
    byIdentity.delete(id);
    byIdentity.set(id, desired);
  }
  return [...byIdentity.values()];
}

/** Renders one app whose inputs were already collected and hashed; says where fetched charts came from when that matters. */
export async function renderCollected(app: AppDefinition, inputs: AppInputs, inputHash: string, options: RenderOptions): Promise<RenderedApp> {
  // A Git source from the cache is the app definition's note: discovery asks the remote again on each refresh.
  const sourceNotes: SourceNote[] = app.sourceNote ? [{ text: app.sourceNote }] : [];
  const rendered = await renderCollectedObjects(app, inputs, inputHash, { ...options, sourceNotes });
  if (sourceNotes.length === 0) return rendered;
  // Objects of a cached chart are not those of the same inputs fetched afresh: comparisons cached by hash must not mix them.
  const sourceNote = sourceNotes.map((note) => note.text).join('; ');
  const provisional = sourceNotes.some((note) => note.provisional);
  return { ...rendered, sourceNote, ...(provisional ? { provisional } : {}), inputHash: notedInputHash(rendered.inputHash, sourceNote) };
}

/** The inputHash of a render from inputs hashing to `inputHash` whose sources are noted as `sourceNote`. */
export function notedInputHash(inputHash: string, sourceNote: string | undefined): string {
  return sourceNote === undefined ? inputHash : createHash('sha256').update(`${inputHash}\n${sourceNote}`).digest('hex');
}

async function renderCollectedObjects(app: AppDefinition, inputs: AppInputs, inputHash: string, options: RenderOptions): Promise<RenderedApp> {
  if (app.unknownReason) {
    // A chart whose source only the cluster knows: the release helm-controller stored there may stand in.
    const chartNotFetched = app.chartSourceMissing === app.unknownReason ? { chartNotFetched: app.unknownReason } : {};
    return { app, objects: [], inputHash, error: app.unknownReason, ...chartNotFetched };
  }
  const decrypt = decryptFor(app, options);
  try {
    // kustomize-controller decrypts, then substitutes. Variables read live are substituted when the app compares (liveSubstitution.ts).
    const objects = await decryptObjects(await renderObjects(app, inputs, options, decrypt), decrypt);
    if (!app.substitute || needsLiveSources(app.substitute)) return { app, objects, inputHash };
    const substituted = await applyPostBuild(objects, app.substitute, decrypt);
    return 'unknownReason' in substituted ? { app, objects: [], inputHash, error: substituted.unknownReason } : { app, objects: substituted.objects, inputHash };
  } catch (error) {
    if (stoppedBy(error, options.signal)) throw error;
    const failed = { app, objects: [], inputHash, error: `${describeApp(app)}: ${error instanceof Error ? error.message : String(error)}` };
    return error instanceof ChartNotFetchedError ? { ...failed, chartNotFetched: error.message } : failed;
  }
}

/**
 * The decryption hook told whether gpg/sops may run (only when tools may) and whether the MAC is checked: not
 * for a Flux Kustomization's objects, since kustomize-controller decrypts what its build changed without it.
 */
export function decryptFor(app: AppDefinition, options: RenderOptions): DecryptManifest | undefined {
  const { decryptSecret, allowTools } = options;
  const how = { allowBinaries: allowTools !== false, verifyMac: app.origin !== 'flux-kustomization', signal: options.signal };
  return decryptSecret && ((text, file) => decryptSecret(text, file, how));
}

export async function renderApp(app: AppDefinition, options: RenderOptions = {}): Promise<RenderedApp> {
  options.signal?.throwIfAborted();
  const inputs = await collectInputs(app, options.reads);
  return renderCollected(app, inputs, await hashInputs(app, inputs, options.reads), options);
}
