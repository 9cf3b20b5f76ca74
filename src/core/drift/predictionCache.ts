// Dry-run results keyed by (hash of the desired object, live resourceVersion): if neither Git nor the cluster
// changed an object since the last refresh, the server's prediction cannot have changed either.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../model';

export class PredictionCache {
  private readonly entries = new Map<string, KubeObject>();
  /** For objects that are not live: whether the server would create them ('' yes, else its refusal). */
  private readonly createVerdicts = new Map<string, string>();

  /** `capacity`: entries kept; the least recently used go first. */
  constructor(private readonly capacity = 5000) {}

  static key(desired: KubeObject, liveResourceVersion: string, context: string): string {
    const hash = createHash('sha256').update(stableJson(desired)).digest('hex');
    return `${context}\u0000${liveResourceVersion}\u0000${hash}`;
  }

  get(key: string): KubeObject | undefined {
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  set(key: string, predicted: KubeObject): void {
    this.entries.delete(key);
    this.entries.set(key, predicted);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  createVerdict(key: string): string | undefined {
    return this.createVerdicts.get(key);
  }

  setCreateVerdict(key: string, refusal: string): void {
    this.createVerdicts.delete(key);
    this.createVerdicts.set(key, refusal);
    while (this.createVerdicts.size > this.capacity) this.createVerdicts.delete(this.createVerdicts.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.createVerdicts.clear();
  }
}

/** JSON with sorted keys, so equal objects hash equally whatever order YAML gave their fields. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
