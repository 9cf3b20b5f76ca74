// A remote chart, fetched as the controllers fetch it (a Helm repository's index, or an OCI registry) into the
// cache. When the source cannot be reached or refuses (a network error, a timeout, an HTTP error), the copy this
// same request resolved to last time is used, and the result says so and why; a request that resolves to
// nothing (no such chart, no matching version, a corrupt archive) is an error, with or without a cached copy.
import type { ChartRequest, FetchContext, FetchedChart } from './fetchTypes';
import { fetchHttpChart } from './helmRepository';
import { shownURL } from './httpGet';
import { fetchOciChart, isOciURL } from './ociChart';
import { SourceError } from './sourceError';

export async function fetchChart(request: ChartRequest, context: FetchContext): Promise<FetchedChart> {
  const requested = request.tag ? `tag ${request.tag}` : request.version ?? '';
  try {
    const fetched = isOciURL(request.repoURL) ? await fetchOciChart(request, context) : await fetchHttpChart(request, context);
    await context.cache.remember({
      source: shownURL(request.repoURL), chart: request.chart, requested, version: fetched.version, digest: fetched.digest, fetchedAt: Date.now(),
    });
    const notice = context.cache.takeNotice();
    return notice ? { ...fetched, note: fetched.note ? `${fetched.note}; ${notice}` : notice } : fetched;
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    const previous = await context.cache.resolved(shownURL(request.repoURL), request.chart, requested);
    const archive = previous && await context.cache.archive(previous.digest);
    if (!previous || !archive) throw error;
    const note = `chart ${request.chart} ${previous.version} from cache, fetched ${timeAgo(previous.fetchedAt)} (${error.message})`;
    return { archive, version: previous.version, digest: previous.digest, note, fromCache: true };
  }
}

/** `2 h ago`, `5 min ago`, `3 d ago`. */
export function timeAgo(then: number, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}
