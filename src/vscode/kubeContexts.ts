// The kube contexts the user can pick from, read from the configured kubeconfig (never from the cluster).
import { defaultKubeconfigPaths, loadKubeConfig } from '../core/cluster/kubeconfig';

/** Context names; none when the kubeconfig is missing or unreadable (the welcome view then explains). */
export function listKubeContexts(kubeconfig: string | undefined): string[] {
  try {
    return loadKubeConfig(kubeconfig ?? defaultKubeconfigPaths()).listContexts().map((context) => context.name);
  } catch {
    return [];
  }
}
