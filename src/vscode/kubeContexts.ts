// The kube contexts the user can pick from, read from the configured kubeconfig (never from the cluster).
import { defaultKubeconfigPaths, KubeconfigError, loadKubeConfig } from '../core/cluster/kubeconfig';
import { messageOf } from '../core/errors';

export interface KubeContexts {
  names: string[];
  /** Why the kubeconfig cannot be used although it is there (a malformed or unreadable file, named). */
  problem?: string;
}

/** Context names of the kubeconfig; none when it is missing (the welcome view explains) or broken (`problem` says how). */
export function readKubeContexts(kubeconfig: string | undefined): KubeContexts {
  try {
    return { names: loadKubeConfig(kubeconfig ?? defaultKubeconfigPaths()).listContexts().map((context) => context.name) };
  } catch (error) {
    if (error instanceof KubeconfigError && error.kind === 'missing') return { names: [] };
    return { names: [], problem: messageOf(error) };
  }
}

/** Context names, for pickers. */
export function listKubeContexts(kubeconfig: string | undefined): string[] {
  return readKubeContexts(kubeconfig).names;
}
