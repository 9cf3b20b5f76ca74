// The chart `helm template` renders for a Helm app: its folder in the repo, or, for a chart from a Helm
// repository or an OCI registry, the archive fetched into the cache through the workspace's fetcher. When the
// archive is the cached copy of a source that could not be reached, the render's notes say so.
import type { HelmSource } from '../model';
import type { SourceNote } from '../render/options';
import type { ChartRequest, FetchedChart } from './fetchTypes';
import { shownURL } from './httpGet';
import { SourceError } from './sourceError';

/** A chart whose source could not be reached or refused it, with no copy in the cache: the message is the source's error. */
export class ChartNotFetchedError extends Error {
  constructor(readonly sourceError: SourceError) {
    super(sourceError.message, { cause: sourceError });
    this.name = 'ChartNotFetchedError';
  }
}

/** Fetches one remote chart (the workspace binds the cache, credentials and time limit). */
export type ChartFetcher = (request: ChartRequest, signal?: AbortSignal) => Promise<FetchedChart>;

export interface ChartToRender {
  /** A chart folder, or a chart archive (.tgz) when `archive`. */
  path: string;
  archive: boolean;
}

export interface RemoteChartOptions {
  fetchChart?: ChartFetcher;
  signal?: AbortSignal;
  /** Collects what the render should tell about where its sources came from ("chart podinfo 6.5.4 from cache, ..."). */
  sourceNotes?: SourceNote[];
}

/** What to fetch for a remote chart; undefined for a chart in a folder, or one that names no repository. */
export function chartRequestOf(source: HelmSource | undefined): ChartRequest | undefined {
  if (source?.chartPath || !source?.chart || !source.repoURL) return undefined;
  return { repoURL: source.repoURL, chart: source.chart, ...(source.version ? { version: source.version } : {}), ...(source.tag ? { tag: source.tag } : {}), ...(source.insecure ? { insecure: true } : {}) };
}

export async function chartToRender(source: HelmSource | undefined, options: RemoteChartOptions): Promise<ChartToRender> {
  if (source?.chartPath) return { path: source.chartPath, archive: false };
  const request = chartRequestOf(source);
  if (!request || !options.fetchChart) {
    throw new Error(`chart ${source?.chart ?? '(none)'}${source?.repoURL ? ` from ${shownURL(source.repoURL)}` : ''} needs network`);
  }
  let fetched: FetchedChart;
  try {
    fetched = await options.fetchChart(request, options.signal);
  } catch (error) {
    // Unreachable or refused, with no copy cached: the source is named; a chart that resolved to nothing is no such failure.
    if (error instanceof SourceError) throw new ChartNotFetchedError(error);
    throw error;
  }
  if (fetched.note) options.sourceNotes?.push({ text: fetched.note, provisional: fetched.fromCache === true });
  return { path: fetched.archive, archive: true };
}
