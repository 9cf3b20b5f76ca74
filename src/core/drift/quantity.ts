// Kubernetes resource quantities (`cpu: "0.5"`, `memory: 1Gi`). The server stores each in a canonical form of its
// value and its format family (binary `Ki`..`Ei`, decimal SI `n`..`E` or none, decimal exponent `e3`), so Git's
// "0.5" is stored as "500m". A written quantity is stored as the live text exactly when both have the same value
// and family; anything this cannot read, or that the server would round (finer than 1n), counts as different, so
// the caller falls back to asking the server.
import { groupOf } from '../model';

type Family = 'binary' | 'decimal' | 'exponent';

interface Quantity {
  family: Family;
  /** The value as numerator / denominator. */
  numerator: bigint;
  denominator: bigint;
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Ti: 4, Gi: 3, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = '', suffix = '', exponent] = match;
  if (whole === '' && fraction === '') return undefined;
  let numerator = BigInt(`${sign === '-' ? '-' : ''}${whole || '0'}${fraction}`);
  let denominator = 10n ** BigInt(fraction.length);
  let family: Family = 'decimal';
  let power10 = 0;
  if (exponent !== undefined) {
    family = 'exponent';
    power10 = Number(exponent);
  } else if (suffix in BINARY) {
    family = 'binary';
    numerator *= 1024n ** BigInt(BINARY[suffix]);
  } else {
    power10 = DECIMAL[suffix];
  }
  if (power10 >= 0) numerator *= 10n ** BigInt(power10);
  else denominator *= 10n ** BigInt(-power10);
  // The server keeps nothing finer than 10^-9 (it rounds up): such a value is not compared here.
  if ((numerator * 10n ** 9n) % denominator !== 0n) return undefined;
  return { family, numerator, denominator };
}

/** Would the server store `written` (a quantity as Git writes it) as exactly `stored` (its canonical text)? */
export function storedAs(written: unknown, stored: unknown): boolean {
  if (written === stored) return true;
  if ((typeof written !== 'string' && typeof written !== 'number') || typeof stored !== 'string') return false;
  const a = parseQuantity(String(written));
  const b = parseQuantity(stored);
  return !!a && !!b && a.family === b.family && a.numerator * b.denominator === b.numerator * a.denominator;
}

/** Path segments from the object's root: field names and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

const WORKLOAD_GROUPS = new Set(['', 'apps', 'batch', 'extensions']);
const POD_TEMPLATE_PREFIXES: Record<string, FieldPath[]> = {
  Pod: [['spec']],
  PodTemplate: [['template', 'spec']],
  Deployment: [['spec', 'template', 'spec']],
  StatefulSet: [['spec', 'template', 'spec']],
  DaemonSet: [['spec', 'template', 'spec']],
  ReplicaSet: [['spec', 'template', 'spec']],
  ReplicationController: [['spec', 'template', 'spec']],
  Job: [['spec', 'template', 'spec']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'template', 'spec']],
};
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const LIMIT_RANGE_FIELDS = new Set(['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']);
const isLimitsOrRequests = (segment: string | number | undefined) => segment === 'limits' || segment === 'requests';

/**
 * Whether the server stores this group's quantities in canonical text (the built-in kinds). A custom resource
 * (an Argo Rollouts Rollout's pod template) stores what was written: `cpu: 1` stays the number 1.
 */
export function storesCanonicalQuantities(apiVersion: string): boolean {
  return WORKLOAD_GROUPS.has(groupOf(apiVersion));
}

/**
 * Whether the field at `path` of a built-in object of this kind is a resource quantity (container resources,
 * pod overhead, claim resources, quota, limit ranges). Custom resources are never assumed to hold quantities.
 */
export function isQuantityField(apiVersion: string, kind: string, path: FieldPath): boolean {
  if (!storesCanonicalQuantities(apiVersion)) return false;
  const at = (index: number) => path[index];
  for (const prefix of POD_TEMPLATE_PREFIXES[kind] ?? []) {
    if (!prefix.every((segment, index) => path[index] === segment)) continue;
    const rest = path.slice(prefix.length);
    if (rest.length === 5 && CONTAINER_LISTS.has(String(rest[0])) && typeof rest[1] === 'number' && rest[2] === 'resources' && isLimitsOrRequests(rest[3])) return true;
    if (rest.length === 2 && rest[0] === 'overhead') return true;
  }
  if (kind === 'PersistentVolumeClaim') return path.length === 4 && at(0) === 'spec' && at(1) === 'resources' && isLimitsOrRequests(at(2));
  if (kind === 'StatefulSet' && at(0) === 'spec' && at(1) === 'volumeClaimTemplates') {
    return path.length === 7 && typeof at(2) === 'number' && at(3) === 'spec' && at(4) === 'resources' && isLimitsOrRequests(at(5));
  }
  if (kind === 'ResourceQuota') return path.length === 3 && at(0) === 'spec' && at(1) === 'hard';
  if (kind === 'LimitRange') return path.length === 5 && at(0) === 'spec' && at(1) === 'limits' && typeof at(2) === 'number' && LIMIT_RANGE_FIELDS.has(String(at(3)));
  return false;
}
