// The release Helm stored in the cluster, read as Helm's Secret storage driver writes it: one Secret per release
// version, `sh.helm.release.v1.<release>.v<version>` of type `helm.sh/release.v1` in the storage namespace,
// labelled owner=helm, name=<release>, status=<status>, version=<version>; its `release` key holds
// base64(gzip(JSON)) (a release stored before Helm compressed them is plain JSON inside the base64). Only the
// Secrets of that one release are listed (by label selector): no other Secret is read.
import { gunzipSync } from 'node:zlib';
import type { KubeObject } from '../model';
import type { ClusterClient } from './client';

export const HELM_RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** What a release's JSON holds that a comparison needs. */
export interface StoredRelease {
  name: string;
  namespace: string;
  version: number;
  /** The Secret it was read from. */
  secret: string;
  /** The rendered manifest Helm applied (without hooks). */
  manifest: string;
  /** The hooks' rendered manifests (kept out of drift like any helm.sh/hook object). */
  hooks: string[];
  chart?: { name?: string; version?: string };
}

/** A release Secret that is there but cannot be read as one: names the Secret. */
export class StoredReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoredReleaseError';
  }
}

/** Helm's label values are release names: DNS-1123 labels of at most 53 characters, nothing a selector must escape. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The highest version of `releaseName` whose status is deployed, or undefined when none is stored. */
export async function readDeployedRelease(client: ClusterClient, namespace: string, releaseName: string): Promise<StoredRelease | undefined> {
  if (!RELEASE_NAME.test(releaseName)) return undefined;
  const { items } = await client.list('v1', 'Secret', { namespace, labelSelector: `owner=helm,name=${releaseName},status=deployed` });
  const prefix = `sh.helm.release.v1.${releaseName}.v`;
  const candidates = items
    .filter((secret) => secret.metadata.name.startsWith(prefix) && (secret as { type?: string }).type === HELM_RELEASE_SECRET_TYPE)
    .map((secret) => ({ secret, version: Number(secret.metadata.labels?.version ?? secret.metadata.name.slice(prefix.length)) }))
    .filter((candidate) => Number.isInteger(candidate.version))
    .sort((a, b) => b.version - a.version);
  const latest = candidates[0];
  return latest ? decodeReleaseSecret(latest.secret, namespace) : undefined;
}

/** The release a storage Secret holds. */
export function decodeReleaseSecret(secret: KubeObject, namespace: string): StoredRelease {
  const where = `Secret ${namespace}/${secret.metadata.name}`;
  const data = (secret as { data?: Record<string, string> }).data?.release;
  if (typeof data !== 'string') throw new StoredReleaseError(`${where} has no release data`);
  let release: Record<string, unknown>;
  try {
    // The API's base64 of the Secret's bytes, which are Helm's own base64 of the gzip.
    const helmEncoded = Buffer.from(data, 'base64').toString('utf8');
    const bytes = Buffer.from(helmEncoded, 'base64');
    const json = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    release = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new StoredReleaseError(`${where} does not hold a Helm release (${(error as Error).message})`);
  }
  if (typeof release.manifest !== 'string') throw new StoredReleaseError(`${where} holds a release without a manifest`);
  const hooks = Array.isArray(release.hooks)
    ? release.hooks.flatMap((hook: { manifest?: unknown }) => (typeof hook?.manifest === 'string' ? [hook.manifest] : []))
    : [];
  const metadata = (release.chart as { metadata?: { name?: unknown; version?: unknown } } | undefined)?.metadata;
  return {
    name: typeof release.name === 'string' ? release.name : '',
    namespace: typeof release.namespace === 'string' ? release.namespace : namespace,
    version: typeof release.version === 'number' ? release.version : Number(secret.metadata.labels?.version),
    secret: secret.metadata.name,
    manifest: release.manifest,
    hooks,
    ...(metadata ? { chart: { ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}), ...(typeof metadata.version === 'string' ? { version: metadata.version } : {}) } } : {}),
  };
}
