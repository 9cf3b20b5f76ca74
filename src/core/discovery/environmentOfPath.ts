import path from 'node:path';

export const ENVIRONMENT_FOLDERS = ['clusters', 'environments', 'envs'];

/**
 * The environment a file belongs to by its place in the repo: the folder after `clusters/`,
 * `environments/` or `envs/` (`clusters/staging/apps.yaml` -> `staging`); undefined elsewhere.
 */
export function environmentOfPath(root: string, file: string): string | undefined {
  const parts = path.relative(root, file).split(path.sep);
  for (let index = 0; index < parts.length - 2; index++) {
    if (ENVIRONMENT_FOLDERS.includes(parts[index])) return parts[index + 1];
  }
  return undefined;
}
