// Which Git URLs name the repository being scanned: its remotes (from .git/config), plus `repoURLs` from
// `.driftline.yaml`. A Flux source or Argo CD Application pointing at any other URL is remote: Unknown.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `git@github.com:org/repo.git`, `https://user@github.com/org/repo` -> `github.com/org/repo`. */
export function normalizeGitURL(url: string): string {
  let normalized = url.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(normalized);
  if (scp) normalized = `${scp[1]}/${scp[2]}`;
  normalized = normalized.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]+@/, '');
  const slash = normalized.indexOf('/');
  const host = (slash < 0 ? normalized : normalized.slice(0, slash)).replace(/:\d+$/, '').toLowerCase();
  return slash < 0 ? host : `${host}${normalized.slice(slash)}`;
}

async function gitRemoteURLs(root: string): Promise<string[]> {
  let config: string;
  try {
    config = await fs.readFile(path.join(root, '.git', 'config'), 'utf8');
  } catch {
    return [];
  }
  return [...config.matchAll(/^\s*url\s*=\s*(.+)$/gm)].map((match) => match[1].trim());
}

export class RepoIdentity {
  private readonly urls: Set<string>;

  constructor(urls: string[]) {
    this.urls = new Set(urls.map(normalizeGitURL));
  }

  static async of(root: string, configured: string[]): Promise<RepoIdentity> {
    return new RepoIdentity([...await gitRemoteURLs(root), ...configured]);
  }

  isThisRepo(url: string | undefined): boolean {
    return !!url && this.urls.has(normalizeGitURL(url));
  }
}
