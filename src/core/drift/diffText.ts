// Text for humans: objects as YAML with sorted keys (what `kubectl diff` prints, since it marshals maps) and a
// unified diff per object. Callers pass objects that are already normalized and masked.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { describeRef, type KubeObject, type ObjectRef } from '../model';

export function toYaml(object: KubeObject): string {
  return stringify(object, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * A unified diff of one object, live (`-`) against desired (`+`), or '' when the texts are equal. An absent side
 * diffs against an empty file, as `kubectl diff` does for objects it would create.
 */
export function unifiedDiff(ref: ObjectRef, liveYaml: string | undefined, desiredYaml: string | undefined): string {
  const live = liveYaml ?? '';
  const desired = desiredYaml ?? '';
  if (live === desired) return '';
  const name = describeRef(ref);
  return createTwoFilesPatch(`live/${name}`, `git/${name}`, live, desired, undefined, undefined, { context: 3 })
    .replace(/^=+\n/m, '');
}
