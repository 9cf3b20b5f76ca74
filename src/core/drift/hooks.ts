// Hook resources are not desired state: Argo CD runs `argocd.argoproj.io/hook` objects (PreSync, Sync,
// PostSync, SyncFail, PostDelete, Skip) around a sync and deletes them by their delete policy, and Helm runs
// `helm.sh/hook` objects (pre-install, post-upgrade, test, ...) outside the release (Argo CD maps them to its
// own hooks). A PostSync Job deleted after success must never be Missing, nor a leftover hook Job Extra: such
// objects are kept out of the comparison and listed apart (AppResult.hooks).
import type { AppDefinition, HookResource, KubeObject, RenderedApp } from '../model';

export const ARGO_HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';

/** The hook phases of an object for this app (`PostSync`, `pre-install,pre-upgrade`), or undefined when it is desired state. */
export function hookOf(object: KubeObject, app: AppDefinition): string | undefined {
  const annotations = object.metadata.annotations ?? {};
  const argo = app.origin === 'argo-application';
  if (argo && annotations[ARGO_HOOK_ANNOTATION]) return annotations[ARGO_HOOK_ANNOTATION];
  if ((argo || app.renderer === 'helm') && annotations[HELM_HOOK_ANNOTATION]) return annotations[HELM_HOOK_ANNOTATION];
  return undefined;
}

/** The app's render without its hook objects, and those hooks. */
export function withoutHooks(rendered: RenderedApp): { rendered: RenderedApp; hooks: HookResource[] } {
  const hooks: HookResource[] = [];
  const objects = rendered.objects.filter(({ object, source }) => {
    const hook = hookOf(object, rendered.app);
    if (hook === undefined) return true;
    const namespace = object.metadata.namespace ?? rendered.app.namespace;
    hooks.push({ apiVersion: object.apiVersion, kind: object.kind, ...(namespace ? { namespace } : {}), name: object.metadata.name, hook, source });
    return false;
  });
  return { rendered: hooks.length === 0 ? rendered : { ...rendered, objects }, hooks };
}
