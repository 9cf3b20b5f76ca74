// A Flux dependsOn that names nothing: kustomize-controller and helm-controller then never reconcile the
// object ("dependency not found"), and nothing else says why.
import type { RuleFinding } from '../finding';
import { atObject, objectName, type DoctorRule } from '../rule';

export const dependsOnMissing: DoctorRule = {
  id: 'depends-on-missing',
  severity: 'error',
  summary: 'a Flux Kustomization or HelmRelease whose dependsOn names no object of its kind in Git',
  check(views) {
    const found: RuleFinding[] = [];
    for (const view of views) {
      const known = new Set(view.environment.apps.flatMap((app) => (app.controller ? [`${app.controller.kind}/${app.controller.namespace}/${app.controller.name}`] : [])));
      for (const { app } of view.apps) {
        if (!app.flux || !app.controller) continue;
        const missing = app.flux.dependsOn.filter((dependency) => !known.has(`${app.controller!.kind}/${dependency}`));
        if (missing.length === 0) continue;
        const own = view.controllers.ofApp(app);
        const at = own ? atObject(view, app, own) : { location: app.declaredAt, environment: view.environment.name, app: app.name };
        const self = own ? objectName(own.object) : `${app.controller.kind} ${app.controller.namespace}/${app.controller.name}`;
        found.push({
          ...at,
          message: `${self} depends on ${missing.map((name) => `${app.controller!.kind} ${name}`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not in Git: the controller waits for it forever`,
        });
      }
    }
    return found;
  },
};
