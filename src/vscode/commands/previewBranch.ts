// Driftline: Preview Branch...: a QuickPick of the repository's local and remote branches and the pull/merge
// request heads fetched locally; the one chosen is previewed merged into the base (setting
// driftline.preview.base, else the branch origin/HEAD points at, else main or master), and the Drift view
// enters preview mode. "Change base..." picks another base first.
import * as vscode from 'vscode';
import type { PreviewRef, PreviewRefKind } from '../../core/git/previewRefs';
import type { DriftSession } from '../driftSession';
import { engine } from '../lazyEngine';
import { readPreviewSettings } from '../preview/previewSettings';
import { DriftlineCommand, DriftlineServices, shownSessions } from './command';

interface RefItem extends vscode.QuickPickItem {
  ref?: string;
  changeBase?: boolean;
}

const GROUPS: Record<PreviewRefKind, string> = { local: 'Local branches', remote: 'Remote branches', 'pull-request': 'Pull and merge requests' };

export const previewBranchCommand: DriftlineCommand = {
  id: 'driftline.previewBranch',
  async run(services, head?: unknown) {
    const session = await previewedSession(services);
    if (!session) return;
    const root = session.workspace!.repoRoot;
    const refs = await engine().listPreviewRefs(root);
    let base = readPreviewSettings(session.folder).base ?? refs.defaultBase;
    let chosen = typeof head === 'string' ? head : undefined;
    while (!chosen) {
      if (!base) {
        base = await pickRef(refs.refs, 'Preview against which base?', 'The repository has no origin/HEAD, main or master: choose the base');
        if (!base) return;
      }
      const item = await vscode.window.showQuickPick<RefItem>(headItems(refs.refs, base), {
        title: `Driftline: Preview Branch (base ${base})`, placeHolder: `A branch or pull request to preview merged into ${base}`, matchOnDescription: true, matchOnDetail: true,
      });
      if (!item) return;
      if (item.changeBase) base = await pickRef(refs.refs, 'Driftline: Preview Branch: change base', `The base now: ${base}`) ?? base;
      else chosen = item.ref;
    }
    if (!base) return;
    const result = await services.preview.start(session, { base, head: chosen, merge: true, live: readPreviewSettings(session.folder).live });
    if (result) await vscode.commands.executeCommand('driftline.drift.focus');
  },
};

/** The folder to preview: the one shown, or the user's choice of several. */
export async function previewedSession(services: DriftlineServices): Promise<DriftSession | undefined> {
  const sessions = shownSessions(services).filter((session) => session.workspace);
  if (sessions.length <= 1) {
    if (!sessions[0]) void vscode.window.showInformationMessage('Driftline: there is no GitOps repository to preview yet (the first comparison has not finished).');
    return sessions[0];
  }
  const picked = await vscode.window.showQuickPick(sessions.map((session) => ({ label: session.folder?.name ?? 'workspace', session })), { placeHolder: 'Preview in which folder?' });
  return picked?.session;
}

function headItems(refs: PreviewRef[], base: string): RefItem[] {
  const items: RefItem[] = [{ label: '$(git-compare) Change base...', description: `now ${base}`, changeBase: true, alwaysShow: true }];
  for (const kind of Object.keys(GROUPS) as PreviewRefKind[]) {
    const group = refs.filter((ref) => ref.kind === kind && ref.name !== base);
    if (!group.length) continue;
    items.push({ label: GROUPS[kind], kind: vscode.QuickPickItemKind.Separator });
    items.push(...group.map((ref) => ({ label: ref.name, description: ref.commit, detail: ref.subject, ref: ref.name })));
  }
  return items;
}

async function pickRef(refs: PreviewRef[], title: string, placeHolder: string): Promise<string | undefined> {
  const items: RefItem[] = [];
  for (const kind of Object.keys(GROUPS) as PreviewRefKind[]) {
    const group = refs.filter((ref) => ref.kind === kind);
    if (!group.length) continue;
    items.push({ label: GROUPS[kind], kind: vscode.QuickPickItemKind.Separator }, ...group.map((ref) => ({ label: ref.name, description: ref.commit, ref: ref.name })));
  }
  return (await vscode.window.showQuickPick(items, { title, placeHolder }))?.ref;
}
