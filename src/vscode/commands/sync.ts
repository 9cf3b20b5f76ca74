// Driftline: Sync and Sync (Dry Run). Plans with dry-runs, shows the preview, confirms (typing the name of a
// protected environment), applies with progress and cancellation, reports the result and refreshes the view.
// Where a Flux or Argo CD controller manages the app live, asks it to reconcile and follows it instead.
import * as vscode from 'vscode';
import { describeRef } from '../../core/identity';
import {
  applySyncPlan, prepareSync, syncThroughController, type PreparedSync, type SyncPlan, type SyncRequest,
} from '../../core/sync';
import { DriftlineCommand, DriftlineServices } from './command';
import { AppTarget, confirmProtected, resolveAppTarget } from './appTarget';
import { previewPlan } from './syncPreview';

export const syncCommand: DriftlineCommand = {
  id: 'driftline.sync',
  run: (services, argument?: unknown) => runSync(services, argument, false),
};

export const syncDryRunCommand: DriftlineCommand = {
  id: 'driftline.syncDryRun',
  run: (services, argument?: unknown) => runSync(services, argument, true),
};

async function runSync(services: DriftlineServices, argument: unknown, dryRun: boolean): Promise<void> {
  const target = await resolveAppTarget(services, argument, dryRun ? 'preview a sync' : 'sync');
  if (!target) return;
  const request: SyncRequest = { environment: target.environment, app: target.app, context: target.context, extra: target.extra };
  const prepared = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Driftline: planning sync of ${target.app} in ${target.environment}`, cancellable: true },
    (_progress, token) => prepareSync(target.workspace, { ...request, signal: abortOn(token) }),
  );
  if (prepared.mode === 'controller') await syncController(target, prepared, dryRun);
  else await syncDirect(services, target, prepared, dryRun);
}

async function syncDirect(services: DriftlineServices, target: AppTarget, prepared: Extract<PreparedSync, { mode: 'direct' }>, dryRun: boolean): Promise<void> {
  const choice = await previewPlan(prepared.plan, { dryRun });
  if (!choice) return;
  if (choice.replace && !(await confirmReplace(prepared.plan))) return;
  const confirmation = await confirmProtected(target, `sync ${target.app}`);
  if (!confirmation) return;
  const plan = { ...prepared.plan, ...choice };
  const result = await afterwardsRefresh(target, () => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Driftline: syncing ${target.app} in ${target.environment}`, cancellable: true },
    (progress, token) => applySyncPlan(prepared.target.client, plan, {
      confirmation, signal: abortOn(token),
      onProgress: (message, done, total) => progress.report({ message: `${message} (${done}/${total})`, increment: total ? 100 / total : undefined }),
    }),
  ));
  services.log.info(`Synced ${target.environment}/${target.app}: ${result.applied.map((a) => `${a.action} ${a.ref.kind}/${a.ref.name}`).join(', ') || 'no changes'}`);
  const skipped = result.skipped.length ? `; left ${result.skipped.length} prune candidate(s)` : '';
  void vscode.window.showInformationMessage(`Driftline: synced ${target.app} in ${target.environment}: ${result.applied.length} change(s)${skipped}.`);
}

async function syncController(target: AppTarget, prepared: Extract<PreparedSync, { mode: 'controller' }>, dryRun: boolean): Promise<void> {
  const { controller } = prepared;
  const name = `${controller.kind} ${controller.metadata.namespace}/${controller.metadata.name}`;
  const message = `${target.app} in ${target.environment} is managed by ${name}. Sync asks it to reconcile.`;
  if (dryRun) {
    void vscode.window.showInformationMessage(`Driftline: ${message} (dry run: nothing requested)`);
    return;
  }
  const go = await vscode.window.showInformationMessage(message, { modal: true }, 'Reconcile');
  if (go !== 'Reconcile') return;
  const confirmation = await confirmProtected(target, `ask ${name} to reconcile`);
  if (!confirmation) return;
  const result = await afterwardsRefresh(target, () => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Driftline: ${name}`, cancellable: true },
    (progress, token) => syncThroughController(prepared.target.client, controller, {
      signal: abortOn(token),
      onRequested: () => progress.report({ message: 'reconcile requested, waiting for the controller' }),
      onProgress: (status) => progress.report({ message: status }),
    }),
  ));
  const show = result.outcome === 'Succeeded' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(`Driftline: ${name} ${result.outcome === 'Succeeded' ? 'reconciled' : 'failed'}: ${result.message}`);
}

/** Deleting and creating again is asked on its own, modally, naming each object. */
async function confirmReplace(plan: SyncPlan): Promise<boolean> {
  const objects = plan.blocked.filter((b) => b.needsReplace).map((b) => describeRef(b.ref));
  const answer = await vscode.window.showWarningMessage(
    `Delete and create again ${objects.join(', ')}? Their immutable fields change, so an update cannot apply them; ` +
      'while they are gone, what depends on them may stop working.', { modal: true }, 'Replace');
  return answer === 'Replace';
}

/** Whatever happened (done, failed half-way, cancelled), the view shows the app as it now is. */
async function afterwardsRefresh<T>(target: AppTarget, work: () => Thenable<T>): Promise<T> {
  try {
    return await work();
  } finally {
    void target.session.refresh({ environment: target.environment, app: target.app });
  }
}

export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  token.onCancellationRequested(() => abort.abort());
  return abort.signal;
}
