// Open Preview Diff (a click on an object in preview mode): the three sides together in one multi-diff editor,
// "base <-> head" (what the change does in Git) and, with the cluster, "live <-> head" (what applying it would
// do to the cluster, drift included).
import * as vscode from 'vscode';
import { identityOf } from '../../core/identity';
import { previewDocumentUri } from '../preview/previewDocumentProvider';
import { isPreviewNode, type PreviewObjectNode } from '../preview/previewTreeNodes';
import { DriftlineCommand } from './command';

export const openPreviewDiffCommand: DriftlineCommand = {
  id: 'driftline.openPreviewDiff',
  async run(services, node?: unknown) {
    const [selected] = services.treeView.selection;
    const target = [node, selected].find((candidate): candidate is PreviewObjectNode => isPreviewNode(candidate) && candidate.kind === 'previewObject');
    if (!target) {
      void vscode.window.showInformationMessage('Driftline: select an object of the preview in the Drift view to open its diffs.');
      return;
    }
    const key = { root: target.root, environment: target.app.environment, app: target.app.name, resource: identityOf(target.object) };
    const live = services.preview.shown?.result.live;
    const pairs: [resource: vscode.Uri, original: vscode.Uri, modified: vscode.Uri][] = [
      [previewDocumentUri(key, 'head', 'base'), previewDocumentUri(key, 'base'), previewDocumentUri(key, 'head', 'base')],
    ];
    if (live) pairs.push([previewDocumentUri(key, 'head', 'live'), previewDocumentUri(key, 'live'), previewDocumentUri(key, 'head', 'live')]);
    await vscode.commands.executeCommand('vscode.changes', previewDiffTitle(target.label, live), pairs);
  },
};

export function previewDiffTitle(label: string, live: boolean | undefined): string {
  return `${label} (preview: base <-> head${live ? ', live <-> head' : ''})`;
}
