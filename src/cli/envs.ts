// `driftline envs`: the repo's environments with the kube context each one uses, whether it is protected,
// and how many apps it has.
import { resolveContext } from '../core/discovery/resolveContext';
import { KubeconfigError, loadKubeConfig, type LoadedKubeConfig } from '../core/cluster/kubeconfig';
import { messageOf } from '../core/errors';
import type { EnvironmentDefinition } from '../core/model';
import type { CliIO } from './io';
import { loadModel, parseListArgs, writeListing } from './listOptions';

/** The context the engine would use; without a readable kubeconfig only a configured one is known. */
function contextFor(environment: EnvironmentDefinition, kubeconfig: LoadedKubeConfig | undefined): string | undefined {
  if (environment.context || !kubeconfig) return environment.context;
  return resolveContext(environment, kubeconfig.listContexts().map((context) => context.name), kubeconfig.currentContext);
}

/** The kubeconfig; a malformed or unreadable one is a warning naming the file and the cause (a missing one is no news). */
function readKubeconfig(io: CliIO): LoadedKubeConfig | undefined {
  try {
    return loadKubeConfig();
  } catch (error) {
    if (!(error instanceof KubeconfigError && error.kind === 'missing')) {
      io.stderr.write(`warning: ${messageOf(error)}: only contexts that .driftline.yaml names are shown\n`);
    }
    return undefined;
  }
}

export async function runEnvs(args: string[], io: CliIO): Promise<number> {
  const options = parseListArgs(args, 'envs', io, false);
  if (!options) return 2;
  const model = await loadModel(options, 'envs', io);
  if (!model) return 2;
  const kubeconfig = model.environments.some((environment) => !environment.context) ? readKubeconfig(io) : undefined;
  const environments = model.environments.map((environment) => ({
    name: environment.name,
    context: contextFor(environment, kubeconfig) ?? null,
    protected: environment.protected,
    apps: environment.apps.length,
  }));
  return writeListing(io, options, model, 'environments', environments, ['ENVIRONMENT', 'CONTEXT', 'PROTECTED', 'APPS'],
    (environment) => [environment.name, environment.context ?? '-', environment.protected ? 'yes' : 'no', String(environment.apps)]);
}
