// The mocha entry point for the suites that run inside a VS Code extension host. Launcher-agnostic: code-server
// (test/vscode/run.mjs) and @vscode/test-electron (test/vscode/run-desktop.mjs) both load this file as
// extensionTestsPath and call run(). Counts go to $DRIFTLINE_RESULTS_FILE through the counting reporter.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 120_000,
    reporter: path.resolve(__dirname, '../../../test/support/counting-reporter.cjs'),
    grep: process.env.DRIFTLINE_TEST_GREP,
  });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} VS Code test(s) failed`)) : resolve()));
  });
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.js') ? [file] : [];
  }).sort();
}
