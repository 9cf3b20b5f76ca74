// Input hashes across revisions: an app whose definition and input files are the same at base and head renders
// the same objects, so the base side takes the head's render instead of running kustomize or helm again. Only
// apps a changed file feeds (or whose definition differs) are rendered at the base.
import path from 'node:path';
import type { AppDefinition, RenderedApp } from '../model';
import { collectInputs, hashInputs } from '../render/collectInputs';
import { FileReads } from '../render/fileReads';
import { appKey } from '../render/renderApps';
import type { Workspace } from '../workspace';
import { rebasePaths } from './rebasePaths';

export interface RenderedSide {
  workspace: Workspace;
  root: string;
  rendered: RenderedApp[];
}

/**
 * The head's render, moved to the base's folder, of every base app defined as at the head that no changed file
 * affects, by appKey. The head's inputs suffice: the files an app reads follow from the contents of those it
 * read, so when none of them (nor a folder it lists) changed, the base reads the same files with the same contents.
 */
export function reusableRenders(head: RenderedSide, baseRoot: string, baseApps: AppDefinition[], changedFiles: string[]): Map<string, RenderedApp> {
  const affectedAtHead = new Set(head.workspace.renderCache.appsAffectedBy(changedFiles.map((file) => path.join(head.root, file))).map(appKey));
  const headRenders = new Map(head.rendered.map((rendered) => [appKey(rendered.app), rendered]));
  const reused = new Map<string, RenderedApp>();
  for (const app of baseApps) {
    const key = appKey(app);
    const headRender = headRenders.get(key);
    if (!headRender || headRender.error || headRender.provisional || affectedAtHead.has(key)) continue;
    const headDefinition = rebasePaths(withoutDeclaration(headRender.app), head.root, baseRoot);
    if (JSON.stringify(headDefinition) !== JSON.stringify(withoutDeclaration(app))) continue;
    const objects = headRender.objects.map((object) => ({ ...object, source: rebasePaths(object.source, head.root, baseRoot) }));
    reused.set(key, { ...headRender, app, objects });
  }
  return reused;
}

/** Puts reused renders in the base workspace's cache under the base's own input hashes, for a status of the whole base. */
export async function seedRenderCache(workspace: Workspace, reused: Iterable<RenderedApp>): Promise<void> {
  const reads = new FileReads();
  await Promise.all([...reused].map(async (rendered) => {
    const inputs = await collectInputs(rendered.app, reads);
    workspace.renderCache.set(rendered.app, inputs, { ...rendered, inputHash: await hashInputs(rendered.app, inputs, reads) });
  }));
}

function withoutDeclaration(app: AppDefinition): Omit<AppDefinition, 'declaredAt'> {
  const { declaredAt: _declaredAt, ...definition } = app;
  return definition;
}
