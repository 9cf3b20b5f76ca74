// The Drift view's banner in preview mode: the view's description says what is compared ("preview: main <-
// feature/x"), its message the summary the CLI prints too ("main <- feature/x: 3 apps change: 1 object added,
// ..."). Out of preview mode the drift's own message comes back.
import * as vscode from 'vscode';
import type { PreviewResult } from '../../core/preview/model';
import { engine } from '../lazyEngine';
import type { BranchPreview } from './branchPreview';
import type { ViewNode } from './driftViewProvider';

export function previewBannerOf(result: PreviewResult): { description: string; message: string } {
  const compared = `${result.base.ref} <- ${result.head.ref}`;
  return { description: `preview: ${compared}`, message: `${compared}: ${engine().previewSummaryLine(result)}` };
}

/** Keeps the view's description and message in line with preview mode; `driftMessage` is the drift's message. */
export function followPreviewBanner(preview: BranchPreview, treeView: vscode.TreeView<ViewNode>, driftMessage: () => string | undefined): vscode.Disposable {
  return preview.onDidChange((shown) => {
    const banner = shown && previewBannerOf(shown.result);
    treeView.description = banner?.description;
    treeView.message = banner?.message ?? driftMessage();
  });
}
