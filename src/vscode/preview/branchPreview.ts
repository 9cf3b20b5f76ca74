// Preview mode: the one branch preview the Drift view shows instead of the drift, for one workspace folder.
// A preview runs the core's previewRevisions on the folder's workspace (its caches warm), under a cancellable
// notification whose Cancel stops git, renders and requests at once; a preview started while one runs
// replaces it. Refresh Preview runs the shown one again (in the view's progress bar), and a preview of the
// working tree does so by itself when files of its folder are saved. Leaving preview mode drops the result;
// the drift view comes back as it was.
import * as vscode from 'vscode';
import type { PreviewResult } from '../../core/preview/model';
import type { PreviewOptions } from '../../core/preview/preview';
import type { DriftSession } from '../driftSession';
import { engine } from '../lazyEngine';

/** What a preview compares, as the command chose it (the signal is the preview's own). */
export type PreviewRequest = Omit<PreviewOptions, 'signal'>;

/** The preview shown: its folder's session (what Refresh Preview runs it on again), what was asked and what came back. */
export interface ShownPreview {
  session: DriftSession;
  request: PreviewRequest;
  result: PreviewResult;
}

export const PREVIEWING_CONTEXT_KEY = 'driftline.previewing';
const DRIFT_VIEW_ID = 'driftline.drift';

/** Every file open with unsaved changes (the core keeps those of the repository). */
export function unsavedBuffers(): Map<string, string> {
  return new Map(vscode.workspace.textDocuments
    .filter((document) => document.isDirty && document.uri.scheme === 'file')
    .map((document) => [document.uri.fsPath, document.getText()]));
}

export class BranchPreview implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ShownPreview | undefined>();
  /** Fires when preview mode starts, shows a new result or ends (undefined). */
  readonly onDidChange = this.changed.event;
  private current: ShownPreview | undefined;
  private running: AbortController | undefined;

  get shown(): ShownPreview | undefined { return this.current; }
  get active(): boolean { return this.current !== undefined; }

  /**
   * Runs the preview and shows it. Resolves with the result, or undefined when it was cancelled (Cancel in the
   * notification, another preview, Leave Preview); rejects with the engine's error (a missing ref, a conflict).
   */
  async start(session: DriftSession, request: PreviewRequest, progress: vscode.ProgressOptions['location'] = vscode.ProgressLocation.Notification): Promise<PreviewResult | undefined> {
    const workspace = session.workspace;
    if (!workspace) throw new Error('there is no GitOps repository to preview in this folder');
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    const title = `Previewing ${request.head ?? 'the working tree'} against ${request.base}`;
    try {
      const result = await vscode.window.withProgress({ location: progress, title, cancellable: true }, (_progress, token) => {
        const cancelled = token.onCancellationRequested(() => abort.abort());
        return engine().previewBranch(workspace, { ...request, signal: abort.signal }).finally(() => cancelled.dispose());
      });
      if (abort.signal.aborted) return undefined;
      this.current = { session, request, result };
      await vscode.commands.executeCommand('setContext', PREVIEWING_CONTEXT_KEY, true);
      this.changed.fire(this.current);
      return result;
    } catch (error) {
      if (abort.signal.aborted) return undefined;
      throw error;
    } finally {
      if (this.running === abort) this.running = undefined;
    }
  }

  /**
   * Runs the shown preview again, in the Drift view's progress bar; a preview of the working tree reads the
   * editor's unsaved buffers as they are now. Resolves with the new result (undefined: nothing shown, or cancelled).
   */
  async refresh(): Promise<PreviewResult | undefined> {
    if (!this.current) return undefined;
    const { session, request } = this.current;
    const again = request.unsaved ? { ...request, unsaved: unsavedBuffers() } : request;
    return this.start(session, again, { viewId: DRIFT_VIEW_ID });
  }

  /** Files of `session`'s folder were saved, created or deleted: a preview of its working tree follows them. */
  async filesChanged(session: DriftSession): Promise<void> {
    if (this.current?.session !== session || this.current.request.head !== undefined) return;
    try {
      await this.refresh();
    } catch (error) {
      void vscode.window.showErrorMessage(`Driftline: the preview could not be refreshed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Back to the drift view; a preview still running stops. */
  async leave(): Promise<void> {
    this.running?.abort();
    if (!this.current) return;
    this.current = undefined;
    await vscode.commands.executeCommand('setContext', PREVIEWING_CONTEXT_KEY, false);
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.running?.abort();
    this.changed.dispose();
  }
}
