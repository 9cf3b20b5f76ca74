// Preview mode: the one branch preview the Drift view shows instead of the drift, for one workspace folder.
// A preview runs the core's previewRevisions on the folder's workspace (its caches warm), under a cancellable
// notification whose Cancel stops git, renders and requests at once; a preview started while one runs
// replaces it. Leaving preview mode drops the result; the drift view comes back as it was.
import * as vscode from 'vscode';
import type { PreviewResult } from '../../core/preview/model';
import type { PreviewOptions } from '../../core/preview/preview';
import type { DriftSession } from '../driftSession';
import { engine } from '../lazyEngine';

/** What a preview compares, as the command chose it (the signal is the preview's own). */
export type PreviewRequest = Omit<PreviewOptions, 'signal'>;

/** The preview shown: its folder's session root, what was asked and what came back. */
export interface ShownPreview {
  root: string;
  request: PreviewRequest;
  result: PreviewResult;
}

export const PREVIEWING_CONTEXT_KEY = 'driftline.previewing';

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
  async start(session: DriftSession, request: PreviewRequest): Promise<PreviewResult | undefined> {
    const workspace = session.workspace;
    if (!workspace) throw new Error('there is no GitOps repository to preview in this folder');
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    const title = `Previewing ${request.head ?? 'the working tree'} against ${request.base}`;
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
        const cancelled = token.onCancellationRequested(() => abort.abort());
        return engine().previewBranch(workspace, { ...request, signal: abort.signal }).finally(() => cancelled.dispose());
      });
      if (abort.signal.aborted) return undefined;
      this.current = { root: session.root, request, result };
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
