// The sync preview: a QuickPick listing create / update / prune per object (with changed fields, conflicts
// and prune reasons), topped by the choices the plan allows. Picking a choice is the confirmation.
import * as vscode from 'vscode';
import { describeRef } from '../../core/model';
import { changeDetails, countApplicable, hasWork, summarizePlan, withheldObjects, type PlannedChange, type SyncPlan } from '../../core/sync';

export interface SyncChoice {
  prune: boolean;
  forceConflicts: boolean;
  /** Apply the other objects when some are blocked. */
  skipRefused: boolean;
  /** Delete and create again the objects that need replacing (confirmed again, separately, before anything is written). */
  replace: boolean;
}

type PreviewItem = vscode.QuickPickItem & { choice?: SyncChoice };

const ICONS: Record<PlannedChange['action'], string> = {
  create: '$(diff-added)', update: '$(diff-modified)', prune: '$(trash)', unchanged: '$(pass)',
};

function changeItem(change: PlannedChange, plan: SyncPlan): PreviewItem {
  return { label: `${ICONS[change.action]} ${change.action} ${describeRef(change.ref)}`, detail: changeDetails(change, plan).join(' · ') || undefined };
}

/** Shows the plan; resolves the chosen way to apply it, or undefined (dry run, or the user backed out). */
export async function previewPlan(plan: SyncPlan, options: { dryRun: boolean }): Promise<SyncChoice | undefined> {
  const changes = plan.changes.filter((c) => c.action !== 'unchanged');
  const unchanged = plan.changes.length - changes.length;
  const prunes = changes.filter((c) => c.action === 'prune').length;
  const conflicts = changes.some((c) => c.conflicts?.length);
  const items: PreviewItem[] = [];
  const withPrune = { ...plan, prune: true };
  const skipRefused = plan.blocked.length > 0;
  if (!options.dryRun && hasWork(withPrune)) {
    items.push({ label: 'Apply', kind: vscode.QuickPickItemKind.Separator });
    const writes = countApplicable(plan);
    // With blocked objects nothing is applied unless the user picks "the other N": that label says so.
    const applyWhat = skipRefused ? `Apply the other ${writes}` : `Apply ${writes} change(s)`;
    const leaving = skipRefused ? `leave out the ${withheldObjects(plan).size} that cannot be applied` : undefined;
    if (!conflicts) {
      if (writes) items.push({ label: `$(check) ${applyWhat}`, description: [leaving, prunes ? 'leave the prune candidates' : undefined].filter(Boolean).join('; ') || undefined, choice: { prune: false, forceConflicts: false, skipRefused, replace: false } });
      if (prunes) items.push({ label: `$(check) ${skipRefused ? `${applyWhat} and prune` : 'Apply and prune'} ${prunes} object(s)`, description: leaving, choice: { prune: true, forceConflicts: false, skipRefused, replace: false } });
    }
    if (conflicts) {
      items.push({ label: `$(warning) ${skipRefused ? applyWhat : 'Apply'}, taking over fields other managers own`, description: ['force', leaving].filter(Boolean).join('; '), choice: { prune: false, forceConflicts: true, skipRefused, replace: false } });
      if (prunes) items.push({ label: `$(warning) ${skipRefused ? applyWhat : 'Apply'} with force and prune ${prunes} object(s)`, description: leaving, choice: { prune: true, forceConflicts: true, skipRefused, replace: false } });
    }
  }
  const needReplace = plan.blocked.filter((b) => b.needsReplace);
  if (!options.dryRun && needReplace.length) {
    const otherBlocked = plan.blocked.length > needReplace.length;
    items.push({
      label: `$(warning) Replace ${needReplace.length} object(s): delete and create again…`,
      description: `their immutable fields change; asked again before anything is written${otherBlocked ? '; leaves out what cannot be applied' : ''}`,
      choice: { prune: false, forceConflicts: false, skipRefused: otherBlocked, replace: true },
    });
  }
  items.push({ label: `${summarizePlan(plan)}${unchanged ? `, ${unchanged} unchanged` : ''}`, kind: vscode.QuickPickItemKind.Separator });
  items.push(...changes.map((change) => changeItem(change, plan)));
  items.push(...plan.blocked.map((b) => ({ label: `$(error) ${b.needsReplace ? 'needs replace' : 'blocked'} ${describeRef(b.ref)}`, detail: b.reason })));
  items.push(...plan.warnings.map((w) => ({ label: '$(info) warning', detail: w })));
  if (!changes.length && !plan.blocked.length) items.push({ label: '$(pass) Nothing to sync: every object matches Git' });
  const title = `${options.dryRun ? 'Dry run: ' : ''}sync ${plan.app} in ${plan.environment} (context ${plan.context})${plan.protected ? ' [protected]' : ''}`;
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true, placeHolder: options.dryRun ? 'Nothing is written in a dry run' : 'Choose how to apply, or Escape to cancel' });
  return picked?.choice;
}
