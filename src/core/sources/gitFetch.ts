// A Git source fetched as source-controller fetches a GitRepository: only the commit the ref resolves to, shallow
// (`--depth=1`), into one bare repository per URL in the cache, then checked out once into a folder named by
// the commit, which is never written to again. The user's own git does the fetch, with their credential
// helpers, SSH agent and url.insteadOf rules; it never prompts (GIT_TERMINAL_PROMPT=0), so a missing login
// fails naming the URL. When the remote cannot be reached, the commit this same request resolved to last
// time is used and the result says so; a ref the remote does not have is an error, cached copy or not.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stoppedBy } from '../abort';
import { runTool } from '../render/runTool';
import { chooseVersion } from './chartVersion';
import { timeAgo } from './fetchChart';
import type { FetchContext } from './fetchTypes';
import { gitArtifact } from './gitArtifact';
import { enforceGitCacheLimit, markUsed } from './gitCacheLimit';
import { artifactWithIncludes, type IncludedArtifact } from './gitInclude';
import { describeRef, type FetchedGit, type GitRequest } from './gitTypes';
import { shownURL } from './httpGet';
import { SourceError } from './sourceError';
import { sha256 } from './sourceCache';

export const DEFAULT_GIT_TIMEOUT_MS = 120_000;

/** A git failure whose cause is the ref, not the connection: falling back to a cached commit would hide it. */
class MissingRefError extends SourceError {}

type GitContext = Pick<FetchContext, 'cache' | 'env' | 'signal' | 'timeoutMs'>;

export async function fetchGit(request: GitRequest, context: GitContext): Promise<FetchedGit> {
  if (request.problem) throw new Error(request.problem);
  const fetched = await fetchOne(request, context);
  if (!request.include?.length) return fetched;
  const included: IncludedArtifact[] = [];
  const notes = fetched.note ? [fetched.note] : [];
  let fromCache = fetched.fromCache === true;
  for (const include of request.include) {
    const artifact = await fetchGit(include.request, context).catch((error: unknown) => {
      if (!(error instanceof SourceError)) throw error;
      throw new SourceError(`include of GitRepository ${include.name}: ${error.message}`, error.url, error.status);
    });
    if (artifact.note) notes.push(artifact.note);
    fromCache ||= artifact.fromCache === true;
    included.push({ folder: artifact.folder, fromPath: include.fromPath, toPath: include.toPath });
  }
  const folder = await artifactWithIncludes(fetched.folder, included, context.cache.root);
  return { ...fetched, folder, ...(notes.length ? { note: notes.join('; ') } : {}), ...(fromCache ? { fromCache } : {}) };
}

async function fetchOne(request: GitRequest, context: GitContext): Promise<FetchedGit> {
  const ref = describeRef(request.ref);
  const url = shownURL(request.url);
  const key = sha256(`${url}\n${JSON.stringify(request.ref)}`);
  const resolvedFile = path.join(context.cache.root, 'git', 'resolved', `${key}.json`);
  let commit: string;
  try {
    commit = await fetchCommit(request, context);
    await writeAtomically(resolvedFile, JSON.stringify({ url, ref, commit, fetchedAt: Date.now() }));
  } catch (error) {
    if (!(error instanceof SourceError) || error instanceof MissingRefError) throw error;
    const previous = await readJson<{ commit: string; fetchedAt: number }>(resolvedFile);
    if (!previous || !await exists(checkoutFolder(context, previous.commit))) throw error;
    const folder = await gitArtifact(checkoutFolder(context, previous.commit), context.cache.root, previous.commit, request.ignore);
    const note = `Git ${url} ${ref} at ${previous.commit.slice(0, 7)} from cache, fetched ${timeAgo(previous.fetchedAt)} (${error.message})`;
    return { folder, commit: previous.commit, ref, note, fromCache: true };
  }
  const madeBefore = await exists(checkoutFolder(context, commit));
  const checkedOut = await checkout(request.url, commit, context);
  const folder = await gitArtifact(checkedOut, context.cache.root, commit, request.ignore);
  await Promise.all([checkedOut, folder].map(markUsed));
  // Only a new checkout makes the cache grow enough to matter; measuring it on every use would cost more.
  if (!madeBefore) await enforceGitCacheLimit(path.join(context.cache.root, 'git'), context.cache.gitMaxBytes, [checkedOut, folder, bareRepository(context, request.url)]);
  return { folder, commit, ref };
}

function bareRepository(context: GitContext, url: string): string {
  return path.join(context.cache.root, 'git', 'repositories', `${sha256(shownURL(url))}.git`);
}

/**
 * The commit the remote says the ref points at now (one `git ls-remote`), or undefined when it cannot tell: a
 * ref by commit, a remote that cannot be reached, a ref it does not list.
 */
export async function remoteCommit(request: GitRequest, context: GitContext): Promise<string | undefined> {
  if (request.ref.commit) return undefined;
  try {
    return (await advertisedRef(request, context))?.commit;
  } catch (error) {
    if (stoppedBy(error, context.signal)) throw error;
    return undefined;
  }
}

/** Work on each bare repository, one at a time: concurrent shallow fetches into one repository fail on its shallow.lock. */
const repositoryQueues = new Map<string, Promise<unknown>>();

function oneAtATime<T>(bare: string, work: () => Promise<T>): Promise<T> {
  const result = (repositoryQueues.get(bare) ?? Promise.resolve()).catch(() => undefined).then(work);
  const settled = result.catch(() => undefined);
  repositoryQueues.set(bare, settled);
  void settled.then(() => { if (repositoryQueues.get(bare) === settled) repositoryQueues.delete(bare); });
  return result;
}

/**
 * The ref's commit, in the URL's bare repository. The remote is asked first what the ref points at (`git
 * ls-remote`, one small request): a branch that has not moved since, or a tag already fetched, needs no fetch;
 * a branch that moved is fetched afresh. A commit already checked out needs no network at all.
 */
async function fetchCommit(request: GitRequest, context: GitContext): Promise<string> {
  const { ref } = request;
  if (ref.commit && /^[0-9a-f]{40}$/i.test(ref.commit) && await exists(checkoutFolder(context, ref.commit))) return ref.commit.toLowerCase();
  const advertised = ref.commit ? undefined : await advertisedRef(request, context);
  if (advertised && await exists(checkoutFolder(context, advertised.commit))) return advertised.commit;
  const bare = bareRepository(context, request.url);
  return oneAtATime(bare, () => fetchInto(bare, request, advertised?.name, context));
}

async function fetchInto(bare: string, request: GitRequest, advertisedName: string | undefined, context: GitContext): Promise<string> {
  const { ref } = request;
  if (!await exists(path.join(bare, 'HEAD'))) await git(['init', '--bare', '--quiet', bare], request, context);
  const remoteRef = ref.commit ?? advertisedName ?? ref.name ?? (ref.tag ? `refs/tags/${ref.tag}` : ref.branch ? `refs/heads/${ref.branch}` : ref.revision ?? 'HEAD');
  // A ref of our own per request: concurrent fetches of other refs into the same repository do not race on FETCH_HEAD.
  const local = `refs/driftline/${sha256(remoteRef)}`;
  await git(['-C', bare, 'fetch', '--quiet', '--depth=1', '--no-tags', '--', request.url, `+${remoteRef}:${local}`], request, context);
  await markUsed(bare);
  return (await git(['-C', bare, 'rev-parse', '--verify', `${local}^{commit}`], request, context)).trim();
}

/**
 * What the remote says the ref points at: its full name and commit (an annotated tag's peeled commit). A short
 * revision is looked up in the order git itself resolves one (as written, refs/, refs/tags/, refs/heads/).
 * Undefined when the remote does not list it (an abbreviated commit, say): the fetch then decides.
 */
async function advertisedRef(request: GitRequest, context: GitContext): Promise<{ name: string; commit: string } | undefined> {
  const { ref } = request;
  if (ref.semver) return highestTag(request, ref.semver, context);
  const revision = ref.revision ?? 'HEAD';
  const candidates = ref.name ? [ref.name] : ref.tag ? [`refs/tags/${ref.tag}`] : ref.branch ? [`refs/heads/${ref.branch}`]
    : [revision, `refs/${revision}`, `refs/tags/${revision}`, `refs/heads/${revision}`];
  const listed = await listRemote(request, context, candidates);
  const name = candidates.find((candidate) => listed.has(candidate));
  return name ? { name, commit: listed.get(name)! } : undefined;
}

/** `git ls-remote`: ref name -> commit, annotated tags peeled. */
async function listRemote(request: GitRequest, context: GitContext, patterns: string[]): Promise<Map<string, string>> {
  const listing = await git(patterns[0] === '--tags' ? ['ls-remote', '--tags', '--', request.url] : ['ls-remote', '--', request.url, ...patterns], request, context);
  const refs = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const match = /^([0-9a-f]{40,64})\t(.+?)(\^\{\})?$/.exec(line);
    if (match && (match[3] || !refs.has(match[2]))) refs.set(match[2], match[1]);
  }
  return refs;
}

/** The tag the semver range picks among the remote's tags, as source-controller picks it, and its commit. */
async function highestTag(request: GitRequest, range: string, context: GitContext): Promise<{ name: string; commit: string }> {
  const listed = await listRemote(request, context, ['--tags']);
  const tags = [...listed.keys()].flatMap((name) => (name.startsWith('refs/tags/') ? [name.slice('refs/tags/'.length)] : []));
  const choice = chooseVersion(range, tags, `Git repository ${shownURL(request.url)}`);
  if ('problem' in choice) throw new MissingRefError(`${choice.problem.replace('no versions', 'no tags').replace(/version(s?) /g, 'tag$1 ')}`, request.url);
  const name = `refs/tags/${choice.version}`;
  return { name, commit: listed.get(name)! };
}

/** The folder holding `commit`'s files, made once (in a temporary folder renamed into place). */
async function checkout(url: string, commit: string, context: GitContext): Promise<string> {
  const folder = checkoutFolder(context, commit);
  if (await exists(folder)) return folder;
  const bare = bareRepository(context, url);
  const temporary = `${folder}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.mkdir(temporary, { recursive: true });
  const index = { GIT_INDEX_FILE: `${temporary}.index` };
  try {
    await git(['--git-dir', bare, '--work-tree', temporary, 'read-tree', commit], { url }, context, index);
    await git(['--git-dir', bare, '--work-tree', temporary, 'checkout-index', '--all', '--force'], { url }, context, index);
    await fs.rename(temporary, folder).catch(async (error: NodeJS.ErrnoException) => {
      if (!await exists(folder)) throw error; // another process made it first: theirs is the same commit
    });
  } finally {
    await fs.rm(temporary, { recursive: true, force: true });
    await fs.rm(index.GIT_INDEX_FILE, { force: true });
  }
  return folder;
}

function checkoutFolder(context: GitContext, commit: string): string {
  return path.join(context.cache.root, 'git', 'checkouts', commit.toLowerCase());
}

/** Runs the user's git; a failure is a SourceError naming the URL and git's own message. */
async function git(args: string[], request: Pick<GitRequest, 'url'>, context: GitContext, env: Record<string, string> = {}): Promise<string> {
  const timeoutMs = context.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  let run;
  try {
    run = await runTool('git', args, {
      signal: context.signal, timeoutMs, label: 'git', env: { GIT_TERMINAL_PROMPT: '0', ...env },
    });
  } catch (error) {
    if (stoppedBy(error, context.signal)) throw error;
    // A timeout (ToolTimeoutError names git and the limit) or git missing: the source failed, not the refresh.
    throw new SourceError(`Git ${shownURL(request.url)}: ${error instanceof Error ? error.message : String(error)}`, request.url);
  }
  if (run.code === 0) return run.stdout;
  const message = run.stderr.trim().split('\n').filter(Boolean).join('; ') || `git exited with ${run.code}`;
  const missing = /couldn't find remote ref|not our ref|no such remote ref|unadvertised object|invalid refspec/i.test(message);
  throw new (missing ? MissingRefError : SourceError)(`Git ${shownURL(request.url)}: ${message}`, request.url);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}

async function readJson<T>(file: string): Promise<T | undefined> {
  return fs.readFile(file, 'utf8').then((text) => JSON.parse(text) as T, () => undefined);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temporary, text);
  await fs.rename(temporary, file);
}
