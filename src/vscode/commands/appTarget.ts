// Which app a sync or rollback command acts on: the Drift view row it was invoked on (an app, or a resource
// of it), an `{ root?, environment, app }` argument (from "Sync now?" after a rollback), or a QuickPick of the
// apps (of every folder shown). The app's workspace folder, session and engine come with it.
import * as vscode from 'vscode';
import type { ObjectRef } from '../../core/model';
import { isConfirmed } from '../../core/sync';
import type { Workspace } from '../../core/workspace';
import type { DriftSession } from '../driftSession';
import { DriftlineServices, sessionOf, shownSessions, targetNode } from './command';

export interface AppTarget {
  folder: vscode.WorkspaceFolder;
  /** The folder's session: refreshed after the command, told of the files it changed. */
  session: DriftSession;
  /** The workspace the Drift view compares: the same model, tool paths, contexts and caches. */
  workspace: Workspace;
  environment: string;
  app: string;
  /** The context the view compares this environment against (settings override, config, or default). */
  context?: string;
  protected: boolean;
  /** The app's Extra objects in the last report: prune candidates, checked again by the plan. */
  extra: ObjectRef[];
}

/** Names an app: `root` (rootOf its folder) defaults to the first folder. */
export interface AppArgument {
  root?: string;
  environment: string;
  app: string;
}

export function isAppArgument(value: unknown): value is AppArgument {
  return !!value && typeof value === 'object' && typeof (value as { environment?: unknown }).environment === 'string' &&
    typeof (value as { app?: unknown }).app === 'string' && !('kind' in value);
}

export async function resolveAppTarget(services: DriftlineServices, argument: unknown, action: string): Promise<AppTarget | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) throw new Error(`open the GitOps repository folder to ${action}`);
  if (!vscode.workspace.isTrusted) throw new Error(`${action} is disabled in an untrusted workspace: trust this folder first`);
  let named: { session: DriftSession; environment: string; app: string } | undefined;
  if (isAppArgument(argument)) {
    const session = argument.root === undefined ? services.session : services.roots.session(argument.root);
    if (!session) throw new Error(`cannot ${action} ${argument.app}: its folder (${argument.root}) is no longer open`);
    named = { session, environment: argument.environment, app: argument.app };
  } else {
    const node = targetNode(services, argument);
    if (node?.kind === 'app') named = { session: sessionOf(services, node), environment: node.environment, app: node.name };
    else if (node?.kind === 'resource' || node?.kind === 'controllerProblem') named = { session: sessionOf(services, node), environment: node.environment, app: node.app };
    else named = await pickApp(services, action);
  }
  if (!named) return undefined;
  const { session, ...names } = named;
  const folder = session.folder;
  const workspace = session.workspace;
  if (!folder || !workspace) throw new Error(`nothing to ${action}: the Drift view has no repository open (${session.failureMessage ?? session.state})`);
  const environment = session.environment(names.environment);
  const app = session.app(names.environment, names.app);
  const extra = (app?.resources ?? []).filter((r) => r.status === 'Extra').map(({ apiVersion, kind, namespace, name }) => ({ apiVersion, kind, namespace, name }));
  return {
    folder, session, workspace, ...names, extra,
    context: environment?.context || undefined,
    protected: environment?.protected ?? false,
  };
}

async function pickApp(services: DriftlineServices, action: string): Promise<{ session: DriftSession; environment: string; app: string } | undefined> {
  const sessions = shownSessions(services);
  const items = sessions.flatMap((session) => (session.report?.environments ?? []).flatMap((environment) =>
    environment.apps.map((app) => ({
      label: app.name,
      description: `${sessions.length > 1 && session.folder ? `${session.folder.name} · ` : ''}${environment.name}${environment.protected ? ' (protected)' : ''}`,
      detail: app.status,
      session, environment: environment.name, app: app.name,
    }))));
  if (!items.length) throw new Error(`no apps to ${action}: refresh the Drift view first`);
  return vscode.window.showQuickPick(items, { title: `Driftline: ${action} which app?`, matchOnDescription: true });
}

/** For a protected environment, the user types its name; undefined when they do not (nothing is written). */
export async function confirmProtected(target: Pick<AppTarget, 'environment' | 'protected'>, action: string): Promise<string | undefined> {
  if (!target.protected) return target.environment;
  const environment = { name: target.environment, protected: true };
  const typed = await vscode.window.showInputBox({
    title: `Environment ${target.environment} is protected`,
    prompt: `Type "${target.environment}" to ${action}`,
    ignoreFocusOut: true,
    validateInput: (value) => (isConfirmed(environment, value) ? undefined : `Type ${target.environment} exactly to confirm`),
  });
  if (typed === undefined) return undefined;
  // The input box refuses a wrong name; should one arrive anyway, it cancels like Escape does.
  if (!isConfirmed(environment, typed)) {
    void vscode.window.showWarningMessage(`Driftline: "${typed}" is not ${target.environment}; nothing was changed.`);
    return undefined;
  }
  return typed.trim();
}
