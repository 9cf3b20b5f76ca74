// Every failure of a cluster call becomes a ClusterError whose message a user can act on: it names the
// object, the kube context and user, and keeps the server's own words (an SSA conflict names the other
// field manager; a refused field names the field).
import { describeRef, groupOf } from '../identity';
import type { ObjectRef } from '../model';
import { messageOf } from '../errors';

/** Why a cluster call failed. Callers decide by these, through the guards below, never by message text. */
export const CLUSTER_ERROR_REASONS = ['Forbidden', 'Unauthorized', 'NotFound', 'Conflict', 'Invalid', 'NoSuchKind', 'Unreachable', 'Other'] as const;

export type ClusterErrorReason = typeof CLUSTER_ERROR_REASONS[number];

/** Who was calling which server: every error names it. */
export interface CallerIdentity {
  context: string;
  user: string;
  server: string;
}

/** What was being done, for the message: `verb` as RBAC spells it (get, list, patch, delete, ...). */
export interface FailedCall {
  verb: string;
  ref?: ObjectRef;
  /** For collection calls (list, watch): the kind and namespace that were asked for. */
  collection?: { apiVersion: string; kind: string; namespace?: string };
}

export class ClusterError extends Error {
  constructor(
    message: string,
    readonly reason: ClusterErrorReason,
    readonly identity: CallerIdentity,
    readonly call: FailedCall,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** The server's own message (Status.message) or the transport error, unchanged. */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }

  get context(): string {
    return this.identity.context;
  }

  get user(): string {
    return this.identity.user;
  }

  get ref(): ObjectRef | undefined {
    return this.call.ref;
  }
}

/** The subject of a call as users read it: `ConfigMap/default/app-config`, or `ConfigMaps in namespace x`. */
export function describeTarget(call: FailedCall): string {
  if (call.ref) return describeRef(call.ref);
  const collection = call.collection;
  if (!collection) return 'the cluster';
  return collection.namespace ? `${collection.kind} in namespace ${collection.namespace}` : `${collection.kind} (all namespaces)`;
}

/** A Kubernetes `Status` error body, as far as we read it. */
interface StatusBody {
  message?: string;
  reason?: string;
}

/** Turns an HTTP error answer into a ClusterError. */
export function errorFromResponse(status: number, body: unknown, identity: CallerIdentity, call: FailedCall): ClusterError {
  const statusBody = (typeof body === 'object' && body !== null ? body : {}) as StatusBody;
  // Only a string is the server's message: a proxy's or a broken server's body may hold anything there.
  const message = typeof statusBody.message === 'string' && statusBody.message.trim() ? statusBody.message : undefined;
  const serverMessage = message ?? (typeof body === 'string' && body.trim() ? body.trim() : `HTTP ${status}`);
  const reason = reasonFor(status, typeof statusBody.reason === 'string' ? statusBody.reason : undefined, serverMessage);
  const who = `user "${identity.user}" (context "${identity.context}")`;
  const target = describeTarget(call);
  const messages: Record<ClusterErrorReason, string> = {
    Forbidden: `Forbidden: ${who} may not ${call.verb} ${target}: ${serverMessage}`,
    Unauthorized: `Unauthorized: the server at ${identity.server} did not accept the credentials of ${who}; ` +
      `log in again or fix the user in your kubeconfig (${serverMessage})`,
    NotFound: `NotFound: ${target} (context "${identity.context}"): ${serverMessage}`,
    Conflict: `Conflict: ${call.verb} ${target} (context "${identity.context}"): ${serverMessage}`,
    Invalid: `Invalid: the server refused ${target} (context "${identity.context}"): ${serverMessage}`,
    NoSuchKind: `NoSuchKind: ${target} (context "${identity.context}"): ${serverMessage}`,
    Unreachable: unreachableMessage(identity, serverMessage),
    Other: `${call.verb} ${target} failed (context "${identity.context}"): HTTP ${status}: ${serverMessage}`,
  };
  return new ClusterError(messages[reason], reason, identity, call, status, serverMessage);
}

function reasonFor(status: number, statusReason: string | undefined, message: string): ClusterErrorReason {
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 400 || status === 422 || statusReason === 'Invalid' || statusReason === 'BadRequest') return 'Invalid';
  // A 1.20 server answers a server-side apply it cannot type (a field newer than its schema, a port without
  // protocol) with a 500 whose message says so: that is the object's fault, not the server's.
  if (status === 500 && /failed to create typed (patch|live) object|field not declared in schema/.test(message)) return 'Invalid';
  return 'Other';
}

/** The server answered 2xx with something that is not what the API returns there (not JSON, not a list...). */
export function malformedAnswerError(detail: string, identity: CallerIdentity, call: FailedCall): ClusterError {
  return new ClusterError(`${call.verb} ${describeTarget(call)} (context "${identity.context}"): the server's answer ${detail}`,
    'Other', identity, call, undefined, `the server's answer ${detail}`);
}

/** The cluster could not be reached at all (refused, timed out, DNS, TLS). */
export function unreachableError(cause: Error & { code?: string }, identity: CallerIdentity, call: FailedCall): ClusterError {
  const detail = cause.code && !cause.message.includes(cause.code) ? `${cause.message} (${cause.code})` : cause.message;
  return new ClusterError(unreachableMessage(identity, detail), 'Unreachable', identity, call, undefined, detail);
}

function unreachableMessage(identity: CallerIdentity, detail: string): string {
  return `cluster unreachable: context "${identity.context}" at ${identity.server}: ${detail}`;
}

/** The server does not serve `kind` in `apiVersion` (no such API group/version, or a CRD not installed). */
export function noSuchKindError(apiVersion: string, kind: string, identity: CallerIdentity, call: FailedCall): ClusterError {
  const message = `NoSuchKind: the server at ${identity.server} (context "${identity.context}") has no kind ${kind} ` +
    `in ${apiVersion}${groupOf(apiVersion) ? ' (is its CRD installed?)' : ''}`;
  return new ClusterError(message, 'NoSuchKind', identity, call);
}

/** Local problems before any request: unreadable credential files, a context without a server. */
export function configError(detail: string, identity: CallerIdentity, call: FailedCall): ClusterError {
  return new ClusterError(`kubeconfig: context "${identity.context}": ${detail}`, 'Other', identity, call, undefined, detail);
}

const REASONS: ReadonlySet<string> = new Set(CLUSTER_ERROR_REASONS);

/**
 * Whether `error` is a ClusterError. By name as well as by class: the extension bundle and code compiled apart
 * from it (tests, the CLI bundle) each have their own copy of the class.
 */
export function isClusterError(error: unknown): error is ClusterError {
  if (error instanceof ClusterError) return true;
  return error instanceof Error && error.name === 'ClusterError' && REASONS.has(String((error as { reason?: unknown }).reason));
}

/** The reason of a ClusterError, undefined for any other error. */
export function reasonOf(error: unknown): ClusterErrorReason | undefined {
  return isClusterError(error) ? error.reason : undefined;
}

/** Whether `error` is a ClusterError for one of `reasons`. */
export function hasReason(error: unknown, ...reasons: ClusterErrorReason[]): boolean {
  const reason = reasonOf(error);
  return reason !== undefined && reasons.includes(reason);
}

/** The object (or the group/version) asked for does not exist. */
export function isNotFound(error: unknown): boolean {
  return hasReason(error, 'NotFound');
}

/** The server does not serve the kind (no such group/version, or its CRD is not installed). */
export function isNoSuchKind(error: unknown): boolean {
  return hasReason(error, 'NoSuchKind');
}

/** RBAC refused the caller this verb on this object or collection. */
export function isForbidden(error: unknown): boolean {
  return hasReason(error, 'Forbidden');
}

/** A server-side apply conflict with another field manager (or a stale resourceVersion). */
export function isConflict(error: unknown): boolean {
  return hasReason(error, 'Conflict');
}

/** The whole cluster cannot be read (unreachable, credentials refused): it fails an environment, not one object. */
export function isClusterWideFailure(error: unknown): boolean {
  return hasReason(error, 'Unreachable', 'Unauthorized');
}

/** The server's own words when the error carries them (an SSA conflict lists managers and fields there), else its message. */
export function serverMessageOf(error: unknown): string {
  return (isClusterError(error) ? error.serverMessage : undefined) ?? messageOf(error);
}
