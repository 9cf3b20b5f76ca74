// An app's comparison is a function of its render, the live objects it reads (by resourceVersion) and the ignore
// rules: when none of them changed since the last refresh, its results are reused instead of compared again
// (normalizing and diffing every object was most of a refresh's CPU once renders and dry-runs were cached).
import type { AppResult, RenderedApp } from '../model';
import { appKey } from '../render/renderApps';

interface Entry {
  inputs: string;
  result: AppResult;
}

/** Latest results per app of one kube context; keep one per context across refreshes. */
export class ComparisonCache {
  private readonly entries = new Map<string, Entry>();

  /** The previous result of this app when it was compared from the same `inputs`. */
  get(app: RenderedApp, inputs: string): AppResult | undefined {
    const entry = this.entries.get(appKey(app.app));
    return entry?.inputs === inputs ? entry.result : undefined;
  }

  /** Remembers a result; one with Unknown objects is not kept (a failed dry-run may succeed next time). */
  set(app: RenderedApp, inputs: string, result: AppResult): void {
    if (result.resources.some((resource) => resource.status === 'Unknown')) this.entries.delete(appKey(app.app));
    else this.entries.set(appKey(app.app), { inputs, result });
  }
}
