// A repo whose app `web` (environment dev: the test cluster) is a folder with an Argo Rollouts canary Rollout,
// and the writes the rollouts controller would make (no controller runs on the test server: tests play it,
// with the field names of the real CRDs, through the status subresource as the controller does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ClusterClient } from '../../../src/core/cluster/client';
import { refOf, type KubeObject } from '../../../src/core/model';
import { testCluster } from '../../support/cluster';

export interface RolloutRepo {
  root: string;
  args: string[];
  cleanup(): void;
}

export const STEPS = [{ setWeight: 20 }, { pause: {} }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 60 }, { pause: { duration: '10m' } }];

export function rolloutOf(namespace: string, image = 'registry.local/web:2.0'): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace },
    spec: {
      replicas: 5, revisionHistoryLimit: 2, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } },
      strategy: { canary: { steps: STEPS } },
    },
  };
}

export function makeRolloutRepo(objects: KubeObject[], options: { protected?: boolean } = {}): RolloutRepo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-rollout-repo-'));
  const config = {
    environments: [{ name: 'dev', context: testCluster().adminContext, protected: options.protected ?? false }],
    apps: [{ name: 'web', environment: 'dev', path: 'apps/web', renderer: 'yaml' }],
  };
  fs.mkdirSync(path.join(root, 'apps/web'), { recursive: true });
  fs.writeFileSync(path.join(root, '.driftline.yaml'), stringify(config));
  fs.writeFileSync(path.join(root, 'apps/web/rollout.yaml'), objects.map((object) => stringify(object)).join('---\n'));
  return {
    root, args: ['--repo', root, '--kubeconfig', testCluster().kubeconfig, '--env', 'dev', '--app', 'web'],
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** What the controller writes at the indefinite pause of step 2: status, and its revision annotation. */
export const PAUSED_AT_STEP_2 = {
  currentPodHash: '7c9d5f8b6', stableRS: '5f4b8c7d9', currentStepIndex: 1, currentStepHash: '6b9f7c5d4',
  replicas: 6, updatedReplicas: 1, readyReplicas: 6, availableReplicas: 6, HPAReplicas: 6,
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-02T01:10:00Z' }], controllerPause: true,
  phase: 'Paused', message: 'CanaryPauseStep', selector: 'app=web',
  conditions: [{ type: 'Paused', status: 'True', reason: 'RolloutPaused', message: 'Rollout is paused', lastTransitionTime: '2026-12-02T01:10:00Z', lastUpdateTime: '2026-12-02T01:10:00Z' }],
};

/** Applies the Rollout as Git has it, then writes status and annotations as the rollouts controller does. */
export async function applyAsController(admin: ClusterClient, rollout: KubeObject, status: Record<string, unknown>): Promise<KubeObject> {
  const applied = await admin.serverSideApply(rollout, { dryRun: false, fieldManager: 'test-setup', force: true });
  await admin.mergePatch(refOf(rollout), { metadata: { annotations: { 'rollout.argoproj.io/revision': '2' } } }, { fieldManager: 'rollouts-controller' });
  return admin.mergePatch(refOf(rollout), { status: { observedGeneration: String(applied.metadata.generation), ...status } }, { subresource: 'status', fieldManager: 'rollouts-controller' });
}

export async function liveStatus(admin: ClusterClient, rollout: KubeObject): Promise<Record<string, unknown>> {
  return ((await admin.get(refOf(rollout)))?.status ?? {}) as Record<string, unknown>;
}
