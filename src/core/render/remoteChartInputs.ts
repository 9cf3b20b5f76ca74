// A remote chart is an input of its app like a file: what its version range resolves to now. source-controller
// asks the repository again every interval and helm-controller upgrades to a new match, so a render kept from an
// earlier refresh is reused only while the chart still resolves to the same archive (its digest). The index or
// tag list is fetched once for all apps of a refresh (SharedFetches), the archive only when it is new, and the
// render asks the same resolution again without a second fetch.
import { createHash } from 'node:crypto';
import { stoppedBy } from '../abort';
import type { AppDefinition } from '../model';
import type { ChartRequest, FetchedChart } from '../sources/fetchTypes';
import { chartRequestOf, type ChartFetcher } from '../sources/remoteChart';
import { sourceAppsOf } from './appSources';

/** The remote charts an app renders (one per Helm source of a multi-source app). */
export function remoteChartRequests(app: AppDefinition): ChartRequest[] {
  if (app.unknownReason) return [];
  return sourceAppsOf(app).flatMap((source) => chartRequestOf(source.helm) ?? []);
}

/** `fetchChart`, asked once per request for the whole render of many apps: hashing and rendering share the answer. */
export function fetchedOncePerRender(fetchChart: ChartFetcher): ChartFetcher {
  const answers = new Map<string, Promise<FetchedChart>>();
  return (request, signal) => {
    const key = JSON.stringify(request);
    let answer = answers.get(key);
    if (!answer) {
      answer = fetchChart(request, signal);
      // A stopped fetch is no answer for the next caller.
      answer.catch((error: unknown) => { if (stoppedBy(error, signal)) answers.delete(key); });
      answers.set(key, answer);
    }
    return answer;
  };
}

/**
 * `inputHash` with what each remote chart resolves to now. A chart that cannot be fetched hashes as such: its
 * render fails (and is not kept) or is a provisional stand-in, either way rendered again.
 */
export async function withResolvedCharts(inputHash: string, requests: ChartRequest[], fetchChart: ChartFetcher | undefined, signal?: AbortSignal): Promise<string> {
  if (requests.length === 0 || !fetchChart) return inputHash;
  const hash = createHash('sha256').update(inputHash);
  for (const request of requests) {
    const digest = await fetchChart(request, signal).then((fetched) => fetched.digest, (error: unknown) => {
      if (stoppedBy(error, signal)) throw error;
      return 'not fetched';
    });
    hash.update(`\0chart\0${JSON.stringify(request)}\0${digest}`);
  }
  return hash.digest('hex');
}
