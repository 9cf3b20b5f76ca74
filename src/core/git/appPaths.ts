// Which files an app renders from, for its history and for paths-only reverts: the render inputs (kustomize
// tree with its bases, chart and values files, YAML files) and the folders whose new files would join them.
import type { AppDefinition, EnvironmentDefinition } from '../model';
import { collectInputs } from '../render/collectInputs';
import { Workspace, WorkspaceError } from '../workspace';
import { GitError } from './repo';

export async function appInputPaths(app: AppDefinition): Promise<string[]> {
  const inputs = await collectInputs(app);
  const paths = [...new Set([...inputs.files, ...inputs.trees])];
  if (paths.length === 0) throw new GitError(`App ${app.environment}/${app.name} has no input files (${app.unknownReason ?? app.path})`, app.path);
  return paths;
}

export interface AppWithPaths {
  environment: EnvironmentDefinition;
  app: AppDefinition;
  paths: string[];
}

/** Finds an app by name on the workspace's model (environment required when the name is in several) and its input paths. */
export async function locateApp(workspace: Workspace, appName: string, environmentName?: string): Promise<AppWithPaths> {
  let located;
  try {
    located = await workspace.locate(appName, environmentName);
  } catch (error) {
    throw error instanceof WorkspaceError ? new GitError(capitalized(error.message), workspace.repoRoot) : error;
  }
  return { environment: located.environment, app: located.app, paths: await appInputPaths(located.app) };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
