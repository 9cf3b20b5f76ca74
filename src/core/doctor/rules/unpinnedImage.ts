// Images by `:latest` or without a tag: the same Git commit deploys different code over time, and a rollback
// to it does not bring the old code back.
import { containersOf, desiredObjectsOf } from '../doctorInput';
import type { RuleFinding } from '../finding';
import { atObject, objectName, type DoctorRule } from '../rule';

export const unpinnedImage: DoctorRule = {
  id: 'unpinned-image',
  severity: 'warning',
  summary: 'a container image by :latest or without a tag or digest',
  check(views) {
    const found: RuleFinding[] = [];
    for (const { view, app, desired } of desiredObjectsOf(views)) {
      const pods = containersOf(desired.object);
      if (!pods) continue;
      const unpinned = [...pods.initContainers, ...pods.containers].filter((container) => typeof container.image === 'string' && isUnpinned(container.image));
      if (unpinned.length === 0) continue;
      found.push({
        ...atObject(view, app, desired),
        message: `${objectName(desired.object)} runs ${unpinned.map((container) => `${container.name}: ${container.image}`).join(', ')}: ` +
          'pin a version tag or digest so that a commit always deploys the same image (and a rollback brings the old one back)',
      });
    }
    return found;
  },
};

/** No digest, and no tag or the tag `latest`. A registry port (`host:5000/app`) is not a tag. */
export function isUnpinned(image: string): boolean {
  if (image.includes('@')) return false;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 || lastSegment.slice(colon + 1) === 'latest';
}
