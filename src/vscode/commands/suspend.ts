// Driftline: Suspend / Resume (Flux). Stops or restarts Flux reconciling an app (`spec.suspend` of its live
// Kustomization or HelmRelease; resume also requests a reconcile), after typing the name of a protected
// environment; then a notification and a refresh of the app's row.
import * as vscode from 'vscode';
import { describeSuspendOutcome, findLiveFluxController, resolveSyncTarget, setAppSuspended } from '../../core/sync';
import { confirmProtected, resolveAppTarget } from './appTarget';
import { DriftlineCommand, DriftlineServices } from './command';

export const suspendCommand: DriftlineCommand = {
  id: 'driftline.suspend',
  run: (services, argument?: unknown) => setSuspended(services, argument, true),
};

export const resumeCommand: DriftlineCommand = {
  id: 'driftline.resume',
  run: (services, argument?: unknown) => setSuspended(services, argument, false),
};

async function setSuspended(services: DriftlineServices, argument: unknown, suspend: boolean): Promise<void> {
  const verb = suspend ? 'suspend' : 'resume';
  const app = await resolveAppTarget(services, argument, `${verb} Flux reconciling`);
  if (!app) return;
  const target = await resolveSyncTarget(app.workspace, { environment: app.environment, app: app.app, context: app.context });
  const live = await findLiveFluxController(target);
  if (!(await confirmProtected(app, `${verb} ${live.kind} ${live.metadata.name}`))) return;
  const progress = vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Driftline: ${suspend ? 'suspending' : 'resuming'} ${live.kind} ${live.metadata.name}` },
    () => setAppSuspended(target, live, suspend),
  );
  // Whatever happened, the row shows the app as it now is.
  const outcome = await Promise.resolve(progress).finally(() => void app.session.refresh({ environment: app.environment, app: app.app }));
  const message = describeSuspendOutcome(outcome, suspend);
  services.log.info(`${app.environment}/${app.app}: ${message}`);
  void vscode.window.showInformationMessage(`Driftline: ${message}.`);
}
