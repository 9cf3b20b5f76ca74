// Driftline: Preview Working Tree: what the files as the editor shows them change against HEAD, unsaved
// editor buffers included (their texts are read in place of their files, which stay unsaved). From the
// Source Control view's title, it lists the apps the changed files feed, each with its objects.
import * as vscode from 'vscode';
import { unsavedBuffers } from '../preview/branchPreview';
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
