// Renders many apps with bounded parallelism (each render is a process: kustomize, kubectl or helm) and a
// cache keyed by the hash of each app's inputs, which the engine keeps across refreshes.
import type { AppDefinition, RenderedApp } from '../model';
import { collectInputs, hashInputs, isAffectedBy, type AppInputs } from './collectInputs';
import type { RenderOptions } from './options';
import { renderCollected } from './renderApp';

interface CacheEntry {
  app: AppDefinition;
  inputs: AppInputs;
  rendered: RenderedApp;
}

/** `environment/name`: one app's key in the cache. */
export function appKey(app: AppDefinition): string {
  return `${app.environment}/${app.name}`;
}

/** Last render of each app with the inputs it read; keep one per repo across refreshes. */
export class RenderCache {
  private readonly entries = new Map<string, CacheEntry>();

  get(app: AppDefinition, inputHash: string): RenderedApp | undefined {
    const entry = this.entries.get(appKey(app));
    // Failed renders are retried: the cause (a missing tool, a timeout) may be outside the inputs.
    const reusable = entry && entry.rendered.inputHash === inputHash && !entry.rendered.error;
    return reusable ? { ...entry.rendered, app } : undefined;
  }

  set(app: AppDefinition, inputs: AppInputs, rendered: RenderedApp): void {
    this.entries.set(appKey(app), { app, inputs, rendered });
  }

  /** Cached apps whose renders a change to these paths (created, changed or deleted) may change. */
  appsAffectedBy(paths: string[]): AppDefinition[] {
    return [...this.entries.values()]
      .filter((entry) => paths.some((changed) => isAffectedBy(entry.inputs, changed)))
      .map((entry) => entry.app);
  }

  /** Forgets apps that are no longer in the model. */
  retainOnly(apps: AppDefinition[]): void {
    const keep = new Set(apps.map(appKey));
    for (const key of this.entries.keys()) if (!keep.has(key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

export interface RenderAppsOptions extends RenderOptions {
  /** Renders running at once (default 4). */
  concurrency?: number;
  cache?: RenderCache;
}

export const DEFAULT_RENDER_CONCURRENCY = 4;

/** Runs `work` on every item with at most `limit` running at once; results keep the items' order. */
export async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export async function renderApps(apps: AppDefinition[], options: RenderAppsOptions = {}): Promise<RenderedApp[]> {
  const { cache, concurrency = DEFAULT_RENDER_CONCURRENCY } = options;
  return mapWithConcurrency(apps, concurrency, async (app) => {
    const inputs = await collectInputs(app);
    const inputHash = await hashInputs(app, inputs);
    const cached = cache?.get(app, inputHash);
    if (cached) return cached;
    const rendered = await renderCollected(app, inputs, inputHash, options);
    cache?.set(app, inputs, rendered);
    return rendered;
  });
}
