// The server's prediction of a desired object: a server-side apply dry-run (dryRun=All, force, our field
// manager) returns the object exactly as the server would store it, defaults and other managers' fields
// included. Cached by (desired hash, live resourceVersion). No dry-run is sent when the live object's
// managedFields prove the apply would change nothing (provenUnchanged.ts): the answer is the live object. When
// the server forbids the dry-run (read-only user), the prediction is made client-side and marked as such.
import { describeRef, DRIFTLINE_FIELD_MANAGER, refOf, type ComparisonMode, type KubeObject } from '../model';
import { reasonOf } from '../cluster/errors';
import { noSuchKindReason } from '../cluster/liveSnapshot';
import { messageOf } from '../errors';
import { beforeDryRunSteps, comparisonSteps, normalize } from './normalize';
import { PredictionCache } from './predictionCache';
import { predictClientSide } from './predictClientSide';
import { applyChangesNothing } from './provenUnchanged';

/** The part of ClusterClient a prediction needs. */
export interface DryRunClient {
  serverSideApply(object: KubeObject, options: { dryRun: boolean; fieldManager: string; force: boolean }): Promise<KubeObject>;
}

export type Prediction =
  | { predicted: KubeObject; comparison: ComparisonMode }
  | { unknownReason: string };

export class Predictor {
  /** Dry-runs actually sent to the server (the rest came from the cache), for logs and benchmarks. */
  dryRuns = 0;
  /** Objects whose managedFields proved the apply a no-op, so no dry-run was needed. */
  provenUnchanged = 0;
  /** Kinds and namespaces where the server already forbade a dry-run in this run: ask no more there. */
  private readonly forbidden = new Set<string>();

  constructor(
    private readonly client: DryRunClient,
    private readonly cache: PredictionCache,
    /** Kube context, part of the cache key and of messages. */
    private readonly context: string,
    private readonly options: {
      fieldManager?: string;
      /** Ask the server even when managedFields prove the answer (the engine's `alwaysDryRun`). */
      alwaysDryRun?: boolean;
    } = {},
  ) {}

  private get fieldManager(): string {
    return this.options.fieldManager ?? DRIFTLINE_FIELD_MANAGER;
  }

  async predict(desired: KubeObject, live: KubeObject): Promise<Prediction> {
    const prepared = normalize(desired, beforeDryRunSteps);
    if (!this.options.alwaysDryRun && applyChangesNothing(prepared, live, this.fieldManager)) {
      this.provenUnchanged++;
      return { predicted: live, comparison: 'managed-fields' };
    }
    const key = PredictionCache.key(prepared, String(live.metadata.resourceVersion ?? ''), this.context);
    const cached = this.cache.get(key);
    if (cached) return { predicted: cached, comparison: 'server-side-dry-run' };
    const scope = `${desired.apiVersion}/${desired.kind}/${desired.metadata.namespace ?? ''}`;
    const clientSide = (): Prediction => ({ predicted: predictClientSide(live, normalize(prepared, comparisonSteps)), comparison: 'client-side' });
    if (this.forbidden.has(scope)) return clientSide();
    try {
      this.dryRuns++;
      const predicted = await this.client.serverSideApply(prepared, { dryRun: true, fieldManager: this.fieldManager, force: true });
      // Every comparison drops managedFields, and they are often half the object: the cache need not hold them.
      delete predicted.metadata.managedFields;
      this.cache.set(key, predicted);
      return { predicted, comparison: 'server-side-dry-run' };
    } catch (error) {
      switch (reasonOf(error)) {
        case 'Forbidden':
          this.forbidden.add(scope);
          return clientSide();
        case 'NoSuchKind':
          return { unknownReason: noSuchKindReason(desired.apiVersion, desired.kind) };
        default:
          return { unknownReason: `server refused ${describeRef(refOf(desired))} (context ${this.context}): ${messageOf(error)}` };
      }
    }
  }

  /**
   * For an object that is not live: the server's words if it would refuse to create it (a field it does not
   * know, an invalid value, an admission denial), so the Missing row says why a sync could not fix it; undefined
   * when it would be created, or when the dry-run cannot be asked (forbidden) or needs a namespace not there yet.
   */
  async refusalToCreate(desired: KubeObject): Promise<string | undefined> {
    const prepared = normalize(desired, beforeDryRunSteps);
    const key = PredictionCache.key(prepared, '', this.context);
    const cached = this.cache.createVerdict(key);
    if (cached !== undefined) return cached || undefined;
    const scope = `${desired.apiVersion}/${desired.kind}/${desired.metadata.namespace ?? ''}`;
    if (this.forbidden.has(scope)) return undefined;
    let refusal = '';
    try {
      this.dryRuns++;
      await this.client.serverSideApply(prepared, { dryRun: true, fieldManager: this.fieldManager, force: true });
    } catch (error) {
      const reason = reasonOf(error);
      if (reason === 'Forbidden') this.forbidden.add(scope);
      else if (reason !== 'NotFound' && reason !== 'Unreachable') refusal = messageOf(error);
    }
    this.cache.setCreateVerdict(key, refusal);
    return refusal || undefined;
  }
}
