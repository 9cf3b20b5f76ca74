// `driftline envs`: the repo's environments with the kube context each one uses, whether it is protected,
// and how many apps it has.
import { resolveContext } from '../core/discovery/resolveContext';
import { loadKubeConfig } from '../core/cluster/kubeconfig';
import type { EnvironmentDefinition } from '../core/model';
import type { CliIO } from './io';
import { loadModel, parseListArgs, writeListing } from './listOptions';

/** The context the engine would use; without a readable kubeconfig only a configured one is known. */
function contextFor(environment: EnvironmentDefinition): string | undefined {
  if (environment.context) return environment.context;
  try {
    const kubeconfig = loadKubeConfig();
    return resolveContext(environment, kubeconfig.listContexts().map((context) => context.name), kubeconfig.currentContext);
  } catch {
    return undefined;
  }
}

export async function runEnvs(args: string[], io: CliIO): Promise<number> {
  const options = parseListArgs(args, 'envs', io, false);
  if (!options) return 2;
  const model = await loadModel(options, 'envs', io);
  if (!model) return 2;
  const environments = model.environments.map((environment) => ({
    name: environment.name,
    context: contextFor(environment) ?? null,
    protected: environment.protected,
    apps: environment.apps.length,
  }));
  return writeListing(io, options, model, 'environments', environments, ['ENVIRONMENT', 'CONTEXT', 'PROTECTED', 'APPS'],
    (environment) => [environment.name, environment.context ?? '-', environment.protected ? 'yes' : 'no', String(environment.apps)]);
}
