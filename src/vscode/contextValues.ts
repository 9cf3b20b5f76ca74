// The contextValue of each kind of row in the Drift view: the tokens package.json's `view/item/context` menus
// match with `viewItem =~ /.../`. Kept apart from the tree items (and free of vscode) so that a unit test can
// check every menu rule against every value a row can carry.
import type { SyncStatus } from '../core/model';

/** `folder`: a workspace folder's row (a multi-root workspace with several GitOps repos). */
export function folderContextValue(): string {
  return 'folder';
}

/** `environment`, `environment:protected`. */
export function environmentContextValue(environment: { protected?: boolean }): string {
  return `environment${environment.protected ? ':protected' : ''}`;
}

/** `app:<Status>`, then `:flux` when a Flux Kustomization/HelmRelease reconciles it (Suspend/Resume). */
export function appContextValue(app: { status: SyncStatus; controller?: { kind: string } }): string {
  const flux = app.controller && app.controller.kind !== 'Application';
  return `app:${app.status}${flux ? ':flux' : ''}`;
}

/**
 * `resource:<Status>`, then what the row offers: `:source` (Go to Source), `:secret` (Reveal, on a live v1 Secret),
 * `:rollout` (Promote, Abort, Retry, Restart, on a live Argo Rollouts Rollout).
 */
export function resourceContextValue(resource: { status: SyncStatus; hasSource: boolean; isLiveSecret: boolean; isLiveRollout?: boolean }): string {
  const tokens = [`resource:${resource.status}`];
  if (resource.hasSource) tokens.push('source');
  if (resource.isLiveSecret) tokens.push('secret');
  if (resource.isLiveRollout) tokens.push('rollout');
  return tokens.join(':');
}

/** Preview mode: `preview:app:<change>` (added, removed, changed, unknown). */
export function previewAppContextValue(app: { change: string }): string {
  return `preview:app:${app.change}`;
}

/** Preview mode: `preview:object:<change>`, then `:live` when the cluster was compared for it (Open Preview Diff has three sides). */
export function previewObjectContextValue(object: { change: string; headVsLive?: unknown; liveVsBase?: unknown }): string {
  return `preview:object:${object.change}${object.headVsLive || object.liveVsBase ? ':live' : ''}`;
}
