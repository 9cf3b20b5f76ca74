// Installs the real Flux and Argo CD CRDs (unmodified upstream copies) into the test cluster. A 1.20 server
// does not know `x-kubernetes-validations` (CEL) in current Flux CRDs, and server-side apply and kubectl's
// client validation refuse them; a plain create through the API installs them (the server drops the unknown
// field), as scripts/cluster/crds/README.md explains. That is what this does, then waits until each is Established.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { ClusterClient } from '../../src/core/cluster/client';
import { isConflict } from '../../src/core/cluster/errors';
import type { KubeObject } from '../../src/core/model';
import { testClient, type TestClusterInfo } from './cluster';

/** Where the CRD files are: $DRIFTLINE_CRDS_DIR, else the project's own copies (scripts/cluster/crds). */
export const crdsDir = process.env.DRIFTLINE_CRDS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'scripts', 'cluster', 'crds');

export const FLUX_CRD_FILES = ['flux-kustomizations.yaml', 'flux-helmreleases.yaml', 'flux-gitrepositories.yaml',
  'flux-helmrepositories.yaml', 'flux-ocirepositories.yaml', 'flux-buckets.yaml', 'flux-helmcharts.yaml'];
export const ARGO_CRD_FILES = ['argocd-application.yaml', 'argocd-appproject.yaml', 'argocd-applicationset.yaml'];
/** In shared/crds (sharedPath('crds')): Argo Rollouts v1.8.3 and Flagger v1.33.0, as their projects ship them. */
export const ROLLOUTS_CRD_FILES = ['argo-rollouts-rollout-crd.yaml', 'argo-rollouts-analysis-run-crd.yaml', 'argo-rollouts-analysis-template-crd.yaml'];
export const FLAGGER_CRD_FILES = ['flagger-crds.yaml'];

const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
const installed = new Set<string>();

/**
 * Installs the Flux and Argo CD CRDs (all of them unless `files` names some; `dir`: another folder of CRD files,
 * such as shared/crds) and waits until the server serves them. Idempotent, also across processes sharing the cluster.
 */
export async function installGitOpsCrds(info: TestClusterInfo, files: string[] = [...FLUX_CRD_FILES, ...ARGO_CRD_FILES], dir = crdsDir): Promise<void> {
  const pending = files.filter((file) => !installed.has(`${info.server} ${file}`));
  if (pending.length === 0) return;
  const client = testClient();
  try {
    const names: string[] = [];
    for (const file of pending) {
      for (const crd of readCrds(path.join(dir, file))) {
        await createUnlessExists(client, crd);
        names.push(crd.metadata.name);
      }
    }
    for (const name of names) await waitUntilEstablished(client, name);
    for (const file of pending) installed.add(`${info.server} ${file}`);
  } finally {
    client.close();
  }
}

/** Creates `object`; one that already exists (Conflict: another test or process made it) is left as it is. */
export async function createUnlessExists(client: ClusterClient, object: KubeObject): Promise<void> {
  await client.create(object).catch((error: unknown) => {
    if (!isConflict(error)) throw error;
  });
}

function readCrds(file: string): KubeObject[] {
  if (!fs.existsSync(file)) throw new Error(`CRD file ${file} is missing (set DRIFTLINE_CRDS_DIR)`);
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((document) => document.toJSON() as KubeObject | null)
    .filter((object): object is KubeObject => object?.kind === 'CustomResourceDefinition');
}

export async function waitUntilEstablished(client: ClusterClient, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const crd = await client.get({ apiVersion: CRD_API_VERSION, kind: 'CustomResourceDefinition', name });
    const conditions = (crd?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
    if (conditions.some((condition) => condition.type === 'Established' && condition.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after 60 s: ${JSON.stringify(conditions)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The Flux Operator's ResourceSet kind, with a CRD written for these tests (the operator's own is not vendored):
 * served as the API server serves it, namespaced, with a status subresource for its inventory; its spec is not validated.
 */
export async function installResourceSetCrd(client: ClusterClient): Promise<void> {
  const crd: KubeObject = {
    apiVersion: CRD_API_VERSION, kind: 'CustomResourceDefinition', metadata: { name: 'resourcesets.fluxcd.controlplane.io' },
    spec: {
      group: 'fluxcd.controlplane.io', scope: 'Namespaced',
      names: { kind: 'ResourceSet', listKind: 'ResourceSetList', plural: 'resourcesets', singular: 'resourceset' },
      versions: [{
        name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      }],
    },
  };
  await createUnlessExists(client, crd);
  await waitUntilEstablished(client, crd.metadata.name);
}
