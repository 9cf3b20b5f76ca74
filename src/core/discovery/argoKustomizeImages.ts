// Argo CD's `kustomize.images` are strings, set by its repo-server with `kustomize edit set image <each>`:
// `nginx:1.21`, `nginx@sha256:...`, `nginx=registry/nginx:1.21`. A kustomization's `images:` takes the objects
// that command writes (name, newName, newTag, digest), which is what the overlay needs.

export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** `registry:5000/nginx:1.21` -> image `registry:5000/nginx`, tag `1.21`; a digest after `@`. */
function splitReference(reference: string): { image: string; tag?: string; digest?: string } {
  const at = reference.indexOf('@');
  if (at !== -1) return { image: reference.slice(0, at), digest: reference.slice(at + 1) };
  const colon = reference.lastIndexOf(':');
  // A colon before the last slash is a registry's port, not a tag.
  if (colon > reference.lastIndexOf('/')) return { image: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { image: reference };
}

/** One `kustomize edit set image` argument as the image entry it writes; an object (already an entry) stays. */
export function kustomizeImageOf(entry: unknown): unknown {
  if (typeof entry !== 'string') return entry;
  const equals = entry.indexOf('=');
  const { image, tag, digest } = splitReference(equals === -1 ? entry : entry.slice(equals + 1));
  const name = equals === -1 ? image : entry.slice(0, equals);
  const written: KustomizeImage = { name };
  if (equals !== -1 && image !== '*' && image !== name) written.newName = image;
  if (tag !== undefined) written.newTag = tag;
  if (digest !== undefined) written.digest = digest;
  return written;
}
