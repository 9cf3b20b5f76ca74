// Helm `valueFiles` of an Argo CD source, resolved as its repo-server resolves them (getResolvedValueFiles,
// ResolveValueFilePathOrUrl): relative to the chart folder, an absolute path from the repository root, and in a
// multi-source Application `$<ref>/path` from the root of the source with `ref: <ref>`. None may leave its
// repository; a URL, or a ref source that is another repository, needs network. With ignoreMissingValueFiles a
// file that does not exist is left out, as there.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from '../render/listFiles';
import type { RepoIdentity } from './repoIdentity';

/** A source with `ref:` of a multi-source Application, by `$<ref>`. */
export type RefSources = ReadonlyMap<string, { repoURL?: string }>;

export type ResolvedValueFiles = { files: string[] } | { unknownReason: string };

export interface ValueFileContext {
  root: string;
  identity: RepoIdentity;
  refs: RefSources;
  /** How messages name the source's field: `argocd/app.yaml:7: spec.sources[0].helm.valueFiles`. */
  field: string;
  /** `helm.ignoreMissingValueFiles`: a value file that does not exist is left out instead of failing helm. */
  ignoreMissing?: boolean;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** `chartDir` undefined: a remote chart, whose relative value files are inside the chart once fetched (not read yet). */
export function resolveValueFiles(valueFiles: string[], chartDir: string | undefined, context: ValueFileContext): ResolvedValueFiles {
  const { root, identity, refs, field } = context;
  const files: string[] = [];
  for (const raw of valueFiles) {
    let resolved: string;
    if (raw.startsWith('$')) {
      const [ref, ...rest] = raw.split('/');
      const target = refs.get(ref);
      if (!target) {
        const known = [...refs.keys()];
        return { unknownReason: `${field}: ${raw} names ${ref}, but no source of spec.sources has ref: ${ref.slice(1)} (${known.length > 0 ? `refs: ${known.join(', ')}` : 'no source has a ref'})` };
      }
      if (!identity.isThisRepo(target.repoURL)) {
        return { unknownReason: `${field}: ${raw} is in ${target.repoURL ?? '(no repoURL)'}, which is not this repository and needs network (add it to repoURLs in .driftline.yaml if it is this one)` };
      }
      resolved = path.join(root, ...rest);
    } else if (URL_SCHEME.test(raw) && !path.isAbsolute(raw)) {
      return { unknownReason: `${field}: ${raw} is a URL and needs network` };
    } else if (!path.isAbsolute(raw) && chartDir === undefined) {
      return { unknownReason: `${field}: ${raw} is a file inside the chart, which is not read yet` };
    } else {
      resolved = path.isAbsolute(raw) ? path.join(root, raw) : path.resolve(chartDir!, raw);
    }
    if (!isWithin(resolved, root) || resolved === path.resolve(root)) {
      return { unknownReason: `${field}: ${raw} resolves outside the repository, which Argo CD refuses` };
    }
    if (context.ignoreMissing && !existsSync(resolved)) continue;
    files.push(resolved);
  }
  return { files };
}
