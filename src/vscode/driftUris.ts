// URIs are the contract between the Drift view and the diff documents: a node names its live and desired
// documents, and the document providers resolve them against the current report. Nothing else is shared.
// A resource is named by its identity (core/identity.ts), group included: Istio's Gateway and Gateway API's
// Gateway of one name are two documents.
import * as vscode from 'vscode';
import { identityOf, parseQualifiedKind, qualifiedKind, type ObjectIdentity } from '../core/identity';
import type { ResourceResult } from '../core/model';

export const LIVE_SCHEME = 'driftline-live';
export const DESIRED_SCHEME = 'driftline-desired';

/** What a drift document shows: one resource of an app, or every object of the app (no `resource`). */
export interface DriftDocumentKey {
  /** The workspace folder the app is in (rootOf, driftSession.ts). */
  root: string;
  environment: string;
  app: string;
  resource?: ObjectIdentity;
  /** Secret values shown in clear, after the user confirmed. Such documents live in memory only. */
  revealed?: boolean;
}

// `-` stands for "cluster-scoped": it can never be a namespace name.
const CLUSTER_SCOPED = '-';

/**
 * `/<environment>/<app>/<Kind[.group]>/<namespace or ->/<name>.yaml`, or `/<environment>/<app>.yaml` for a whole
 * app; the folder in the query (`root=`), with `revealed` for unmasked Secrets.
 */
export function driftDocumentUri(scheme: string, key: DriftDocumentKey): vscode.Uri {
  const segments = [key.environment, key.app];
  if (key.resource) segments.push(qualifiedKind(key.resource), key.resource.namespace ?? CLUSTER_SCOPED, key.resource.name);
  const path = '/' + segments.map(encodeURIComponent).join('/') + '.yaml';
  const query = new URLSearchParams({ root: key.root });
  if (key.revealed) query.set('revealed', '1');
  return vscode.Uri.from({ scheme, path, query: query.toString() });
}

export function parseDriftDocumentUri(uri: vscode.Uri): DriftDocumentKey {
  const segments = uri.path.replace(/^\//, '').replace(/\.yaml$/, '').split('/').map(decodeURIComponent);
  const [environment, app, kind, namespace, name] = segments;
  if (segments.length !== 2 && segments.length !== 5) throw new Error(`Not a Driftline document: ${uri.toString()}`);
  const query = new URLSearchParams(uri.query);
  const key: DriftDocumentKey = { root: query.get('root') ?? '', environment, app, revealed: query.has('revealed') };
  if (kind) key.resource = identityOf({ ...parseQualifiedKind(kind), name, namespace: namespace === CLUSTER_SCOPED ? undefined : namespace });
  return key;
}

export function resourceKey(root: string, environment: string, app: string, resource: ResourceResult): DriftDocumentKey {
  return { root, environment, app, resource: identityOf(resource) };
}
