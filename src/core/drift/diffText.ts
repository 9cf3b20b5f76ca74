// Text for humans: objects as YAML with sorted keys (what `kubectl diff` prints, since it marshals maps) and a
// unified diff per object. Callers pass objects that are already normalized and masked.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { describeRef } from '../identity';
import type { KubeObject, ObjectRef, ResourceResult } from '../model';

export function toYaml(object: KubeObject): string {
  return stringify(object, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * One side of a result's diff as YAML, or undefined when that side has no object (live of a Missing object,
 * desired of an Extra one). Made on each call, for the diff being shown: results carry objects, not text,
 * because writing YAML for every resource was a third of a warm refresh (bench/README.md).
 */
export function resourceYaml(resource: Pick<ResourceResult, 'live' | 'desired'>, side: 'live' | 'desired'): string | undefined {
  const object = resource[side];
  return object && toYaml(object);
}

/**
 * A unified diff of one object, live (`-`) against desired (`+`), or '' when the texts are equal. An absent side
 * diffs against an empty file, as `kubectl diff` does for objects it would create. `name` heads both files
 * (`Kind/namespace/name` unless the caller says the group too), after the sides' labels (`live/`, `git/` unless told).
 */
export function unifiedDiff(
  ref: ObjectRef, liveYaml: string | undefined, desiredYaml: string | undefined, name = describeRef(ref), sides: [string, string] = ['live', 'git'],
): string {
  const live = liveYaml ?? '';
  const desired = desiredYaml ?? '';
  if (live === desired) return '';
  return createTwoFilesPatch(`${sides[0]}/${name}`, `${sides[1]}/${name}`, live, desired, undefined, undefined, { context: 3 })
    .replace(/^=+\n/m, '');
}
