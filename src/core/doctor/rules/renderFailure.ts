// An app that does not render here (a failing kustomize or helm run, a chart that cannot be fetched, a
// valuesFrom only the cluster has): a warning, not an error, since some causes are this machine's (no network,
// no cluster), not the repository's.
import type { RuleFinding } from '../finding';
import type { DoctorRule } from '../rule';

export const renderFailure: DoctorRule = {
  id: 'render-failure',
  severity: 'warning',
  summary: 'an app that does not render here (kustomize or helm fails, a chart cannot be fetched)',
  check(views) {
    const found: RuleFinding[] = [];
    for (const view of views) {
      for (const { app, error } of view.apps) {
        // An app discovery already marks Unknown (its source is not in the repo, say) is explained by `status` and by source-ref-missing.
        if (error && !app.unknownReason) found.push({ location: app.declaredAt, environment: view.environment.name, app: app.name, message: `app ${app.name} does not render: ${error}` });
      }
    }
    return found;
  },
};
