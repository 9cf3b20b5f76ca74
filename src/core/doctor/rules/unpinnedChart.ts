// Charts and OCI artifacts without a pinned version: a HelmRelease or Application that follows a range
// installs whatever the repository publishes next, with no commit in Git to review or revert.
import semver from 'semver';
import { objectsOfKinds } from '../doctorInput';
import type { RuleFinding } from '../finding';
import { atObject, objectName, type DoctorRule } from '../rule';

type Dict = Record<string, unknown>;
const KINDS = new Set(['HelmRelease', 'HelmChart', 'OCIRepository', 'Application']);

export const unpinnedChart: DoctorRule = {
  id: 'unpinned-chart',
  severity: 'warning',
  summary: 'a Helm chart or OCI artifact by a version range, `*`, `latest` or no version',
  check(views) {
    const found: RuleFinding[] = [];
    for (const view of views) {
      for (const { app, desired } of objectsOfKinds(view, KINDS)) {
        for (const what of unpinnedVersions(desired.object.kind, (desired.object.spec ?? {}) as Dict)) {
          found.push({ ...atObject(view, app, desired), message: `${objectName(desired.object)} ${what}: pin a version so that a commit always deploys the same chart` });
        }
      }
    }
    return found;
  },
};

function unpinnedVersions(kind: string, spec: Dict): string[] {
  if (kind === 'HelmRelease') {
    const chart = ((spec.chart as Dict | undefined)?.spec ?? undefined) as Dict | undefined;
    // A chart from a GitRepository or Bucket is whatever that revision holds: its version is Git's.
    if (!chart || ['GitRepository', 'Bucket'].includes(String((chart.sourceRef as Dict | undefined)?.kind))) return [];
    const why = rangeProblem(chart.version);
    return why ? [`installs chart ${String(chart.chart)} ${why}`] : [];
  }
  if (kind === 'HelmChart') {
    if (['GitRepository', 'Bucket'].includes(String((spec.sourceRef as Dict | undefined)?.kind))) return [];
    const why = rangeProblem(spec.version);
    return why ? [`pulls chart ${String(spec.chart)} ${why}`] : [];
  }
  if (kind === 'OCIRepository') {
    const ref = (spec.ref ?? {}) as Dict;
    if (typeof ref.digest === 'string') return [];
    if (typeof ref.semver === 'string') {
      const why = rangeProblem(ref.semver);
      return why ? [`follows ${String(spec.url)} ${why}`] : [];
    }
    const tag = typeof ref.tag === 'string' ? ref.tag : undefined;
    return !tag || tag === 'latest' ? [`follows ${String(spec.url)} by ${tag ? 'tag latest' : 'no tag (latest)'}`] : [];
  }
  const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter((source): source is Dict => !!source && typeof source === 'object');
  return sources.filter((source) => typeof source.chart === 'string').flatMap((source) => {
    const why = rangeProblem(source.targetRevision);
    return why ? [`installs chart ${String(source.chart)} from ${String(source.repoURL)} ${why}`] : [];
  });
}

/** Why a chart version is not pinned, or undefined when it names one version. */
function rangeProblem(version: unknown): string | undefined {
  if (version === undefined || version === null || version === '') return 'with no version (the latest)';
  const text = String(version).trim();
  if (text === '*' || text === 'latest') return `by "${text}" (the latest)`;
  if (semver.valid(text, { loose: true })) return undefined;
  return semver.validRange(text, { loose: true }) ? `by the range "${text}"` : undefined;
}
