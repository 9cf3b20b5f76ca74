// A sync plan as text lines, the same for the CLI and the VS Code preview. Names objects, fields and owners;
// never values (the plan holds Secret data in memory only).
import { describeRef } from '../model';
import { describeConflicts } from './conflicts';
import { refKey } from './inventory';
import type { PlannedChange, SyncPlan } from './model';
import { withheldObjects } from './withheld';

/** What a change touches and why, in words: changed fields, conflicts, notes (the CLI line and the VS Code item alike). */
export function changeDetails(change: PlannedChange, plan: Pick<SyncPlan, 'prune' | 'forceConflicts'>): string[] {
  const details: string[] = [];
  if (change.changedPaths?.length) details.push(change.changedPaths.join(', '));
  if (change.conflicts?.length) {
    details.push(`conflict: ${describeConflicts(change.conflicts)}${plan.forceConflicts ? ' (forced)' : ' (needs force)'}`);
  }
  if (change.note) details.push(change.note);
  if (change.action === 'prune' && !plan.prune) details.push('not deleted without prune');
  return details;
}

export function describeChange(change: PlannedChange, plan: Pick<SyncPlan, 'prune' | 'forceConflicts'>): string {
  const details = changeDetails(change, plan);
  return `${change.action.padEnd(9)} ${describeRef(change.ref)}${details.length ? `  (${details.join('; ')})` : ''}`;
}

export function describePlan(plan: SyncPlan): string[] {
  const lines = [`Sync plan for app ${plan.app} in environment ${plan.environment} (context "${plan.context}")` +
    (plan.protected ? ' [protected]' : '')];
  const visible = plan.changes.filter((c) => c.action !== 'unchanged');
  lines.push(...visible.map((c) => `  ${describeChange(c, plan)}`));
  const unchanged = plan.changes.length - visible.length;
  if (unchanged) lines.push(`  ${unchanged} unchanged`);
  if (!plan.changes.length && !plan.blocked.length) lines.push('  nothing to sync');
  for (const blocked of plan.blocked) {
    const replacing = blocked.needsReplace && plan.replace;
    lines.push(`  ${blocked.needsReplace ? 'replace ' : 'blocked '}  ${describeRef(blocked.ref)}: ${replacing ? `deleted and created again (${blocked.reason})` : blocked.reason}`);
  }
  for (const warning of plan.warnings) lines.push(`  warning: ${warning}`);
  return lines;
}

/** Counts for a one-line summary: `2 to create, 1 to update, 1 to prune`. */
export function summarizePlan(plan: SyncPlan): string {
  const count = (action: PlannedChange['action']) => plan.changes.filter((c) => c.action === action).length;
  const parts = [`${count('create')} to create`, `${count('update')} to update`, `${count('prune')} to prune`];
  if (plan.blocked.length) parts.push(`${plan.blocked.length} blocked`);
  return parts.join(', ');
}

/** Whether applying the plan would write anything. */
export function hasWork(plan: SyncPlan): boolean {
  return countApplicable(plan) > 0 || plan.changes.some((c) => c.action === 'prune' && plan.prune) ||
    (plan.replace && plan.blocked.some((b) => b.needsReplace));
}

/** Creates and updates that "apply the other objects" would still write: not refused, not needing a refused object. */
export function countApplicable(plan: Pick<SyncPlan, 'blocked' | 'changes'>): number {
  const withheld = withheldObjects(plan);
  return plan.changes.filter((c) => (c.action === 'create' || c.action === 'update') && !withheld.has(refKey(c.ref))).length;
}
