// What several renders of one refresh ask a source for at once (the index.yaml of a chart repository that 50
// HelmReleases use, a registry's tag list) is fetched once and shared for a short while, as source-controller
// fetches a HelmRepository's index once per interval for every chart of it. A fetch that failed is not kept;
// one stops when every render waiting for it aborted (SharedWork).
import { SharedWork } from '../abort';

export const SHARED_FETCH_LIFETIME_MS = 60_000;

export class SharedFetches {
  private readonly entries = new Map<string, { at: number; work: SharedWork<unknown> }>();

  constructor(private readonly lifetimeMs = SHARED_FETCH_LIFETIME_MS) {}

  get<T>(key: string, signal: AbortSignal | undefined, fetch: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && !entry.work.stopped && Date.now() - entry.at < this.lifetimeMs) return entry.work.wait(signal) as Promise<T>;
    const work = new SharedWork(fetch, () => { if (this.entries.get(key)?.work === work) this.entries.delete(key); });
    work.promise.catch(() => { if (this.entries.get(key)?.work === work) this.entries.delete(key); });
    this.entries.set(key, { at: Date.now(), work });
    return work.wait(signal);
  }
}
