// A chart from an HTTP(S) Helm repository, as source-controller fetches it for a HelmRepository: GET
// `<url>/index.yaml`, pick the version (chartVersion.ts), download the entry's first URL (a relative one is
// resolved against the repository URL with a trailing slash, its query kept), check the sha256 the index gives,
// and keep the archive in the cache. An archive the cache already holds under the index's digest is not
// downloaded again.
import { parse as parseYaml } from 'yaml';
import { yamlNestingProblem } from '../yamlLimits';
import { chartArchiveProblem } from './chartArchive';
import { chooseVersion } from './chartVersion';
import { credentialsNote, helmRepositoriesFile, helmRepositoryCredential, helmRepositoryTls, splitURLLogin, type Credential } from './credentials';
import type { ChartRequest, FetchContext, FetchedChart } from './fetchTypes';
import { httpFailure, httpGet, type HttpGetOptions } from './httpGet';
import { sha256 } from './sourceCache';
import { SourceError } from './sourceError';
import type { TlsSettings } from './tlsGet';

interface IndexEntry {
  version?: unknown;
  urls?: unknown;
  digest?: unknown;
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/** The download URL of an index entry: absolute as given, or relative to the repository. */
export function chartDownloadURL(repoURL: string, entryURL: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entryURL)) return entryURL;
  const base = new URL(repoURL);
  const query = base.search;
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/`;
  base.search = '';
  const resolved = new URL(entryURL, base);
  if (query && !resolved.search) resolved.search = query;
  return resolved.toString();
}

function requestOptions(credential: Credential | undefined, tls: TlsSettings | undefined, repoURL: string, context: FetchContext): HttpGetOptions {
  return {
    ...(credential ? { authorization: credential.authorization, credentialHost: credential.host } : {}),
    ...(tls ? { tls } : {}),
    untrustedHint: `give its CA as caFile (or set insecure_skip_tls_verify) in the entry of ${repoURL} in ${helmRepositoriesFile(context.env)}, as for helm`,
    signal: context.signal, timeoutMs: context.timeoutMs,
  };
}

type IndexEntries = Record<string, IndexEntry[]>;

/** The `entries` of a repository index. */
function parseIndex(text: string, indexURL: string): IndexEntries {
  const deep = yamlNestingProblem(text);
  if (deep) throw new SourceError(`${indexURL} is not a Helm repository index: ${deep}`, indexURL);
  let index: { entries?: IndexEntries } | null;
  try {
    index = parseYaml(text) as typeof index;
  } catch (error) {
    throw new SourceError(`${indexURL} is not a Helm repository index: ${(error as Error).message.split('\n')[0]}`, indexURL);
  }
  if (!index || typeof index.entries !== 'object' || index.entries === null) {
    throw new SourceError(`${indexURL} is not a Helm repository index (no entries)`, indexURL);
  }
  return index.entries;
}

function chartEntries(entries: IndexEntries, indexURL: string, chart: string): IndexEntry[] {
  const found = entries[chart];
  if (!Array.isArray(found)) {
    const charts = Object.keys(entries).sort();
    throw new Error(`chart ${chart} is not in ${indexURL} (charts: ${charts.slice(0, 20).join(', ') || 'none'}${charts.length > 20 ? ', ...' : ''})`);
  }
  return found;
}

async function fetchIndex(indexURL: string, options: HttpGetOptions, credentialsNote: string): Promise<IndexEntries> {
  const index = await httpGet(indexURL, options);
  if (index.status !== 200) throw httpFailure(index, credentialsNote);
  return parseIndex(index.body.toString('utf8'), indexURL);
}

export async function fetchHttpChart(request: ChartRequest, context: FetchContext): Promise<FetchedChart> {
  const { chart } = request;
  const { url: repoURL, credential: inURL } = splitURLLogin(request.repoURL);
  const credential = inURL ?? await helmRepositoryCredential(repoURL, context.env);
  const options = requestOptions(credential, await helmRepositoryTls(repoURL, context.env), repoURL, context);
  const note = credentialsNote(credential, new URL(repoURL).host);
  const indexURL = `${withoutSlash(repoURL)}/index.yaml`;
  const load = (signal: AbortSignal | undefined) => fetchIndex(indexURL, { ...options, signal }, note);
  const index = context.shared
    ? await context.shared.get(`index ${indexURL} ${credential?.username ?? ''}`, context.signal, load)
    : await load(context.signal);
  const entries = chartEntries(index, indexURL, chart);
  const versions = entries.flatMap((entry) => (typeof entry.version === 'string' ? [entry.version] : []));
  const choice = chooseVersion(request.version, versions, `chart ${chart} in ${repoURL}`);
  if ('problem' in choice) throw new Error(choice.problem);
  const entry = entries.find((candidate) => candidate.version === choice.version)!;
  const what = `chart ${chart} ${choice.version}`;
  const urls = Array.isArray(entry.urls) ? entry.urls.filter((url): url is string => typeof url === 'string') : [];
  if (urls.length === 0) throw new Error(`${what} in ${indexURL} has no download URL`);
  const expected = typeof entry.digest === 'string' && /^[0-9a-f]{64}$/i.test(entry.digest) ? entry.digest.toLowerCase() : undefined;
  const cached = expected ? await context.cache.archive(expected) : undefined;
  if (cached) return { archive: cached, version: choice.version, digest: expected! };
  const url = chartDownloadURL(repoURL, urls[0]);
  const download = await httpGet(url, options);
  if (download.status !== 200) throw httpFailure(download, note);
  const actual = sha256(download.body);
  if (expected && actual !== expected) {
    throw new Error(`${what} from ${url} does not match the digest in ${indexURL} (index: sha256:${expected}, downloaded: sha256:${actual})`);
  }
  const problem = chartArchiveProblem(download.body);
  if (problem) throw new Error(`${what} from ${url} is not a valid chart archive: ${problem}`);
  const stored = await context.cache.storeArchive(download.body);
  return { archive: stored.file, version: choice.version, digest: stored.digest };
}
