// Credentials for remote sources, from the user's own tool files only (never from the cluster): helm's
// repositories.yaml (username/password per repository URL) for HTTP chart repositories, and the registry
// configs helm and docker write on `helm registry login` / `docker login` (`auths.<host>.auth`, base64
// `user:password`, an `identitytoken`, or a docker credential helper: credentialHelper.ts) for OCI registries. Each credential is
// bound to the host it was configured for; the fetchers send it nowhere else. helm's entry may also hold the repository's TLS settings (helmRepositoryTls).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { helperLogin } from './credentialHelper';
import type { TlsSettings } from './tlsGet';

export interface Credential {
  /** `Basic <base64>`: what goes in the Authorization header (or the token request of a registry); none for an identity token. */
  authorization?: string;
  /**
   * A registry's identity token (docker `auths.<host>.identitytoken`, or a credential helper's `<token>` login): an
   * OAuth2 refresh token, sent only to the registry's own token service in exchange for an access token.
   */
  identityToken?: string;
  username: string;
  /** `host:port` the credential is for. */
  host: string;
  /** The file it came from, for messages ("refused the credentials from ~/.config/helm/repositories.yaml"). */
  file: string;
}

type Env = Record<string, string | undefined>;

function configHome(env: Env): string {
  return env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
}

/** helm's repositories.yaml: $HELM_REPOSITORY_CONFIG, else under helm's config home. */
export function helmRepositoriesFile(env: Env = process.env): string {
  return env.HELM_REPOSITORY_CONFIG || path.join(configHome(env), 'helm', 'repositories.yaml');
}

/** Registry configs with `auths`, in the order helm consults them: helm's own, then docker's. */
export function registryConfigFiles(env: Env = process.env): string[] {
  const helm = env.HELM_REGISTRY_CONFIG || path.join(configHome(env), 'helm', 'registry', 'config.json');
  const docker = path.join(env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker'), 'config.json');
  return [helm, docker];
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read credentials file ${file}: ${(error as Error).message}`, { cause: error });
  }
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

function basic(username: string, password: string, host: string, file: string): Credential {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, username, host, file };
}

/**
 * A `https://user:password@host/...` URL as the URL without its login and that login as a credential for its
 * host (Go's HTTP client, hence helm and source-controller, send such a login as Basic auth).
 */
export function splitURLLogin(url: string): { url: string; credential?: Credential } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (!parsed.username) return { url };
  const credential = basic(decodeURIComponent(parsed.username), decodeURIComponent(parsed.password), parsed.host, 'the repository URL');
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : ''), credential };
}

interface HelmRepositoryEntry {
  url?: unknown;
  username?: unknown;
  password?: unknown;
  caFile?: unknown;
  certFile?: unknown;
  keyFile?: unknown;
  insecure_skip_tls_verify?: unknown;
}

/** The entry of helm's repositories.yaml for `repoURL` (same URL, trailing slash aside), and the file. */
async function helmRepositoryEntry(repoURL: string, env: Env): Promise<{ entry: HelmRepositoryEntry; file: string } | undefined> {
  const file = helmRepositoriesFile(env);
  const text = await readOptional(file);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const entries = (parsed as { repositories?: unknown } | null)?.repositories;
  if (!Array.isArray(entries)) return undefined;
  const entry = entries.find((candidate: HelmRepositoryEntry) => typeof candidate?.url === 'string' && withoutSlash(candidate.url) === withoutSlash(repoURL)) as
    HelmRepositoryEntry | undefined;
  return entry ? { entry, file } : undefined;
}

/** The username/password helm has for the repository at `repoURL`. */
export async function helmRepositoryCredential(repoURL: string, env: Env = process.env): Promise<Credential | undefined> {
  const found = await helmRepositoryEntry(repoURL, env);
  const entry = found?.entry;
  if (typeof entry?.username !== 'string' || entry.username === '') return undefined;
  return basic(entry.username, typeof entry.password === 'string' ? entry.password : '', new URL(repoURL).host, found!.file);
}

/** The TLS settings (`caFile`, `certFile`, `keyFile`, `insecure_skip_tls_verify`) helm has for the repository at `repoURL`. */
export async function helmRepositoryTls(repoURL: string, env: Env = process.env): Promise<TlsSettings | undefined> {
  const found = await helmRepositoryEntry(repoURL, env);
  if (!found) return undefined;
  const { entry, file } = found;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const settings: TlsSettings = {
    host: new URL(repoURL).host, file,
    ...(text(entry.caFile) ? { caFile: text(entry.caFile) } : {}),
    ...(text(entry.certFile) ? { certFile: text(entry.certFile) } : {}),
    ...(text(entry.keyFile) ? { keyFile: text(entry.keyFile) } : {}),
    ...(entry.insecure_skip_tls_verify === true ? { insecureSkipVerify: true } : {}),
  };
  return settings.caFile || settings.certFile || settings.keyFile || settings.insecureSkipVerify ? settings : undefined;
}

/** Registry keys name the host, sometimes as a URL (`https://index.docker.io/v1/`). */
function hostOfKey(key: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(key) ? key : `https://${key}`;
  try {
    return new URL(withScheme).host;
  } catch {
    return key;
  }
}

interface RegistryConfig {
  auths?: Record<string, { auth?: unknown; username?: unknown; password?: unknown; identitytoken?: unknown }>;
  credHelpers?: Record<string, unknown>;
  credsStore?: unknown;
}

/**
 * The login the user's registry configs hold for `host` (`host:port`), looked up as docker does in each file:
 * the registry's own credential helper (`credHelpers`), else the helper of all registries (`credsStore`), else
 * the login written in `auths`.
 */
export async function registryCredential(host: string, env: Env = process.env): Promise<Credential | undefined> {
  for (const file of registryConfigFiles(env)) {
    const text = await readOptional(file);
    if (text === undefined) continue;
    let config: RegistryConfig;
    try {
      config = JSON.parse(text) as RegistryConfig;
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const ownHelper = Object.entries(config.credHelpers ?? {}).find(([key]) => hostOfKey(key) === host)?.[1];
    const helper = typeof ownHelper === 'string' && ownHelper !== '' ? ownHelper : typeof config.credsStore === 'string' && config.credsStore !== '' ? config.credsStore : undefined;
    if (helper) {
      const login = await helperLogin(helper, host, env, file);
      if (login) return 'identityToken' in login ? identityToken(login.identityToken, host, `docker-credential-${helper}`) : basic(login.username, login.secret, host, `docker-credential-${helper}`);
      if (ownHelper) continue;
    }
    for (const [key, entry] of Object.entries(config.auths ?? {})) {
      if (hostOfKey(key) !== host) continue;
      // docker writes the identity token beside the user name (`auth` holds `user:` with no password then).
      if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') return identityToken(entry.identitytoken, host, file);
      if (typeof entry.auth === 'string' && entry.auth !== '') {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) return basic(decoded.slice(0, colon), decoded.slice(colon + 1), host, file);
      }
      if (typeof entry.username === 'string' && typeof entry.password === 'string') return basic(entry.username, entry.password, host, file);
    }
  }
  return undefined;
}

function identityToken(token: string, host: string, file: string): Credential {
  return { identityToken: token, username: 'identity token', host, file };
}

/** What a 401/403 says about the credentials sent. */
export function credentialsNote(credential: Credential | undefined, host: string): string {
  if (!credential) return `no credentials for ${host} in your helm or docker configuration`;
  return credential.identityToken
    ? `the identity token from ${credential.file} was refused`
    : `the credentials of ${credential.username} from ${credential.file} were refused`;
}
