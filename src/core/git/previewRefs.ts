// What a branch preview can compare: the repository's local branches, remote-tracking branches and the pull
// (GitHub) and merge (GitLab) request heads fetched locally, and the base a change is usually compared with:
// the branch origin/HEAD points at, else main or master. Read with git for-each-ref; nothing is fetched.
import { runTool } from '../render/runTool';

export type PreviewRefKind = 'local' | 'remote' | 'pull-request';

export interface PreviewRef {
  /** What git and `driftline preview` accept: `feature/x`, `origin/feature/x`, `refs/pull/12/head`. */
  name: string;
  kind: PreviewRefKind;
  /** The commit's short sha and subject. */
  commit: string;
  subject: string;
}

export interface PreviewRefs {
  refs: PreviewRef[];
  /** The base to compare with by default, undefined when the repository has neither origin/HEAD nor main/master. */
  defaultBase?: string;
  /** The branch checked out (undefined when HEAD is detached). */
  current?: string;
}

const PATTERNS = ['refs/heads', 'refs/remotes', 'refs/pull/*/head', 'refs/merge-requests/*/head'];

export async function listPreviewRefs(repoRoot: string, signal?: AbortSignal): Promise<PreviewRefs> {
  const run = await git(repoRoot, ['for-each-ref', '--format=%(refname)%00%(objectname:short)%00%(subject)%00%(symref)', ...PATTERNS], signal);
  const refs = run.split('\n').filter(Boolean).flatMap((line): PreviewRef[] => {
    const [full = '', commit = '', subject = '', symref = ''] = line.split('\0');
    // origin/HEAD is a pointer to a branch listed anyway.
    if (symref) return [];
    if (full.startsWith('refs/heads/')) return [{ name: full.slice('refs/heads/'.length), kind: 'local', commit, subject }];
    if (full.startsWith('refs/remotes/')) return [{ name: full.slice('refs/remotes/'.length), kind: 'remote', commit, subject }];
    return [{ name: full, kind: 'pull-request', commit, subject }];
  });
  const current = (await git(repoRoot, ['symbolic-ref', '--quiet', '--short', 'HEAD'], signal).catch(() => '')).trim() || undefined;
  return { refs, defaultBase: await defaultBaseOf(repoRoot, refs, signal), current };
}

/** origin/HEAD's branch (`origin/main`), else a local or remote main or master. */
async function defaultBaseOf(repoRoot: string, refs: PreviewRef[], signal?: AbortSignal): Promise<string | undefined> {
  const tracked = (await git(repoRoot, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], signal).catch(() => '')).trim();
  if (tracked) return tracked;
  const names = new Set(refs.map((ref) => ref.name));
  return ['main', 'master', 'origin/main', 'origin/master'].find((name) => names.has(name));
}

async function git(cwd: string, args: string[], signal?: AbortSignal): Promise<string> {
  const run = await runTool('git', ['--no-optional-locks', ...args], { cwd, signal, label: 'git', env: { GIT_TERMINAL_PROMPT: '0' } });
  if (run.code !== 0) throw new Error(`git ${args[0]} failed in ${cwd}: ${run.stderr.trim() || `exit ${run.code}`}`);
  return run.stdout;
}
