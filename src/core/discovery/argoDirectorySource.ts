// `spec.source.directory` of an Argo CD Application as a DirectorySource: include/exclude globs and the jsonnet
// settings, with tla and extVar values substituted as the repo-server does and `libs` resolved from the
// repository root (where Argo CD resolves them, not from the app folder).
import path from 'node:path';
import type { DirectorySource, JsonnetVariable } from '../model';
import { isWithin } from '../render/listFiles';
import { argoEnvsubst, type ArgoEnv } from './argoEnv';

export interface ArgoDirectory {
  recurse?: boolean;
  include?: string;
  exclude?: string;
  jsonnet?: { tlas?: unknown[]; extVars?: unknown[]; libs?: unknown[] };
}

export type DirectoryOutcome = { directory: DirectorySource } | { unknownReason: string };

function variables(entries: unknown[] | undefined, env: ArgoEnv): JsonnetVariable[] {
  return (entries ?? []).filter((entry): entry is Record<string, unknown> => !!entry && typeof entry === 'object').map((entry) => ({
    name: String(entry.name ?? ''), value: argoEnvsubst(String(entry.value ?? ''), env), code: entry.code === true,
  }));
}

/** The directory source; `env` is Argo CD's build environment of the app (argoEnv). */
export function directorySource(directory: ArgoDirectory | undefined, root: string, env: ArgoEnv): DirectoryOutcome {
  const source: DirectorySource = {};
  if (typeof directory?.include === 'string' && directory.include) source.include = directory.include;
  if (typeof directory?.exclude === 'string' && directory.exclude) source.exclude = directory.exclude;
  const jsonnet = directory?.jsonnet;
  if (!jsonnet) return { directory: source };
  const libs: string[] = [];
  for (const lib of (jsonnet.libs ?? []).map(String)) {
    // An absolute lib is from the repository root too; none may leave it.
    const resolved = path.join(root, lib);
    if (!isWithin(resolved, root)) return { unknownReason: `directory.jsonnet.libs ${lib} resolves outside the repository, which Argo CD refuses` };
    libs.push(resolved);
  }
  source.jsonnet = { tlas: variables(jsonnet.tlas, env), extVars: variables(jsonnet.extVars, env), libs };
  return { directory: source };
}
