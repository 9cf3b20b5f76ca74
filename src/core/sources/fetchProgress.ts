// Fetches of remote sources (charts, Git repositories) as the user follows them: each one's start and end
// (fetched, failed naming its URL and the HTTP status or git error, or stopped) reported to whoever listens (the
// CLI's stderr, VS Code's progress notification), and at most `limit` of them at a time, so 60 HelmReleases
// of one refresh do not open 60 connections at once. Every fetch keeps its own time limit (httpGet, gitFetch).
import { stoppedBy } from '../abort';
import { Slots } from '../concurrency';
import { messageOf } from '../errors';
import type { ChartRequest, FetchedChart } from './fetchTypes';
import { describeRef, type FetchedGit, type GitRequest } from './gitTypes';
import { shownURL } from './httpGet';

export type SourceFetchPhase = 'started' | 'fetched' | 'failed' | 'stopped';

export interface SourceFetchEvent {
  phase: SourceFetchPhase;
  /** What is fetched, as messages name it: `chart podinfo 6.x from https://charts.example.com`. */
  what: string;
  /** Fetched: what it resolved to (`6.5.4`, `commit 0a1b2c3d4e5f`), and a note when the cache served it. Failed: the error. */
  detail?: string;
  /** How long it took (ended phases). */
  ms?: number;
  /** Fetches running after this event. */
  running: number;
  /** Fetches started, and ended, since none was running: "3 of 10" while a refresh fetches. */
  started: number;
  ended: number;
}

export type SourceFetchListener = (event: SourceFetchEvent) => void;

export const DEFAULT_FETCH_CONCURRENCY = 6;

export class SourceFetchProgress {
  private readonly listeners = new Set<SourceFetchListener>();
  private readonly slots: Slots;
  private running = 0;
  private started = 0;
  private ended = 0;

  constructor(limit = DEFAULT_FETCH_CONCURRENCY) {
    this.slots = new Slots(limit);
  }

  /** Calls `listener` with every fetch's start and end until disposed. */
  onFetch(listener: SourceFetchListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  /** Runs one fetch when a slot is free, reporting it; `outcome` says what it resolved to. */
  run<T>(what: string, signal: AbortSignal | undefined, fetch: () => Promise<T>, outcome: (result: T) => string): Promise<T> {
    return this.slots.run(async () => {
      if (this.running === 0) this.started = this.ended = 0;
      this.running += 1;
      this.started += 1;
      this.emit({ phase: 'started', what });
      const began = Date.now();
      const end = (phase: SourceFetchPhase, detail?: string) => {
        this.running -= 1;
        this.ended += 1;
        this.emit({ phase, what, ...(detail ? { detail } : {}), ms: Date.now() - began });
      };
      try {
        const result = await fetch();
        end('fetched', outcome(result));
        return result;
      } catch (error) {
        if (stoppedBy(error, signal)) end('stopped');
        else end('failed', messageOf(error));
        throw error;
      }
    }, signal);
  }

  private emit(event: Omit<SourceFetchEvent, 'running' | 'started' | 'ended'>): void {
    const full = { ...event, running: this.running, started: this.started, ended: this.ended };
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // A listener's failure (a closed stream) never fails the fetch it reports.
      }
    }
  }
}

/** `chart podinfo 6.x from https://charts.example.com` (never a login the URL carries). */
export function chartFetchName(request: ChartRequest): string {
  const requested = request.tag ? ` tag ${request.tag}` : request.version ? ` ${request.version}` : '';
  return `chart ${request.chart}${requested} from ${shownURL(request.repoURL)}`;
}

/** `Git https://example.com/org/repo branch main`. */
export function gitFetchName(request: GitRequest): string {
  return `Git ${shownURL(request.url)} ${describeRef(request.ref)}`;
}

export const chartOutcome = (fetched: FetchedChart) => `${fetched.version}${fetched.note ? ` (${fetched.note})` : ''}`;
export const gitOutcome = (fetched: FetchedGit) => `commit ${fetched.commit.slice(0, 12)}${fetched.note ? ` (${fetched.note})` : ''}`;
