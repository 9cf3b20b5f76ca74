// kustomize's errors name every kustomization a build went through, Driftline's own among them: the wrappers,
// batches and overlays it writes into temporary folders to build a folder as a controller does
// (driftline-flux-build-*, driftline-kustomize-batch-*, driftline-overlay-*). Those folders are gone when the
// build ends and mean nothing to a user. Their layers are taken off the front of the message, with the layer
// of the folder they build (kustomize reading it as a resource), so what is left reads as kustomize's error for
// that folder built on its own; a path still into a temporary folder names the folder it stands for.
import path from 'node:path';

/** A temporary build folder (mkdtemp adds 6 characters), with the entry in it: `/tmp/driftline-flux-build-Ab12Cd/k-3`. */
const BUILD_DIR = /(?:\/[^\s'"]*)?\/driftline-(?:flux-build|kustomize-batch|overlay)-[A-Za-z0-9]{6}(?:\/([\w.-]+))?/g;
/** Also an entry of one named relative to another (`'../k-3'`, as a batch's kustomization lists it). */
const RELATIVE_ENTRY = /'\.\.\/((?:k|w|app|batch)-\d+)'/g;
/**
 * One layer of kustomize's accumulation error: reading `from` as a file failed (how it says so varies), so the
 * folder it resolves to was built.
 */
const LAYER = /^accumulating resources: accumulation err='accumulating resources from '([^']*)': .*?': recursed accumulation of path '([^']+)': /;
/** How our kustomizations list their entries: `app-3` in a batch, `../k-3` from a wrapper. */
const ENTRY = /^(\.\.\/)?(k|w|app|batch)-\d+$/;

const isBuildDir = (dir: string) => new RegExp(BUILD_DIR.source).test(dir);

export interface BuildDirNames {
  /** The folders the build stands for (absolute). */
  folders: string[];
  /** How a message names a temporary folder instead: by its entry (`k-3`, `app-3`), when it has one. */
  nameOf: (entry: string | undefined) => string;
}

/** `message` as if the folders had been built without Driftline's temporary kustomizations. */
export function withoutBuildDirs(message: string, names: BuildDirNames): string {
  let rest = message;
  // The build itself runs in a folder of ours (kustomize names it in no layer): the top layer is ours too.
  let ours = true;
  for (let layer = LAYER.exec(rest); layer; layer = LAYER.exec(rest)) {
    const [whole, from, dir] = layer;
    if (ENTRY.test(from) || isBuildDir(from) || isBuildDir(dir)) ours = true;
    // A folder it builds is taken off only right under a layer of ours: below that it is the user's own tree.
    else if (ours && names.folders.includes(path.resolve(dir))) ours = false;
    else break;
    rest = rest.slice(whole.length);
  }
  return rest
    .replace(BUILD_DIR, (_match, entry: string | undefined) => names.nameOf(entry))
    .replace(RELATIVE_ENTRY, (_match, entry: string) => `'${names.nameOf(entry)}'`);
}
