// Source mirrors for air-gapped users: `.driftline.yaml` `sources.mirrors` maps a URL prefix (a chart
// repository, a registry path, a Git host or organisation) to the prefix of a mirror that serves the same
// content. A source's URL is rewritten before it is fetched, the longest matching prefix winning, and the
// result says which mirror served it. A login written into the original URL is dropped: the mirror is another
// host, and gets only its own credentials (a login in the mirror URL, or the user's files for the mirror host).
import { shownURL } from './httpGet';
import type { ChartFetcher } from './remoteChart';
import { SourceError } from './sourceError';
import type { GitFetcher, GitRequest } from './gitTypes';

/** The GitRepositories a request includes, fetched from their mirrors too. */
function withMirroredIncludes(request: GitRequest, mirrors: SourceMirrors): GitRequest {
  if (!request.include?.length) return request;
  return {
    ...request,
    include: request.include.map((include) => {
      const inner = withMirroredIncludes(include.request, mirrors);
      return { ...include, request: { ...inner, url: mirroredURL(inner.url, mirrors).url } };
    }),
  };
}

/** URL prefix -> mirror URL prefix. */
export type SourceMirrors = Record<string, string>;

type Family = 'oci' | 'http' | 'git';

/** oci:// for registries, http(s):// for chart repositories (or Git over HTTP), anything else is a Git URL. */
function familyOf(url: string): Family {
  if (url.startsWith('oci://')) return 'oci';
  return /^https?:\/\//i.test(url) ? 'http' : 'git';
}

/** Why a `sources.mirrors` entry cannot be used, or undefined. */
export function mirrorProblem(prefix: string, mirror: string): string | undefined {
  if (prefix.trim() === '') return 'a mirrored URL prefix cannot be empty';
  const from = familyOf(prefix);
  const to = familyOf(mirror);
  if ((from === 'oci') !== (to === 'oci')) return `${shownURL(mirror)} cannot mirror ${shownURL(prefix)}: an oci:// registry is mirrored by an oci:// registry only`;
  return undefined;
}

/** Whether `url` starts with `prefix` at a boundary (`https://a/charts` is no prefix of `https://a/charts-old/`). */
function startsAt(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  return prefix.endsWith('/') || prefix.endsWith(':') || url.length === prefix.length || '/:'.includes(url[prefix.length]);
}

/** The URL a source is fetched from: the mirror's, when a prefix matches (the longest), without the original's login. */
export function mirroredURL(url: string, mirrors: SourceMirrors | undefined): { url: string; mirror?: string } {
  const plain = shownURL(url);
  const prefix = Object.keys(mirrors ?? {}).filter((candidate) => startsAt(plain, shownURL(candidate)))
    .sort((a, b) => shownURL(b).length - shownURL(a).length)[0];
  if (prefix === undefined) return { url };
  const mirror = mirrors![prefix];
  return { url: mirror + plain.slice(shownURL(prefix).length), mirror };
}

/** A fetch failure at the mirror, naming the source it stood in for. */
function atMirror(error: unknown, original: string): unknown {
  if (!(error instanceof SourceError)) return error;
  return new SourceError(`${error.message} (mirror of ${shownURL(original)})`, error.url, error.status);
}

export function chartFetcherWithMirrors(fetch: ChartFetcher, mirrors: SourceMirrors | undefined): ChartFetcher {
  if (!mirrors || Object.keys(mirrors).length === 0) return fetch;
  return async (request, signal) => {
    const { url, mirror } = mirroredURL(request.repoURL, mirrors);
    if (!mirror) return fetch(request, signal);
    const fetched = await fetch({ ...request, repoURL: url }, signal).catch((error: unknown) => { throw atMirror(error, request.repoURL); });
    const served = `chart ${request.chart} ${fetched.version} from mirror ${shownURL(url)} (for ${shownURL(request.repoURL)})`;
    return { ...fetched, note: fetched.note ? `${served}; ${fetched.note}` : served };
  };
}

export function gitFetcherWithMirrors(fetch: GitFetcher, mirrors: SourceMirrors | undefined): GitFetcher {
  if (!mirrors || Object.keys(mirrors).length === 0) return fetch;
  return async (request, signal) => {
    const { url, mirror } = mirroredURL(request.url, mirrors);
    if (!mirror) return fetch(withMirroredIncludes(request, mirrors), signal);
    const fetched = await fetch({ ...withMirroredIncludes(request, mirrors), url }, signal).catch((error: unknown) => { throw atMirror(error, request.url); });
    const served = `Git ${shownURL(request.url)} ${fetched.ref} at ${fetched.commit.slice(0, 7)} from mirror ${shownURL(url)}`;
    return { ...fetched, note: fetched.note ? `${served}; ${fetched.note}` : served };
  };
}
