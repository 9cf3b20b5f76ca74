// Real git repositories in temp dirs for the git tests: a working clone, its bare remote, and a byte-level
// snapshot of everything a user could notice changing (HEAD, index, every file in the working tree).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Ada Author',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Author',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

export interface GitFixture {
  root: string;
  remote: string;
  git(...args: string[]): string;
  write(file: string, content: string): void;
  read(file: string): string;
  /** Writes the files and commits them; returns the new commit's sha. */
  commit(message: string, files: Record<string, string | null>): string;
  cleanup(): void;
}

export function makeGitFixture(): GitFixture {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-git-test-'));
  const root = path.join(base, 'work');
  const remote = path.join(base, 'remote.git');
  const run = (cwd: string, args: string[]): string =>
    execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY }, encoding: 'utf8' });
  fs.mkdirSync(root);
  run(base, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  run(root, ['init', '--quiet', '--initial-branch=main']);
  run(root, ['config', 'user.name', IDENTITY.GIT_AUTHOR_NAME]);
  run(root, ['config', 'user.email', IDENTITY.GIT_AUTHOR_EMAIL]);
  run(root, ['remote', 'add', 'origin', remote]);
  const fixture: GitFixture = {
    root,
    remote,
    git: (...args) => run(root, args),
    write(file, content) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    },
    read: (file) => fs.readFileSync(path.join(root, file), 'utf8'),
    commit(message, files) {
      for (const [file, content] of Object.entries(files)) {
        if (content === null) run(root, ['rm', '--quiet', file]);
        else {
          fixture.write(file, content);
          run(root, ['add', file]);
        }
      }
      run(root, ['commit', '--quiet', '-m', message]);
      return run(root, ['rev-parse', 'HEAD']).trim();
    },
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
  return fixture;
}

/**
 * Moves file times into the past and refreshes the index, so that git has no "racily clean" entry it would
 * rewrite the index for later: any change of the index file afterwards is then a real one.
 */
export function settleIndex(fixture: GitFixture): void {
  const past = new Date(Date.now() - 60_000);
  for (const file of listFiles(fixture.root)) fs.utimesSync(path.join(fixture.root, file), past, past);
  // Exits 1 when tracked files are modified, which is what a dirty-tree test wants: the refresh still happened.
  try {
    fixture.git('update-index', '-q', '--really-refresh');
  } catch {
    /* modified files */
  }
}

/**
 * HEAD (symbolic and resolved), the index file's bytes, the branches, and every working-tree file's bytes
 * and mode, untracked and ignored files included. Reads only.
 */
export function snapshotRepo(fixture: GitFixture): Record<string, string> {
  const snapshot: Record<string, string> = {
    HEAD: fs.readFileSync(path.join(fixture.root, '.git/HEAD'), 'utf8'),
    'HEAD commit': fixture.git('rev-parse', 'HEAD').trim(),
    index: hash(fs.readFileSync(path.join(fixture.root, '.git/index'))),
    branches: fixture.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
  };
  for (const file of listFiles(fixture.root)) {
    const full = path.join(fixture.root, file);
    snapshot[file] = `${(fs.statSync(full).mode & 0o777).toString(8)} ${hash(fs.readFileSync(full))}`;
  }
  return snapshot;
}

function listFiles(root: string, dir = ''): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (relative === '.git') return [];
    return entry.isDirectory() ? listFiles(root, relative) : [relative];
  });
}

function hash(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
