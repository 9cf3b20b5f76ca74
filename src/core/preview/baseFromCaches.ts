// The base of a working-tree preview from the engine's own caches, without checking the base out: the working
// tree usually differs from the base only by the few files the user just edited, and the engine rendered the
// apps they feed before the edit. Walking an app's inputs through the base revision (RevisionReads) gives its
// input hash there; when the render cache holds a render from exactly those inputs (the latest, or the one the
// edit replaced), that is the base's render. Any app it cannot prove so (another renderer, values read live, a
// render from other inputs) leaves the base to a checkout, as does any change that may alter discovery.
import { whyRediscoverAny, type ChangedFile } from '../discovery/changeAffectsDiscovery';
import { CONTROLLER_GROUPS } from '../discovery/scanRepo';
import { DriftEngine } from '../drift/engine';
import type { AppDefinition, RenderedApp } from '../model';
import { collectInputs, hashInputs, type AppInputs } from '../render/collectInputs';
import { readsLiveValues } from '../render/helmCluster';
import { isWithin } from '../render/listFiles';
import { appKey, type RenderCache } from '../render/renderApps';
import type { RevisionReads } from './revisionReads';
import { baseLive, selectedApps, type BaseSide, type Side, type SideFilter } from './sides';

interface CachedRender {
  inputs: AppInputs;
  rendered: RenderedApp;
}

/** Whether the engine has rendered anything yet (a fresh engine has no render a base could be). */
export function hasRenders(cache: RenderCache): boolean {
  return cache.inputFiles().size > 0;
}

/**
 * The base side from the head's caches, or undefined when a checkout is needed. `reads` is the base revision seen
 * from the working tree, `changedFiles` the paths (relative to the git repository) where the two differ, `head`
 * the working tree's side (the caller's engine).
 */
export async function baseSideFromCaches(reads: RevisionReads, changedFiles: string[], head: Side, filter: SideFilter): Promise<BaseSide | undefined> {
  const cache = head.workspace.renderCache;
  const changed = changedFiles.map((file) => reads.pathOf(file));
  // Discovery reads the GitOps folder only (as when the base is checked out: sameDiscovery in sides.ts).
  const inFolder = changed.filter((file) => isWithin(file, head.root));
  const renderInputs = cache.inputFiles();
  if (await whyRediscoverAny(inFolder, head.model, renderInputs)) return undefined;
  if (await whyRediscoverAny(inFolder, head.model, renderInputs, (file) => changedFileAt(reads, file))) return undefined;
  const apps = selectedApps(head.model, filter);
  const affected = new Set(cache.appsAffectedBy(changed).map(appKey));
  const headRenders = new Map(head.rendered.map((rendered) => [appKey(rendered.app), rendered]));
  const atBase = new Map<string, CachedRender>();
  for (const app of apps.filter((candidate) => affected.has(appKey(candidate)))) {
    const cached = await renderAtRevision(cache, app, reads);
    if (!cached) return undefined;
    atBase.set(appKey(app), cached);
  }
  const rendered = apps.map((app) => atBase.get(appKey(app))?.rendered ?? headRenders.get(appKey(app))!);
  const side: BaseSide = {
    workspace: head.workspace, root: head.root, model: head.model, rendered, reusedModel: true,
    reused: new Set(apps.map(appKey).filter((key) => !atBase.has(key))),
  };
  if (filter.live && apps.length > 0) {
    // A sibling at the same folder whose cache holds the base's renders, trusted as they are: its files are the head's.
    const workspace = head.workspace.atRoot(head.root, head.model);
    const trusted = new Set<string>();
    for (const app of apps) {
      const entry = atBase.get(appKey(app)) ?? cache.renderedFrom(app, headRenders.get(appKey(app))!.inputHash);
      if (!entry) continue; // a failed render: rendered again from the same files, if its status needs it
      workspace.renderCache.set(app, entry.inputs, entry.rendered);
      trusted.add(appKey(app));
    }
    const again = apps.filter((app) => atBase.has(appKey(app)));
    side.live = await baseLive(new DriftEngine(workspace), head.model, apps, again, head, filter, { sharedLists: filter.sharedLists, trustedRenders: trusted });
  }
  return side;
}

/** The cached render of `app` made from its inputs at the revision, for the renderers whose inputs FileReads reads. */
async function renderAtRevision(cache: RenderCache, app: AppDefinition, reads: RevisionReads): Promise<CachedRender | undefined> {
  if (app.renderer !== 'kustomize' || app.sources || app.directory || app.helm || readsLiveValues(app)) return undefined;
  const inputs = await collectInputs(app, reads);
  return cache.renderedFrom(app, await hashInputs(app, inputs, reads));
}

/** What discovery's change check needs of a path, at the revision. */
async function changedFileAt(reads: RevisionReads, file: string): Promise<ChangedFile> {
  if (!(await reads.stat(file))?.isFile()) return { path: file, isFile: false, namesControllers: false };
  const text = await reads.readText(file);
  return { path: file, isFile: true, namesControllers: CONTROLLER_GROUPS.test(text), text };
}
