// The preview's share of the lazily loaded engine (engine.ts): the core's previewRevisions on a folder's
// workspace, the refs a preview can compare, and the CLI's summary line for the banner (one wording for both).
import { DriftEngine } from '../../core/drift/engine';
import type { PreviewResult } from '../../core/preview/model';
import { previewRevisions, type PreviewOptions } from '../../core/preview/preview';
import type { Workspace } from '../../core/workspace';
import { summaryLine } from '../../cli/previewReport';

export { listPreviewRefs } from '../../core/git/previewRefs';

/** A preview on the folder's workspace: its discovery, renders, predictions and clients are shared, its drift engine's watches left alone. */
export function previewBranch(workspace: Workspace, options: PreviewOptions): Promise<PreviewResult> {
  return previewRevisions(new DriftEngine(workspace), options);
}

export function previewSummaryLine(result: PreviewResult): string {
  return summaryLine(result);
}
