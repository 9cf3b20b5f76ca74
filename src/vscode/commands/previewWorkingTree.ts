// Driftline: Preview Working Tree: what the files as the editor shows them change against HEAD, unsaved
// editor buffers included (their texts are read in place of their files, which stay unsaved). From the
// Source Control view's title, it lists the apps the changed files feed, each with its objects.
import * as vscode from 'vscode';
import { readPreviewSettings } from '../preview/previewSettings';
import { DriftlineCommand } from './command';
import { previewedSession } from './previewBranch';

export const previewWorkingTreeCommand: DriftlineCommand = {
  id: 'driftline.previewWorkingTree',
  async run(services) {
    const session = await previewedSession(services);
    if (!session) return;
    const result = await services.preview.start(session, { base: 'HEAD', unsaved: unsavedBuffers(), live: readPreviewSettings(session.folder).live });
    if (result) await vscode.commands.executeCommand('driftline.drift.focus');
  },
};

/** Every file open with unsaved changes (the core keeps those of the repository). */
function unsavedBuffers(): Map<string, string> {
  return new Map(vscode.workspace.textDocuments
    .filter((document) => document.isDirty && document.uri.scheme === 'file')
    .map((document) => [document.uri.fsPath, document.getText()]));
}
