// The three comparisons of one environment, object by object: head vs base from the two renders (Git only),
// and, with the cluster, the engine's head-vs-live and base-vs-live results beside them. An object only the
// base renders is `pruned` when its live object is owned by the base's app (ownership.ts decides, as for
// Extra objects), else `removed`.
import { changedPaths } from '../drift/changedPaths';
import { applyIgnoreRules } from '../drift/ignoreRules';
import { maskSecretFields, maskSecretPair } from '../drift/maskSecrets';
import { beforeDryRunSteps, comparisonSteps, normalize } from '../drift/normalize';
import { refId, refOf } from '../identity';
import type { AppDefinition, DesiredObject, EnvironmentResult, IgnoreRule, KubeObject, ObjectRef, RenderedApp, ResourceResult } from '../model';
import { NO_CHANGES, type PreviewApp, type PreviewChange, type PreviewCounts, type PreviewEnvironment, type PreviewObject } from './model';
import type { ObjectFilter } from './skipKinds';

export interface EnvironmentSides {
  name: string;
  head: RenderedApp[];
  base: RenderedApp[];
  /** The engine's results with the cluster (absent: Git only, or that side has no such environment). */
  headLive?: EnvironmentResult;
  baseLive?: EnvironmentResult;
  /** Apps (by name) whose base render was the head's. */
  reused: ReadonlySet<string>;
}

export interface CompareRevisionsOptions {
  ignoreRules: IgnoreRule[];
  keep: ObjectFilter;
  /** With the cluster: whether the live object of `ref` is owned by `app` (what prune would delete). */
  ownedLive?: (ref: ObjectRef, app: AppDefinition) => Promise<boolean>;
}

interface Rendered {
  desired: DesiredObject;
  app: AppDefinition;
}

export async function compareEnvironmentRevisions(sides: EnvironmentSides, options: CompareRevisionsOptions): Promise<PreviewEnvironment> {
  const headIndex = indexObjects(sides.head, options.keep);
  const baseIndex = indexObjects(sides.base, options.keep);
  const headLive = liveIndex(sides.headLive, options.keep);
  const baseLive = liveIndex(sides.baseLive, options.keep);
  const headApps = new Map(sides.head.map((rendered) => [rendered.app.name, rendered]));
  const baseApps = new Map(sides.base.map((rendered) => [rendered.app.name, rendered]));
  const names = [...new Set([...headApps.keys(), ...baseApps.keys()])];
  const apps = await Promise.all(names.map(async (name): Promise<PreviewApp> => {
    const head = headApps.get(name);
    const base = baseApps.get(name);
    const describe = { environment: sides.name, name, renderedAgain: !sides.reused.has(name) };
    const reason = renderProblem(head, 'head') ?? renderProblem(base, 'base');
    if (reason) return { ...describe, change: 'unknown', reason, counts: { ...NO_CHANGES }, objects: [] };
    const ids = [
      ...idsOf(head, options.keep),
      ...idsOf(base, options.keep).filter((id) => !headIndex.has(id)),
      // Owned live objects neither side renders: drift already there, shown for context.
      ...[...headLive.entries()].filter(([id, live]) => live.app === name && live.result.status === 'Extra' && !headIndex.has(id) && !baseIndex.has(id)).map(([id]) => id),
    ];
    const objects = await Promise.all([...new Set(ids)].map((id) => compareObject(
      headIndex.get(id), baseIndex.get(id), headLive.get(id)?.result, baseLive.get(id)?.result, options)));
    const counts = countChanges(objects);
    const change = !base ? 'added' : !head ? 'removed' : counts.unchanged === objects.length ? 'unchanged' : 'changed';
    return { ...describe, change, counts, objects };
  }));
  return {
    name: sides.name,
    ...(sides.headLive?.context || sides.baseLive?.context ? { context: sides.headLive?.context || sides.baseLive?.context } : {}),
    ...(sides.headLive?.reason ?? sides.baseLive?.reason ? { reason: sides.headLive?.reason ?? sides.baseLive?.reason } : {}),
    counts: sumChanges(apps.map((app) => app.counts)),
    apps,
  };
}

async function compareObject(
  head: Rendered | undefined, base: Rendered | undefined, headLive: ResourceResult | undefined, baseLive: ResourceResult | undefined,
  options: CompareRevisionsOptions,
): Promise<PreviewObject> {
  const headObject = head && forComparison(head.desired.object, options.ignoreRules);
  // A reused render shares the head's very objects: nothing to normalize or compare twice.
  const same = !!head && head.desired.object === base?.desired.object;
  const baseObject = same ? headObject : base && forComparison(base.desired.object, options.ignoreRules);
  const paths = headObject && baseObject && !same ? changedPaths(baseObject, headObject) : [];
  const change = headObject
    ? (!baseObject ? 'added' : paths.length ? 'changed' : 'unchanged')
    : baseObject ? await removal(base!, headLive, baseLive, options) : 'unchanged';
  const masked = maskSecretPair(baseObject, headObject);
  const secretPaths = [...(base?.desired.secretPaths ?? []), ...(head?.desired.secretPaths ?? [])];
  const shown = maskSecretFields(masked.live, masked.desired, secretPaths);
  // An object neither side renders is an owned live one (Extra): its result names it.
  const ref: ObjectRef = head ? refOf(head.desired.object) : base ? refOf(base.desired.object) : headLive!;
  const source = head?.desired.source ?? base?.desired.source;
  return {
    apiVersion: ref.apiVersion, kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name,
    change,
    ...(paths.length ? { changedPaths: paths } : {}),
    ...(shown.live ? { base: shown.live } : {}),
    ...(shown.desired ? { head: shown.desired } : {}),
    ...(source ? { source } : {}),
    ...(headLive ? { headVsLive: headLive } : {}),
    ...(baseLive ? { liveVsBase: baseLive } : {}),
  };
}

/** An object the head no longer renders: pruned when its live object is owned by the app that rendered it. */
async function removal(base: Rendered, headLive: ResourceResult | undefined, baseLive: ResourceResult | undefined, options: CompareRevisionsOptions): Promise<PreviewChange> {
  if (headLive?.status === 'Extra') return 'pruned';
  const existsLive = baseLive && baseLive.status !== 'Missing' && baseLive.status !== 'Unknown';
  if (existsLive && options.ownedLive && await options.ownedLive(refOf(base.desired.object), base.app)) return 'pruned';
  return 'removed';
}

/** Git's object as it would be sent, compared as the engine compares: normalized, ignore rules applied. */
function forComparison(object: KubeObject, ignoreRules: IgnoreRule[]): KubeObject {
  return applyIgnoreRules(normalize(normalize(object, beforeDryRunSteps), comparisonSteps), ignoreRules);
}

function renderProblem(rendered: RenderedApp | undefined, side: 'head' | 'base'): string | undefined {
  const reason = rendered?.error ?? rendered?.app.unknownReason;
  return reason && `${side}: ${reason}`;
}

function idOfObject(object: KubeObject): string {
  return refId(refOf(object));
}

function idsOf(rendered: RenderedApp | undefined, keep: ObjectFilter): string[] {
  return (rendered?.objects ?? []).filter((desired) => keep(desired.object)).map((desired) => idOfObject(desired.object));
}

/** Every object an environment's apps render, by id; a later app's duplicate does not replace the first. */
function indexObjects(apps: RenderedApp[], keep: ObjectFilter): Map<string, Rendered> {
  const index = new Map<string, Rendered>();
  for (const rendered of apps) {
    for (const desired of rendered.objects) {
      const id = idOfObject(desired.object);
      if (keep(desired.object) && !index.has(id)) index.set(id, { desired, app: rendered.app });
    }
  }
  return index;
}

function liveIndex(environment: EnvironmentResult | undefined, keep: ObjectFilter): Map<string, { app: string; result: ResourceResult }> {
  const index = new Map<string, { app: string; result: ResourceResult }>();
  for (const app of environment?.apps ?? []) {
    for (const result of app.resources) {
      const id = refId(result);
      if (keep(result) && !index.has(id)) index.set(id, { app: app.name, result });
    }
  }
  return index;
}

function countChanges(objects: PreviewObject[]): PreviewCounts {
  const counts = { ...NO_CHANGES };
  for (const object of objects) counts[object.change] += 1;
  return counts;
}

export function sumChanges(all: PreviewCounts[]): PreviewCounts {
  const sum = { ...NO_CHANGES };
  for (const counts of all) for (const key of Object.keys(sum) as (keyof PreviewCounts)[]) sum[key] += counts[key];
  return sum;
}
