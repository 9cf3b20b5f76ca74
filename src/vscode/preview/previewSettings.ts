// The driftline.preview.* settings: the base a branch is compared with, and whether the cluster is compared too.
import * as vscode from 'vscode';

export interface PreviewSettings {
  /** driftline.preview.base: a branch, tag or commit; undefined: origin/HEAD's branch, else main or master. */
  base?: string;
  /** driftline.preview.live: compare both sides with the cluster (head vs live, live vs base) too. */
  live: boolean;
}

export function readPreviewSettings(folder: vscode.WorkspaceFolder | undefined): PreviewSettings {
  const configuration = vscode.workspace.getConfiguration('driftline.preview', folder);
  const base = configuration.get<string>('base', '').trim();
  return { ...(base ? { base } : {}), live: configuration.get<boolean>('live', true) };
}
