// Loads engine.ts on first use. esbuild leaves `./engine` out of dist/extension.js and bundles it as
// dist/engine.js (esbuild.config.mjs), so that activation does not parse or run @kubernetes/client-node, the
// engine or git; tsc's out/ keeps the same shape (out/src/vscode/engine.js).
import type * as Engine from './engine';

let loaded: typeof Engine | undefined;

export function engine(): typeof Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use, kept as a separate file by esbuild
  loaded ??= require('./engine') as typeof Engine;
  return loaded;
}
