// Bundles the extension and the CLI into CommonJS files for Node 20. `vscode` is provided by the extension
// host, so it stays external.
//   dist/extension.js  what activation loads: the view, documents, status bar, SOPS editing, command wiring
//   dist/engine.js     loaded on first use (src/vscode/lazyEngine.ts): the engine, @kubernetes/client-node,
//                      git, and the sync/rollback/suspend commands
//   dist/cli.js        the `driftline` command line
// The extension's two files are minified, with source maps beside them (shipped in the VSIX, so that a stack
// trace from a user maps back to src/); names are kept, since error classes and messages use them.
// `--watch` rebuilds.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode'],
};
// sourcesContent off: a stack trace maps to file:line without the sources themselves (a third of the VSIX).
const extension = { ...common, minify: true, keepNames: true, sourcesContent: false };

/** Keeps `require('./engine')` of lazyEngine.ts a require of the separate bundle dist/engine.js. */
const engineApart = {
  name: 'engine-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/engine$/ }, (args) =>
      args.importer.endsWith('lazyEngine.ts') ? { path: './engine.js', external: true } : undefined);
  },
};

const builds = [
  { ...extension, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', plugins: [engineApart], metafile: true },
  { ...extension, entryPoints: ['src/vscode/engine.ts'], outfile: 'dist/engine.js', plugins: [engineApart] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  const [activation] = await Promise.all(builds.map((options) => esbuild.build(options)));
  // What activation must not load: a static import of these from the view's code would pull them back in.
  const eager = Object.keys(activation.metafile.inputs);
  const heavy = eager.filter((file) => /node_modules\/(@kubernetes\/client-node|simple-git)\/|src\/core\/(drift\/engine|workspace|cluster\/client)\.ts$/.test(file));
  if (heavy.length > 0) {
    console.error(`dist/extension.js must not contain what dist/engine.js loads on first use; it has ${heavy.slice(0, 5).join(', ')}` +
      ' (import it through src/vscode/lazyEngine.ts)');
    process.exit(1);
  }
}
