// Which files an app renders from, for its history and for paths-only reverts: the render inputs (kustomize
// tree with its bases, chart and values files, YAML files) and the folders whose new files would join them.
import { discoverRepo } from '../discovery/discoverRepo';
import type { AppDefinition, EnvironmentDefinition } from '../model';
import { collectInputs } from '../render/collectInputs';
import { GitError } from './repo';

export async function appInputPaths(app: AppDefinition): Promise<string[]> {
  const inputs = await collectInputs(app);
  const paths = [...new Set([...inputs.files, ...inputs.trees])];
  if (paths.length === 0) throw new GitError(`App ${app.environment}/${app.name} has no input files (${app.unknownReason ?? app.path})`, app.path);
  return paths;
}

export interface LocatedApp {
  environment: EnvironmentDefinition;
  app: AppDefinition;
  paths: string[];
}

/** Finds an app by name (and environment, required when the name is in several) and its input paths. */
export async function locateApp(repoRoot: string, appName: string, environmentName?: string): Promise<LocatedApp> {
  const model = await discoverRepo(repoRoot);
  const environments = environmentName ? model.environments.filter((e) => e.name === environmentName) : model.environments;
  if (environmentName && environments.length === 0) {
    throw new GitError(`No environment "${environmentName}" in ${model.root} (environments: ${model.environments.map((e) => e.name).join(', ') || 'none'})`, model.root);
  }
  const matches = environments.flatMap((environment) => environment.apps.filter((a) => a.name === appName).map((app) => ({ environment, app })));
  if (matches.length === 0) {
    const known = [...new Set(environments.flatMap((e) => e.apps.map((a) => a.name)))].join(', ') || 'none';
    throw new GitError(`No app "${appName}" in ${environmentName ? `environment ${environmentName}` : model.root} (apps: ${known})`, model.root);
  }
  if (matches.length > 1) {
    throw new GitError(`App "${appName}" is in several environments (${matches.map((m) => m.environment.name).join(', ')}): choose one with --env`, model.root);
  }
  const [{ environment, app }] = matches as [{ environment: EnvironmentDefinition; app: AppDefinition }];
  return { environment, app, paths: await appInputPaths(app) };
}
