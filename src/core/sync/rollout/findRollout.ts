// The Rollout of an app a `driftline rollout` command names: one of the app's desired Argo Rollouts Rollouts
// (`NAME`, or `NAMESPACE/NAME` where names repeat), with its namespace resolved as the comparison resolves it.
import { isRollout } from '../../health/related';
import { describeRef, type ObjectRef } from '../../model';
import { renderApps } from '../../render/renderApps';
import type { Workspace } from '../../workspace';
import { SyncError } from '../errors';
import type { SyncTarget } from '../prepare';

export async function findAppRollout(workspace: Workspace, target: SyncTarget, name: string, signal?: AbortSignal): Promise<ObjectRef> {
  const { app, environment } = target;
  const [namespace, rolloutName] = name.includes('/') ? name.split('/', 2) as [string, string] : [undefined, name];
  const model = await workspace.discover(signal);
  const [rendered] = await renderApps([app], { ...workspace.renderOptionsFor(model), signal });
  if (rendered!.error) throw new SyncError(`Cannot find Rollout ${name} of app ${app.name} in environment ${environment.name}: ${rendered!.error}. Nothing was changed.`);
  const rollouts: ObjectRef[] = rendered!.objects.map(({ object }) => object).filter(isRollout).map((object) => ({
    apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name,
    namespace: object.metadata.namespace ?? app.namespace ?? target.client.defaultNamespace,
  }));
  const matches = rollouts.filter((ref) => ref.name === rolloutName && (namespace === undefined || ref.namespace === namespace));
  if (matches.length === 1) return matches[0]!;
  const theirs = rollouts.length ? `its Rollouts: ${rollouts.map(describeRef).join(', ')}` : 'it has none';
  if (matches.length === 0) throw new SyncError(`App ${app.name} in environment ${environment.name} has no Rollout ${name} (${theirs}). Nothing was changed.`);
  throw new SyncError(`App ${app.name} in environment ${environment.name} has several Rollouts named ${name} (${theirs}): name one as NAMESPACE/NAME. Nothing was changed.`);
}
