// Input hashes across revisions: an app whose definition and input files are the same at base and head renders
// the same objects, so the base side takes the head's render instead of running kustomize or helm again. Only
// apps a changed file feeds (or whose definition differs) are rendered at the base.
import path from 'node:path';
import type { AppDefinition, RenderedApp } from '../model';
import { collectInputs, hashInputs, isAffectedBy } from '../render/collectInputs';
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
 * Seeds `base.workspace`'s render cache with the head's render of every app no changed file affects on either
 * side; returns the keys of the apps seeded. The base's own input hash is stored, so its renderApps reuses them.
 */
export async function seedUnchangedRenders(head: RenderedSide, base: { workspace: Workspace; root: string }, baseApps: AppDefinition[], changedFiles: string[]): Promise<Set<string>> {
  const changedAtHead = changedFiles.map((file) => path.join(head.root, file));
  const changedAtBase = changedFiles.map((file) => path.join(base.root, file));
  const affectedAtHead = new Set(head.workspace.renderCache.appsAffectedBy(changedAtHead).map(appKey));
  const headRenders = new Map(head.rendered.map((rendered) => [appKey(rendered.app), rendered]));
  const reads = new FileReads();
  const seeded = new Set<string>();
  await Promise.all(baseApps.map(async (app) => {
    const key = appKey(app);
    const headRender = headRenders.get(key);
    if (!headRender || headRender.error || headRender.sourceNote || affectedAtHead.has(key)) return;
    const headDefinition = rebasePaths(withoutDeclaration(headRender.app), head.root, base.root);
    if (JSON.stringify(headDefinition) !== JSON.stringify(withoutDeclaration(app))) return;
    const inputs = await collectInputs(app, reads);
    if (changedAtBase.some((file) => isAffectedBy(inputs, file))) return;
    const inputHash = await hashInputs(app, inputs, reads);
    const objects = headRender.objects.map((object) => ({ ...object, source: rebasePaths(object.source, head.root, base.root) }));
    base.workspace.renderCache.set(app, inputs, { ...headRender, app, objects, inputHash });
    seeded.add(key);
  }));
  return seeded;
}

function withoutDeclaration(app: AppDefinition): Omit<AppDefinition, 'declaredAt'> {
  const { declaredAt: _declaredAt, ...definition } = app;
  return definition;
}
