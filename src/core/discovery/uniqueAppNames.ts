// App names of one environment must be unique (commands take `--app NAME`, the view's ids are built from them)
// and must not depend on the order files were found: apps that share a name are all told apart by their
// controller's namespace (`apps/podinfo`, `staging/podinfo`), and by kind too when that is still not enough.
import type { AppDefinition } from '../model';

export function uniqueAppNames(apps: AppDefinition[]): AppDefinition[] {
  const qualified = (app: AppDefinition, withKind: boolean) => {
    if (!app.controller) return app.name;
    return `${withKind ? `${app.controller.kind}/` : ''}${app.controller.namespace}/${app.name}`;
  };
  const byNamespace = renamedWhereShared(apps, apps.map((app) => qualified(app, false)));
  return renamedWhereShared(byNamespace, apps.map((app) => qualified(app, true)));
}

/** Every app whose name another app of its environment shares takes its alternative; the others keep theirs. */
function renamedWhereShared(apps: AppDefinition[], alternatives: string[]): AppDefinition[] {
  const keyOf = (app: AppDefinition) => `${app.environment}\u0000${app.name}`;
  const count = new Map<string, number>();
  for (const app of apps) count.set(keyOf(app), (count.get(keyOf(app)) ?? 0) + 1);
  return apps.map((app, index) => (count.get(keyOf(app))! > 1 ? { ...app, name: alternatives[index]! } : app));
}
