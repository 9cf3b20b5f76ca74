// What every format of `driftline preview` shows, computed once: the title, the summary rows (one per app that
// changes or could not be compared), and per changed object its diffs (Git base -> head; with the cluster, live
// -> head, what applying would do). Objects arrive masked from the core; text here is only laid out.
import { toYaml, unifiedDiff } from '../core/drift/diffText';
import { describeRef } from '../core/identity';
import type { PreviewApp, PreviewObject, PreviewResult, RevisionInfo } from '../core/preview/model';

export interface SummaryRow {
  environment: string;
  app: string;
  change: string;
  added: number;
  changed: number;
  removed: number;
  pruned: number;
  reason?: string;
}

export interface ObjectSection {
  /** `environment/app`. */
  app: string;
  object: PreviewObject;
  /** One line: change, object, what differs. */
  headline: string;
  /** With the cluster: what live says of head and of base. */
  liveLine?: string;
  gitDiff: string;
  liveDiff?: string;
}

export function titleOf(result: PreviewResult): string {
  const head = result.head.mergedInto ? `${describeRevision(result.head)} (merged into ${result.head.mergedInto})` : describeRevision(result.head);
  return `Driftline preview: ${describeRevision(result.base)} <- ${head}`;
}

export function describeRevision(revision: RevisionInfo): string {
  return revision.commit ? `${revision.ref} (${revision.commit.slice(0, 12)})` : revision.ref;
}

/** "2 apps change: 1 object added, 3 changed, 0 removed, 1 pruned (Git and the live cluster; ...)", or "No app changes (...)". */
export function summaryLine(result: PreviewResult): string {
  const apps = changingApps(result).length;
  const { added, changed, removed, pruned } = result.counts;
  const compared = result.live ? 'Git and the live cluster' : 'Git only';
  const rendered = `${result.rendering.renderedAgain} of ${result.rendering.apps} base apps rendered again`;
  if (apps === 0) return `No app changes (${compared}; ${rendered})`;
  return `${apps === 1 ? '1 app changes' : `${apps} apps change`}: ${added} object${added === 1 ? '' : 's'} added, ${changed} changed, ` +
    `${removed} removed, ${pruned} pruned (${compared}; ${rendered})`;
}

export function changingApps(result: PreviewResult): PreviewApp[] {
  return result.environments.flatMap((environment) => environment.apps.filter((app) => app.change !== 'unchanged'));
}

export function summaryRows(result: PreviewResult): SummaryRow[] {
  return changingApps(result).map((app) => ({
    environment: app.environment, app: app.name, change: app.change,
    added: app.counts.added, changed: app.counts.changed, removed: app.counts.removed, pruned: app.counts.pruned,
    ...(app.reason ? { reason: app.reason } : {}),
  }));
}

/** Each object that changes, with its diffs, app by app in the report's order. */
export function objectSections(result: PreviewResult): ObjectSection[] {
  return changingApps(result).flatMap((app) => app.objects.filter((object) => object.change !== 'unchanged').map((object) => sectionOf(`${app.environment}/${app.name}`, object)));
}

function sectionOf(app: string, object: PreviewObject): ObjectSection {
  const name = describeRef(object);
  const what = object.changedPaths?.length ? `: ${object.changedPaths.join(', ')}` : '';
  const gitDiff = unifiedDiff(object, object.base && toYaml(object.base), object.head && toYaml(object.head), name, ['base', 'head']);
  const live = object.headVsLive;
  const liveDiff = live && live.status !== 'Synced' && live.status !== 'Unknown'
    ? unifiedDiff(object, live.live && toYaml(live.live), object.head && live.desired && toYaml(live.desired), name, ['live', 'head'])
    : undefined;
  return {
    app, object, headline: `${object.change} ${name}${what}`,
    ...(live || object.liveVsBase ? { liveLine: `live vs head: ${statusOf(live)}; live vs base (drift today): ${statusOf(object.liveVsBase)}` } : {}),
    gitDiff,
    ...(liveDiff ? { liveDiff } : {}),
  };
}

function statusOf(result: PreviewObject['headVsLive']): string {
  if (!result) return 'not in Git';
  return result.reason ? `${result.status} (${result.reason})` : result.status;
}
