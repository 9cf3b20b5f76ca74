// A live Flux Kustomization, HelmRelease or source object read as kustomize-, helm- and source-controller write
// their status: the Ready condition (with HealthCheckFailed, ArtifactFailed, InstallFailed ... as its reason),
// lastHandledReconcileAt, spec.suspend, the revisions applied and attempted, the HelmRelease's release history
// (Flux v2: newest first) and failure counters, and the conditions that carry their own result.
import type { ControllerRef, KubeObject } from '../model';
import { stringField, type ConditionStatus, type ControllerCondition, type ControllerState, type SourceState } from './controllerState';
import { condition, specAndStatus, type Dict } from './status';

/** Conditions whose result matters beside Ready: health checks (Kustomization), release, remediation, tests (HelmRelease), Stalled. */
const RESULT_CONDITIONS = ['Healthy', 'Released', 'Remediated', 'TestSuccess', 'Stalled'];

export function fluxControllerState(ref: ControllerRef, live: KubeObject): ControllerState {
  const { spec, status } = specAndStatus(live);
  const ready = condition(status, 'Ready');
  const state: ControllerState = { ...ref, ready: conditionStatus(ready), ...readyDetails(ready), ...reconciledAt(status, ready) };
  if (spec.suspend === true) state.suspended = true;
  const conditions = resultConditions(status);
  if (conditions.length) state.conditions = conditions;
  if (ref.kind === 'HelmRelease') Object.assign(state, helmReleaseRevisions(status));
  else Object.assign(state, stringField('appliedRevision', status.lastAppliedRevision), stringField('attemptedRevision', status.lastAttemptedRevision));
  return state;
}

export function fluxSourceState(live: KubeObject): SourceState {
  const { spec, status } = specAndStatus(live);
  const ready = condition(status, 'Ready');
  return {
    kind: live.kind, namespace: live.metadata.namespace ?? '', name: live.metadata.name,
    ready: conditionStatus(ready), ...readyDetails(ready), ...reconciledAt(status, ready),
    ...stringField('revision', (status.artifact as Dict | undefined)?.revision),
    ...(spec.suspend === true ? { suspended: true } : {}),
  };
}

/**
 * The sources a Flux controller object reads, nearest first: a Kustomization's `sourceRef`; a HelmRelease's
 * `chartRef` (OCIRepository or HelmChart), else the HelmChart helm-controller made for `chart.spec`
 * (`status.helmChart`, else `<namespace>-<name>` in the source's namespace) and then the chart's own source.
 */
export function fluxSourceRefs(ref: ControllerRef, live: KubeObject): { apiVersion: string; kind: string; namespace: string; name: string }[] {
  const { spec, status } = specAndStatus(live);
  const namespace = live.metadata.namespace ?? ref.namespace;
  const refOf = (source: Dict | undefined) => {
    if (typeof source?.kind !== 'string' || typeof source.name !== 'string') return undefined;
    return { apiVersion: sourceApiVersion(source.kind, source.apiVersion), kind: source.kind, namespace: typeof source.namespace === 'string' ? source.namespace : namespace, name: source.name };
  };
  if (ref.kind !== 'HelmRelease') return [refOf(spec.sourceRef as Dict | undefined)].filter(isDefined);
  const chartRef = refOf(spec.chartRef as Dict | undefined);
  if (chartRef) return [chartRef];
  const chartSource = refOf((spec.chart as Dict | undefined)?.spec?.sourceRef as Dict | undefined);
  if (!chartSource) return [];
  const [chartNamespace, chartName] = typeof status.helmChart === 'string' && status.helmChart.includes('/')
    ? status.helmChart.split('/', 2) as [string, string]
    : [chartSource.namespace, `${namespace}-${live.metadata.name}`];
  return [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart', namespace: chartNamespace, name: chartName }, chartSource];
}

function sourceApiVersion(kind: string, apiVersion: unknown): string {
  if (typeof apiVersion === 'string' && apiVersion.includes('/')) return apiVersion;
  // OCIRepository was served at v1beta2 before Flux 2.6; the others have been v1 since Flux 2.0-2.3.
  return kind === 'OCIRepository' ? 'source.toolkit.fluxcd.io/v1beta2' : 'source.toolkit.fluxcd.io/v1';
}

/** helm-controller v2 keeps the releases in `status.history`, newest first; v2beta1 had lastAppliedRevision / lastReleaseRevision. */
function helmReleaseRevisions(status: Dict): Partial<ControllerState> {
  const latest = Array.isArray(status.history) ? status.history[0] as Dict | undefined : undefined;
  const fields: Partial<ControllerState> = {};
  if (latest) {
    fields.release = {
      ...stringField('chartName', latest.chartName), ...stringField('chartVersion', latest.chartVersion), ...stringField('appVersion', latest.appVersion),
      ...(typeof latest.version === 'number' ? { version: latest.version } : {}),
      ...stringField('status', latest.status), ...stringField('digest', latest.digest), ...stringField('configDigest', latest.configDigest),
    };
    Object.assign(fields, stringField('appliedRevision', latest.chartVersion));
  } else {
    Object.assign(fields, stringField('appliedRevision', status.lastAppliedRevision));
    if (typeof status.lastReleaseRevision === 'number') fields.release = { version: status.lastReleaseRevision };
  }
  Object.assign(fields, stringField('attemptedRevision', status.lastAttemptedRevision));
  const failures = {
    ...(typeof status.installFailures === 'number' && status.installFailures > 0 ? { install: status.installFailures } : {}),
    ...(typeof status.upgradeFailures === 'number' && status.upgradeFailures > 0 ? { upgrade: status.upgradeFailures } : {}),
  };
  if (Object.keys(failures).length) fields.failures = failures;
  return fields;
}

function resultConditions(status: Dict): ControllerCondition[] {
  return RESULT_CONDITIONS.flatMap((type) => {
    const found = condition(status, type);
    const value = conditionStatus(found);
    // Stalled only means something when it is True; the others whatever their status.
    if (!value || (type === 'Stalled' && value !== 'True')) return [];
    return [{ type, status: value, ...stringField('reason', found?.reason), ...stringField('message', found?.message) }];
  });
}

export function conditionStatus(found: Dict | undefined): ConditionStatus | undefined {
  const value = found?.status;
  return value === 'True' || value === 'False' || value === 'Unknown' ? value : undefined;
}

function readyDetails(ready: Dict | undefined): { reason?: string; message?: string } {
  return { ...stringField('reason', ready?.reason), ...stringField('message', ready?.message) };
}

/**
 * The latest of what says when the controller last reconciled: `lastHandledReconcileAt` (set for a requested
 * reconcile), the Ready condition's transition, and (Flux 2.6 Kustomizations) `history[0].lastReconciled`.
 */
function reconciledAt(status: Dict, ready: Dict | undefined): { lastReconciled?: string } {
  const history = Array.isArray(status.history) ? status.history[0] as Dict | undefined : undefined;
  const times = [status.lastHandledReconcileAt, ready?.lastTransitionTime, history?.lastReconciled]
    .filter((value): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value)));
  const latest = times.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  return latest ? { lastReconciled: latest } : {};
}


function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
