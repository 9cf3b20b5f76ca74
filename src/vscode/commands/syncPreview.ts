// The sync preview: a QuickPick listing create / update / prune per object (with changed fields, conflicts
// and prune reasons), topped by the choices the plan allows. Picking a choice is the confirmation.
import * as vscode from 'vscode';
import { describeRef } from '../../core/model';
import { describeConflicts, hasWork, summarizePlan, type PlannedChange, type SyncPlan } from '../../core/sync';

export interface SyncChoice {
  prune: boolean;
  forceConflicts: boolean;
}

type PreviewItem = vscode.QuickPickItem & { choice?: SyncChoice };

const ICONS: Record<PlannedChange['action'], string> = {
  create: '$(diff-added)', update: '$(diff-modified)', prune: '$(trash)', unchanged: '$(pass)',
};

function changeItem(change: PlannedChange): PreviewItem {
  const details = [
    change.changedPaths?.length ? `changes ${change.changedPaths.join(', ')}` : undefined,
    change.conflicts?.length ? `conflict: ${describeConflicts(change.conflicts)}` : undefined,
    change.note,
  ].filter(Boolean);
  return { label: `${ICONS[change.action]} ${change.action} ${describeRef(change.ref)}`, detail: details.join(' · ') || undefined };
}

/** Shows the plan; resolves the chosen way to apply it, or undefined (dry run, or the user backed out). */
export async function previewPlan(plan: SyncPlan, options: { dryRun: boolean }): Promise<SyncChoice | undefined> {
  const changes = plan.changes.filter((c) => c.action !== 'unchanged');
  const unchanged = plan.changes.length - changes.length;
  const prunes = changes.filter((c) => c.action === 'prune').length;
  const conflicts = changes.some((c) => c.conflicts?.length);
  const items: PreviewItem[] = [];
  const withPrune = { ...plan, prune: true };
  if (!options.dryRun && !plan.blocked.length && hasWork(withPrune)) {
    items.push({ label: 'Apply', kind: vscode.QuickPickItemKind.Separator });
    const writes = changes.length - prunes;
    if (!conflicts) {
      if (writes) items.push({ label: `$(check) Apply ${writes} change(s)`, description: prunes ? 'leave the prune candidates' : undefined, choice: { prune: false, forceConflicts: false } });
      if (prunes) items.push({ label: `$(check) Apply and prune ${prunes} object(s)`, choice: { prune: true, forceConflicts: false } });
    }
    if (conflicts) {
      items.push({ label: `$(warning) Apply, taking over fields other managers own`, description: 'force', choice: { prune: false, forceConflicts: true } });
      if (prunes) items.push({ label: `$(warning) Apply with force and prune ${prunes} object(s)`, choice: { prune: true, forceConflicts: true } });
    }
  }
  items.push({ label: `${summarizePlan(plan)}${unchanged ? `, ${unchanged} unchanged` : ''}`, kind: vscode.QuickPickItemKind.Separator });
  items.push(...changes.map(changeItem));
  items.push(...plan.blocked.map((b) => ({ label: `$(error) blocked ${describeRef(b.ref)}`, detail: b.reason })));
  items.push(...plan.warnings.map((w) => ({ label: '$(info) warning', detail: w })));
  if (!changes.length && !plan.blocked.length) items.push({ label: '$(pass) Nothing to sync: every object matches Git' });
  const title = `${options.dryRun ? 'Dry run: ' : ''}sync ${plan.app} in ${plan.environment} (context ${plan.context})${plan.protected ? ' [protected]' : ''}`;
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true, placeHolder: options.dryRun ? 'Nothing is written in a dry run' : 'Choose how to apply, or Escape to cancel' });
  return picked?.choice;
}
