// An Argo Rollouts canary paused at its second step (setWeight 25, then an indefinite pause), for the suites that
// show it in a real VS Code (test/vscode/rollouts.test.ts) and in the browser (test/e2e/pausedCanary.test.mjs).
// No rollouts controller runs on the test API server: its status is written the way the controller writes it
// at that step (currentStepIndex 1, the CanaryPauseStep pause condition, controllerPause).
import path from 'node:path';
import { sharedPath } from './shared';

export const PAUSED_ROLLOUT = 'shop-canary';

/** kubectl as the test cluster's admin (no namespace of its own): the caller's. */
export type Kubectl = (...args: string[]) => string;

const ROLLOUT_CRDS = { 'argo-rollouts-rollout-crd.yaml': 'rollouts.argoproj.io', 'argo-rollouts-analysis-run-crd.yaml': 'analysisruns.argoproj.io' };

/** The Rollout and AnalysisRun CRDs of shared/crds, created once per cluster (a 1.20 server: no client validation), once Established. */
export async function installRolloutCrds(kubectl: Kubectl): Promise<void> {
  for (const file of Object.keys(ROLLOUT_CRDS)) {
    try {
      kubectl('create', '--validate=false', '-f', path.join(sharedPath('crds'), file));
    } catch (error) {
      if (!/AlreadyExists/.test(String((error as { stderr?: Buffer }).stderr ?? error))) throw error;
    }
  }
  // `kubectl wait` fails at once while a just-created CRD has no conditions yet: poll them.
  for (const name of Object.values(ROLLOUT_CRDS)) {
    const established = () => ((JSON.parse(kubectl('get', 'crd', name, '-o', 'json')) as { status?: { conditions?: { type: string; status: string }[] } })
      .status?.conditions ?? []).some((condition) => condition.type === 'Established' && condition.status === 'True');
    const deadline = Date.now() + 60_000;
    while (!established()) {
      if (Date.now() > deadline) throw new Error(`the CRD ${name} was not Established within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The Rollout as Git has it: an app's object in `namespace` (Driftline's app label and environment annotation). */
export function pausedRollout(namespace: string, app: string, environment: string): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
    metadata: { name: PAUSED_ROLLOUT, namespace, labels: { 'driftline.dev/app': app }, annotations: { 'driftline.dev/environment': environment } },
    spec: {
      replicas: 2, selector: { matchLabels: { app: PAUSED_ROLLOUT } },
      template: { metadata: { labels: { app: PAUSED_ROLLOUT } }, spec: { containers: [{ name: 'shop', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } },
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: { duration: '5m' } }] } },
    },
  };
}

/** Applies the Rollout from `file` (as a controller would: server-side) and writes its status, paused at step 2 of 4. */
export function applyPausedRollout(kubectl: Kubectl, namespace: string, file: string): void {
  kubectl('apply', '--server-side', '--field-manager=test-setup', '-f', file);
  const generation = kubectl('-n', namespace, 'get', 'rollouts.argoproj.io', PAUSED_ROLLOUT, '-o', 'jsonpath={.metadata.generation}');
  kubectl('-n', namespace, 'patch', 'rollouts.argoproj.io', PAUSED_ROLLOUT, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: {
    observedGeneration: generation, currentPodHash: '6f8d7c9b5', stableRS: '5c4b7d8f9', currentStepIndex: 1,
    replicas: 3, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-02T01:10:00Z' }], controllerPause: true,
  } }));
}
