// Preview mode's providers: the base/head/live documents of previewed objects, the "feeds ..." CodeLens on YAML
// files, and the view's banner. The commands are in commands/ (previewBranch, previewWorkingTree,
// leavePreview, openPreviewDiff, showAffectedApps, revealApp).
import * as vscode from 'vscode';
import type { DriftSessions } from '../driftRoots';
import { AppsFedCodeLensProvider } from './appsFedCodeLens';
import type { BranchPreview } from './branchPreview';
import type { ViewNode } from './driftViewProvider';
import { followPreviewBanner } from './previewBanner';
import { PREVIEW_SCHEME, PreviewDocumentProvider } from './previewDocumentProvider';

export function registerPreviewMode(
  preview: BranchPreview, sessions: DriftSessions, treeView: vscode.TreeView<ViewNode>, driftMessage: () => string | undefined,
): vscode.Disposable[] {
  const documents = new PreviewDocumentProvider(preview);
  const feeds = new AppsFedCodeLensProvider(sessions);
  return [
    documents, vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, documents),
    feeds, vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.{yaml,yml}' }, feeds),
    followPreviewBanner(preview, treeView, driftMessage),
  ];
}
