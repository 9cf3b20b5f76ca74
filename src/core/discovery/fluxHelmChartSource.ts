// A HelmRelease's `chart.spec` whose sourceRef is not a chart repository: a GitRepository of another repository
// (or of this one at another ref) is fetched like a Kustomization's, and the chart is `chart.spec.chart`, a
// path inside that checkout, with `chart.spec.valuesFiles` inside it too, as source-controller builds a
// HelmChart from a GitRepository artifact. A Bucket is not fetched (its objects are in a cloud store): the app
// says so.
import path from 'node:path';
import type { AppDefinition, KubeObject } from '../model';
import type { GitFetcher } from '../sources/gitTypes';
import { gitRepositoryIsThisRepo } from './fluxSources';
import { gitRepositoryRequest, remoteFolder } from './remoteGitSource';
import type { RepoIdentity } from './repoIdentity';
import type { RepoScan } from './scanRepo';

interface ChartSourceRef {
  kind?: string;
  name?: string;
  namespace?: string;
}

export async function withFetchedChartSource(app: AppDefinition, object: KubeObject, scan: RepoScan, identity: RepoIdentity,
  options: { fetchGit?: GitFetcher; signal?: AbortSignal }): Promise<AppDefinition> {
  const chartSpec = ((object.spec as { chart?: { spec?: { chart?: string; sourceRef?: ChartSourceRef; valuesFiles?: string[] } } } | undefined)?.chart?.spec) ?? {};
  const ref = chartSpec.sourceRef ?? {};
  const namespace = ref.namespace ?? object.metadata.namespace ?? 'default';
  if (ref.kind === 'Bucket') {
    return { ...app, unknownReason: `chart ${chartSpec.chart ?? '(unnamed)'} from Bucket ${namespace}/${ref.name ?? '?'}: Bucket sources are not fetched` };
  }
  if (ref.kind !== 'GitRepository' || !ref.name || !chartSpec.chart || !options.fetchGit) return app;
  const isThisRepo = gitRepositoryIsThisRepo(scan, identity, ref.name, namespace);
  // Only the app's own "another repository" reason is answered here; a cluster that cannot be reached stays first.
  if (isThisRepo === true || app.unknownReason !== isThisRepo) return app;
  const request = gitRepositoryRequest(scan, ref.name, namespace);
  if (!request) return app;
  const fetched = await remoteFolder(request, '.', options.fetchGit, options.signal);
  if ('unknownReason' in fetched) return { ...app, unknownReason: fetched.unknownReason };
  const inside = (relative: string) => path.resolve(fetched.folder, relative.replace(/^\/+/, ''));
  const chartPath = inside(chartSpec.chart);
  if (path.relative(fetched.folder, chartPath).startsWith('..')) return { ...app, unknownReason: `chart path ${chartSpec.chart} is outside Git ${request.url}` };
  const { unknownReason: _answered, ...rest } = app;
  return {
    ...rest, path: chartPath,
    helm: { ...app.helm!, chartPath, valuesFiles: (chartSpec.valuesFiles ?? []).map(inside) },
    ...(fetched.note ? { sourceNote: fetched.note } : {}),
  };
}
