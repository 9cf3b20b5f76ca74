// A real Git server on loopback for the tests: bare repositories served by `git daemon` (git's own
// git:// server, in inetd mode: this process accepts each connection on a port of its own and hands it to a
// `git daemon --inetd`, so there is no port to race for and no start-up to wait out). `stop()` refuses new
// connections, as an unreachable host does.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, promises as fs, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface GitServer {
  /** `git://127.0.0.1:<port>/<name>.git` */
  url(name: string): string;
  stop(): Promise<void>;
}

export async function serveGit(baseDir: string): Promise<GitServer> {
  const daemons = new Set<ChildProcess>();
  const server = net.createServer((socket) => {
    const daemon = spawn('git', ['daemon', '--inetd', `--base-path=${baseDir}`, '--export-all', baseDir], { stdio: ['pipe', 'pipe', 'ignore'] });
    daemons.add(daemon);
    daemon.on('exit', () => { daemons.delete(daemon); socket.destroy(); });
    daemon.on('error', () => socket.destroy());
    // A client gone (done, or killed by its timeout) ends its daemon: nothing is left to keep the server open.
    socket.on('error', () => daemon.kill());
    socket.on('close', () => daemon.kill());
    socket.pipe(daemon.stdin!);
    daemon.stdout!.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: (name) => `git://127.0.0.1:${port}/${name}.git`,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const daemon of daemons) daemon.kill();
    }),
  };
}

/** Runs git in `cwd` with a fixed identity; returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' },
  }).trim();
}

/** A working repository under `work/<name>` whose pushes go to the bare `<baseDir>/<name>.git`. */
export async function makeRemote(baseDir: string, name: string): Promise<{ work: string; commit(files: Record<string, string>, message: string): string }> {
  const bare = path.join(baseDir, `${name}.git`);
  execFileSync('git', ['init', '--bare', '--quiet', '--initial-branch=main', bare]);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), `driftline-git-${name}-`));
  git(work, 'init', '--quiet', '--initial-branch=main');
  git(work, 'remote', 'add', 'origin', bare);
  return {
    work,
    commit(files, message) {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        writeFileSync(path.join(work, file), text);
      }
      git(work, 'add', '--all');
      git(work, 'commit', '--quiet', '-m', message);
      return git(work, 'rev-parse', 'HEAD');
    },
  };
}
