// Every command of the extension, registered in one place. To add one: write commands/<name>.ts exporting a
// DriftlineCommand, add it to this list, and contribute it in package.json (commands, menus).
// A command's error is shown to the user and logged, never swallowed.
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { engine } from '../lazyEngine';
import { DriftlineCommand, DriftlineServices } from './command';
import { createConfigCommand } from './createConfig';
import { diffCommand } from './diff';
import { goToSourceCommand } from './goToSource';
import { leavePreviewCommand } from './leavePreview';
import { openPreviewDiffCommand } from './openPreviewDiff';
import { previewBranchCommand } from './previewBranch';
import { previewWorkingTreeCommand } from './previewWorkingTree';
import { revealAppCommand } from './revealApp';
import { refreshCommand } from './refresh';
import { refreshPreviewCommand } from './refreshPreview';
import { revealSecretCommand } from './revealSecret';
import { setContextCommand } from './setContext';
import { showAffectedAppsCommand } from './showAffectedApps';
import { showLogCommand } from './showLog';
import { stopRefreshCommand } from './stopRefresh';
import { showAsListCommand, showAsTreeCommand } from './viewLayout';

/** A command whose code is in the engine (sync, rollback, suspend: they act on the cluster or git), loaded when it first runs. */
function fromEngine(id: string, load: (loaded: ReturnType<typeof engine>) => DriftlineCommand): DriftlineCommand {
  return { id, run: (services, ...args) => load(engine()).run(services, ...args) };
}

const commands: DriftlineCommand[] = [
  refreshCommand,
  stopRefreshCommand,
  diffCommand,
  goToSourceCommand,
  revealSecretCommand,
  setContextCommand,
  createConfigCommand,
  showLogCommand,
  showAsTreeCommand,
  showAsListCommand,
  previewBranchCommand,
  previewWorkingTreeCommand,
  leavePreviewCommand,
  refreshPreviewCommand,
  openPreviewDiffCommand,
  showAffectedAppsCommand,
  revealAppCommand,
  fromEngine('driftline.sync', (loaded) => loaded.syncCommand),
  fromEngine('driftline.syncDryRun', (loaded) => loaded.syncDryRunCommand),
  fromEngine('driftline.rollback', (loaded) => loaded.rollbackCommand),
  fromEngine('driftline.suspend', (loaded) => loaded.suspendCommand),
  fromEngine('driftline.resume', (loaded) => loaded.resumeCommand),
  fromEngine('driftline.rolloutPromote', (loaded) => loaded.rolloutPromoteCommand),
  fromEngine('driftline.rolloutPromoteFull', (loaded) => loaded.rolloutPromoteFullCommand),
  fromEngine('driftline.rolloutAbort', (loaded) => loaded.rolloutAbortCommand),
  fromEngine('driftline.rolloutRetry', (loaded) => loaded.rolloutRetryCommand),
  fromEngine('driftline.rolloutRestart', (loaded) => loaded.rolloutRestartCommand),
];

export function registerCommands(services: DriftlineServices, extra: DriftlineCommand[] = []): vscode.Disposable[] {
  return [...commands, ...extra].map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      try {
        return await command.run(services, ...args);
      } catch (error) {
        const message = messageOf(error);
        services.log.error(`${command.id}: ${message}`);
        void vscode.window.showErrorMessage(`Driftline: ${message}`);
        return undefined;
      }
    }),
  );
}
