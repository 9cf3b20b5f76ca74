// `driftline apps`: every app of the repo (or of one environment): how it renders, from where, and what
// declared it (.driftline.yaml, a Flux or Argo CD object, or a folder convention).
import path from 'node:path';
import type { CliIO } from './io';
import { loadModel, noSuchEnvironment, parseListArgs, writeListing } from './listOptions';

export async function runApps(args: string[], io: CliIO): Promise<number> {
  const options = parseListArgs(args, 'apps', io, true);
  if (!options) return 2;
  const model = await loadModel(options, 'apps', io);
  if (!model) return 2;
  const environments = model.environments.filter((environment) => !options.env || environment.name === options.env);
  if (options.env && environments.length === 0) {
    io.stderr.write(`driftline apps: ${noSuchEnvironment(model, options.env)}\n`);
    return 2;
  }
  const apps = environments.flatMap((environment) => environment.apps).map((app) => ({
    environment: app.environment,
    name: app.name,
    renderer: app.renderer,
    path: path.relative(model.root, app.path) || '.',
    origin: app.origin,
    ...(app.namespace ? { namespace: app.namespace } : {}),
    declaredAt: app.declaredAt,
    ...(app.controller ? { controller: app.controller } : {}),
    ...(app.unknownReason ? { unknownReason: app.unknownReason } : {}),
    ...(app.revisionNote ? { revisionNote: app.revisionNote } : {}),
    ...(app.flux ? { flux: app.flux } : {}),
    // A multi-source Argo CD app: every source it renders (renderer and path above are the first's).
    ...(app.sources ? { sources: app.sources.map((source) => ({ renderer: source.renderer, path: path.relative(model.root, source.path) || '.' })) } : {}),
  }));
  return writeListing(io, options, model, 'apps', apps, ['ENVIRONMENT', 'APP', 'RENDERER', 'PATH', 'ORIGIN', 'NOTE'],
    (app) => [app.environment, app.name, app.renderer, app.path, app.origin, app.unknownReason ?? app.revisionNote ?? '']);
}
