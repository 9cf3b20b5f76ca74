// The repository the git fault cases roll back in: a real clone with a bare remote (gitFixture), `.driftline.yaml`
// naming one kustomize app, podinfo in staging, and that app's history (appFixture), pushed to the remote.
import { buildAppHistory, type AppHistoryFixture } from '../git/appFixture';
import { makeGitFixture, type GitFixture } from '../git/gitFixture';

const CONFIG = [
  'environments:',
  '  - name: staging',
  'apps:',
  '  - name: podinfo',
  '    environments: [staging]',
  '    path: apps/staging/podinfo',
  '    renderer: kustomize',
  '',
].join('\n');

export function makeRollbackRepo(): { repo: GitFixture; app: AppHistoryFixture } {
  const repo = makeGitFixture();
  repo.commit('driftline config', { '.driftline.yaml': CONFIG });
  const app = buildAppHistory(repo);
  repo.git('push', '--quiet', '-u', 'origin', 'main');
  return { repo, app };
}
