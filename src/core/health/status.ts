// What a health check returns, and the untyped reading of controller-written status it works on.
import type { HealthStatus, KubeObject } from '../model';

export interface Health {
  status: HealthStatus;
  message?: string;
  /** The few words of it a row has room for (ResourceResult.healthSummary). */
  summary?: string;
}

// Status and spec fields are read as they come from the API server, untyped; each check tests what it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON from the cluster, read field by field
export type Dict = Record<string, any>;

export function condition(status: Dict, type: string): Dict | undefined {
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.find((entry: Dict) => entry?.type === type);
}

/** `spec` and `status` of an object, `{}` where absent. */
export function specAndStatus(object: KubeObject): { spec: Dict; status: Dict } {
  return { spec: (object.spec ?? {}) as Dict, status: (object.status ?? {}) as Dict };
}

/** A number from a status field written as a number or numeric string; `fallback` otherwise. */
export function numberOr(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}
