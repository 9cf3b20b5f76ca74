// Driftline: Rollback. The app's history (commits that touched its files) in a QuickPick; "Revert this
// commit" or "Roll back to this commit", optionally only inside the app's files; a revert commit; then an
// optional push to a review branch and "Sync now?".
import * as vscode from 'vscode';
import {
  appHistory, describeChangedFiles, locateApp, pushRollbackBranch, revertCommit, rollbackTo, type CommitInfo, type RevertResult,
} from '../../core/git';
import { DriftlineCommand, DriftlineServices } from './command';
import { AppTarget, confirmProtected, resolveAppTarget } from './appTarget';

type CommitItem = vscode.QuickPickItem & { commit: CommitInfo };
type ActionItem = vscode.QuickPickItem & { mode: 'revert' | 'rollback'; pathsOnly: boolean };

export const rollbackCommand: DriftlineCommand = {
  id: 'driftline.rollback',
  async run(services, argument?: unknown) {
    const target = await resolveAppTarget(services, argument, 'roll back');
    if (!target) return;
    const repo = target.folder.uri.fsPath;
    const located = await locateApp(target.workspace, target.app, target.environment);
    const history = await appHistory(repo, located.paths, { maxCount: 100 });
    if (!history.length) {
      void vscode.window.showInformationMessage(`Driftline: no commit touched the files of ${target.app}.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(history.map(commitItem), {
      title: `Driftline: history of ${target.app} (${target.environment})`, placeHolder: 'Pick a commit to revert or roll back to',
      matchOnDescription: true, matchOnDetail: true,
    });
    if (!picked) return;
    const later = history.slice(0, history.indexOf(picked.commit));
    const action = await vscode.window.showQuickPick(actionItems(picked.commit, later), { title: `${picked.commit.shortSha} ${picked.commit.message}` });
    if (!action) return;
    if (!(await confirmProtected(target, `commit a ${action.mode} of ${target.app}`))) return;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Driftline: ${action.label.replace(/\$\([^)]*\) /, '')}` },
      () => action.mode === 'revert'
        ? revertCommit(repo, picked.commit.sha, action.pathsOnly ? { paths: located.paths } : {})
        : rollbackTo(repo, picked.commit.sha, located.paths, { pathsOnly: action.pathsOnly, appName: target.app }),
    );
    services.log.info(`Committed ${result.shortSha} in ${repo}: ${result.message.split('\n')[0]}`);
    target.session.filesChanged(result.files.map((file) => vscode.Uri.joinPath(target.folder.uri, file).fsPath));
    void target.session.refresh({ environment: target.environment, app: target.app });
    await offerFollowUps(services, target, result);
  },
};

function commitItem(commit: CommitInfo): CommitItem {
  return {
    label: `$(git-commit) ${commit.shortSha} ${commit.message}`,
    description: `${commit.author}, ${new Date(commit.date).toLocaleString()}`,
    detail: describeChangedFiles(commit),
    commit,
  };
}

function actionItems(commit: CommitInfo, later: CommitInfo[]): ActionItem[] {
  const touchesOthers = (c: CommitInfo) => c.files.length > c.appFiles.length;
  const items: ActionItem[] = [
    { label: '$(discard) Revert this commit', detail: `A new commit that undoes ${commit.shortSha}`, mode: 'revert', pathsOnly: false },
  ];
  if (touchesOthers(commit)) {
    items.push({ label: "$(discard) Revert this commit, only the app's files", detail: 'Leaves its changes to other files in place', mode: 'revert', pathsOnly: true });
  }
  if (later.length) {
    const list = later.map((c) => c.shortSha).join(', ');
    items.push({ label: '$(history) Roll back to this commit', detail: `One commit reverting ${later.length} later commit(s): ${list}`, mode: 'rollback', pathsOnly: false });
    if (later.some(touchesOthers)) {
      items.push({ label: "$(history) Roll back to this commit, only the app's files", detail: 'Leaves their changes to other files in place', mode: 'rollback', pathsOnly: true });
    }
  }
  return items;
}

async function offerFollowUps(services: DriftlineServices, target: AppTarget, result: RevertResult): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    `Driftline: committed ${result.shortSha} "${result.message.split('\n')[0]}".`, 'Push for Review', 'Sync Now',
  );
  if (choice === 'Push for Review') {
    const pushed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Driftline: pushing the rollback branch' },
      () => pushRollbackBranch(target.folder.uri.fsPath, target.app),
    );
    services.log.info(`Pushed ${pushed.sha} to ${pushed.remote} as ${pushed.branch}`);
    const next = await vscode.window.showInformationMessage(`Driftline: pushed branch ${pushed.branch} to ${pushed.remote}.`, 'Sync Now');
    if (next !== 'Sync Now') return;
  } else if (choice !== 'Sync Now') return;
  await vscode.commands.executeCommand('driftline.sync', { root: target.session.root, environment: target.environment, app: target.app });
}

