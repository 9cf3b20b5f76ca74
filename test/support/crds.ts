// Installs the real Flux and Argo CD CRDs (unmodified upstream copies) into the test cluster. A 1.20 server
// does not know `x-kubernetes-validations` (CEL) in current Flux CRDs, so they go in with a plain create and
// no client validation, as /work/shared/crds/README.md explains; the server drops the unknown field.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestClusterInfo } from './cluster';

const run = promisify(execFile);

/** Where the CRD files are: $DRIFTLINE_CRDS_DIR, else the team's shared copy. */
export const crdsDir = process.env.DRIFTLINE_CRDS_DIR ?? '/work/shared/crds';

export const FLUX_CRD_FILES = ['flux-kustomizations.yaml', 'flux-helmreleases.yaml', 'flux-gitrepositories.yaml',
  'flux-helmrepositories.yaml', 'flux-ocirepositories.yaml', 'flux-buckets.yaml', 'flux-helmcharts.yaml'];
export const ARGO_CRD_FILES = ['argocd-application.yaml', 'argocd-appproject.yaml', 'argocd-applicationset.yaml'];

const installed = new Set<string>();

/** Installs every Flux and Argo CD CRD (idempotent; concurrent test files may call it) and waits until Established. */
export async function installGitOpsCrds(info: TestClusterInfo, files: string[] = [...FLUX_CRD_FILES, ...ARGO_CRD_FILES]): Promise<void> {
  const kubectl = (...args: string[]) =>
    run('kubectl', ['--kubeconfig', info.kubeconfig, '--context', info.adminContext, ...args], { maxBuffer: 16 * 1024 * 1024 });
  const pending = files.filter((file) => !installed.has(`${info.server} ${file}`));
  if (pending.length === 0) return;
  const paths = pending.map((file) => path.join(crdsDir, file));
  for (const file of paths) if (!fs.existsSync(file)) throw new Error(`CRD file ${file} is missing (set DRIFTLINE_CRDS_DIR)`);
  const names: string[] = [];
  for (const file of paths) {
    try {
      const { stdout } = await kubectl('create', '--validate=false', '-o', 'name', '-f', file);
      names.push(...stdout.split('\n').filter(Boolean));
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? error);
      if (!/AlreadyExists|already exists/.test(stderr)) throw new Error(`installing CRDs from ${file} failed: ${stderr}`);
      const { stdout } = await kubectl('get', '-o', 'name', '-f', file);
      names.push(...stdout.split('\n').filter(Boolean));
    }
  }
  await kubectl('wait', '--for', 'condition=Established', '--timeout', '60s', ...names);
  for (const file of pending) installed.add(`${info.server} ${file}`);
}
