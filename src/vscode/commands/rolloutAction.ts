// What the Argo Rollouts commands (Promote, Promote Full, Abort, Retry, Restart) share: the Rollout row they
// were invoked on (or a pick of the live Rollouts the view shows), a modal that says what the action does, the
// typed name of a protected environment, then the plugin's changes (core/sync/rollout), a notification and a
// refresh of the app's row.
import * as vscode from 'vscode';
import { isRollout } from '../../core/health/related';
import { describeRef, type ObjectRef, type ResourceResult } from '../../core/model';
import { describeRolloutOutcome, resolveSyncTarget, rolloutActionVerb, runRolloutAction, type RolloutAction } from '../../core/sync';
import { confirmProtected, resolveAppTarget } from './appTarget';
import { DriftlineServices, shownSessions, targetNode } from './command';

/** What each action does, for the modal that asks. */
const CONSEQUENCE: Record<RolloutAction, string> = {
  'promote': 'It continues from the step it is paused at (in the middle of an analysis step, it skips to the next step).',
  'promote-full': 'It skips the remaining steps, pauses and analysis: the new pods become stable at once.',
  'abort': 'The canary is scaled down and all traffic goes back to the stable ReplicaSet.',
  'retry': 'The aborted update starts again from the first step.',
  'restart': 'Its pods are replaced, a ReplicaSet at a time.',
};

const BUTTON: Record<RolloutAction, string> = {
  'promote': 'Promote', 'promote-full': 'Promote Full', 'abort': 'Abort', 'retry': 'Retry', 'restart': 'Restart',
};

export async function runRolloutCommand(services: DriftlineServices, argument: unknown, action: RolloutAction): Promise<void> {
  const verb = rolloutActionVerb(action);
  const rollout = await pickRollout(services, argument, verb);
  if (!rollout) return;
  const app = await resolveAppTarget(services, rollout.row, `${verb} a Rollout`);
  if (!app) return;
  const name = describeRef(rollout.ref);
  const go = await vscode.window.showWarningMessage(`${BUTTON[action]} ${name} (app ${app.app} in ${app.environment})?`,
    { modal: true, detail: CONSEQUENCE[action] }, BUTTON[action]);
  if (go !== BUTTON[action]) return;
  if (!(await confirmProtected(app, `${verb} ${name}`))) return;
  const target = await resolveSyncTarget(app.workspace, { environment: app.environment, app: app.app, context: app.context });
  const done = vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Driftline: ${verb} ${name}` },
    () => runRolloutAction(target.client, rollout.ref, action),
  );
  // Whatever happened, the row shows the Rollout as it now is.
  const outcome = await Promise.resolve(done).finally(() => void app.session.refresh({ environment: app.environment, app: app.app }));
  const message = describeRolloutOutcome(outcome);
  services.log.info(`${app.environment}/${app.app}: ${message} (${outcome.sent.join('; ') || 'nothing sent'})`);
  void vscode.window.showInformationMessage(`Driftline: ${message}.`);
}

interface PickedRollout {
  ref: ObjectRef;
  /** The row, or an `{ root, environment, app }` naming its app: what resolveAppTarget takes. */
  row: unknown;
}

/** The Rollout row the command was invoked on, else a pick of the live Rollouts in the view. */
async function pickRollout(services: DriftlineServices, argument: unknown, verb: string): Promise<PickedRollout | undefined> {
  const node = targetNode(services, argument);
  if (node?.kind === 'resource' && isRollout(node.result) && node.result.live) return { ref: refOf(node.result), row: node };
  const sessions = shownSessions(services);
  const items = sessions.flatMap((session) => (session.report?.environments ?? []).flatMap((environment) => environment.apps.flatMap((app) =>
    app.resources.filter((resource) => isRollout(resource) && resource.live).map((resource) => ({
      label: describeRef(resource),
      description: `${app.name} · ${environment.name}${environment.protected ? ' (protected)' : ''}`,
      detail: [resource.health, resource.healthSummary].filter(Boolean).join(' · '),
      ref: refOf(resource),
      row: { root: session.root, environment: environment.name, app: app.name },
    })))));
  if (!items.length) throw new Error(`no live Argo Rollouts Rollout to ${verb}: refresh the Drift view, or open a repository with one`);
  return vscode.window.showQuickPick(items, { title: `Driftline: ${verb} which Rollout?`, matchOnDescription: true });
}

function refOf(resource: ResourceResult): ObjectRef {
  return { apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.namespace, name: resource.name };
}
