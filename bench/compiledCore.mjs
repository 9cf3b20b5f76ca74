// What the measuring children share: the compiled core (out/src/core, built by `npm run build`) and a timer.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'src', 'core');

/** A module of the compiled core by its path under src/core: `core('drift/engine.js')`. */
export function core(modulePath) {
  return require(path.join(out, modulePath));
}

/** Times `work`; returns [milliseconds, result]. */
export async function timed(work) {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}
