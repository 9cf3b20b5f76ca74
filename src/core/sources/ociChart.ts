// A chart from an OCI registry, as source-controller fetches it for an OCI HelmRepository and Argo CD for an
// `oci://` repoURL: the artifact `<url>/<chart>` at the tag of the version (`+` written `_`, as `helm push`
// tags it), or the highest tag a semver range accepts (the tag list), or a `sha256:` digest; from its manifest
// the layer of the Helm chart media type, checked against its digest and kept in the cache.
import semver from 'semver';
import { chartArchiveProblem } from './chartArchive';
import { chooseVersion } from './chartVersion';
import type { ChartRequest, FetchContext, FetchedChart } from './fetchTypes';
import { OciRegistry } from './ociRegistry';
import { sha256 } from './sourceCache';

export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MANIFEST_TYPES = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

export const isOciURL = (url: string) => url.startsWith('oci://');

/** `oci://host:5000/charts` + `podinfo` -> registry host and repository path. */
export function ociReference(repoURL: string, chart: string): { host: string; repository: string } {
  const rest = repoURL.replace(/^oci:\/\//, '').replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1);
  return { host, repository: prefix ? `${prefix}/${chart}` : chart };
}

/** All tags of a repository, following the registry's `Link: <...>; rel="next"` pages. */
async function listTags(registry: OciRegistry, repository: string): Promise<string[]> {
  const tags: string[] = [];
  let next: string | undefined = `${repository}/tags/list`;
  while (next) {
    const answer = await registry.get(next);
    tags.push(...((JSON.parse(answer.body.toString('utf8')) as { tags?: string[] | null }).tags ?? []));
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(answer.headers.get('link') ?? '');
    next = link ? new URL(link[1], answer.url).toString() : undefined;
  }
  return tags;
}

/** The tag (or digest) to read, and the version it stands for. */
async function resolveReference(registry: OciRegistry, repository: string, request: ChartRequest, context: FetchContext): Promise<{ reference: string; version: string }> {
  if (request.tag) return { reference: request.tag, version: request.tag };
  const wanted = (request.version ?? '').trim();
  if (/^sha256:[0-9a-f]{64}$/.test(wanted)) return { reference: wanted, version: wanted };
  if (semver.valid(wanted)) return { reference: wanted.replace(/\+/g, '_'), version: wanted };
  // Shared with other renders: bound to the shared fetch's signal, not to this caller's.
  const list = (signal?: AbortSignal) => listTags(new OciRegistry(registry.host, { ...context, signal }, registry.insecure), repository);
  const tags = context.shared ? await context.shared.get(`tags ${request.repoURL}/${request.chart}`, context.signal, list) : await list(context.signal);
  const versions = tags.map((tag) => tag.replace(/_/g, '+'));
  const choice = chooseVersion(wanted, versions, `chart ${request.chart} in ${request.repoURL}`);
  if ('problem' in choice) throw new Error(choice.problem);
  return { reference: choice.version.replace(/\+/g, '_'), version: choice.version };
}

export async function fetchOciChart(request: ChartRequest, context: FetchContext): Promise<FetchedChart> {
  const { host, repository } = ociReference(request.repoURL, request.chart);
  const registry = new OciRegistry(host, context, request.insecure ? true : undefined);
  const { reference, version } = await resolveReference(registry, repository, request, context);
  const where = `oci://${host}/${repository}:${reference}`;
  const manifestAnswer = await registry.get(`${repository}/manifests/${reference}`, MANIFEST_TYPES);
  let layers: { mediaType?: string; digest?: string }[];
  try {
    layers = (JSON.parse(manifestAnswer.body.toString('utf8')) as { layers?: typeof layers }).layers ?? [];
  } catch (error) {
    throw new Error(`${where}: the manifest is not JSON (${(error as Error).message})`, { cause: error });
  }
  const layer = layers.find((candidate) => candidate.mediaType === HELM_CHART_LAYER);
  const digest = /^sha256:([0-9a-f]{64})$/.exec(layer?.digest ?? '')?.[1];
  if (!layer || !digest) {
    const types = layers.map((candidate) => candidate.mediaType).join(', ') || 'none';
    throw new Error(`${where} is not a Helm chart: no ${HELM_CHART_LAYER} layer (layers: ${types})`);
  }
  const what = `chart ${request.chart} ${version}`;
  const cached = await context.cache.archive(digest);
  if (cached) return { archive: cached, version, digest };
  const blob = await registry.get(`${repository}/blobs/sha256:${digest}`);
  if (sha256(blob.body) !== digest) throw new Error(`${what} from ${where} does not match its layer digest sha256:${digest}`);
  const problem = chartArchiveProblem(blob.body);
  if (problem) throw new Error(`${what} from ${where} is not a valid chart archive: ${problem}`);
  const stored = await context.cache.storeArchive(blob.body);
  return { archive: stored.file, version, digest: stored.digest };
}
