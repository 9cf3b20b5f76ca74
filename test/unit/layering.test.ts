// The layers: src/core and src/cli compile without VS Code (tsconfig.core.json), so that the CLI, the bench
// and the tests run them in plain Node. The check is the build itself; this shows that it bites.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const FORBIDDEN = /src\/core and src\/cli must not import vscode/;

/** Compiles files as src/core is compiled (tsconfig.core.json's options); tsc's exit and its lines. */
function compileAsCore(files: Record<string, string>): { status: number | null; output: string; errorsIn(file: string): string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-layering-'));
  try {
    for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      extends: path.join(ROOT, 'tsconfig.core.json'),
      compilerOptions: { rootDir: '/' },
      include: [],
      files: Object.keys(files),
    }));
    const result = spawnSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' });
    const output = result.stdout + result.stderr;
    return { status: result.status, output, errorsIn: (file) => output.split('\n').filter((line) => line.startsWith(`${file}(`)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('layering: src/core and src/cli cannot see vscode', function () {
  this.timeout(120_000);
  // One compilation for the probes that fail in their own file, beside one that must compile.
  let probes: ReturnType<typeof compileAsCore>;
  before(() => {
    probes = compileAsCore({
      'nodeOnly.ts': "import fs from 'node:fs';\nexport const here = fs.existsSync('.');\n",
      'namespace.ts': "import * as vscode from 'vscode';\nexport const window = vscode.window;\n",
      'typeOnly.ts': "import type { Uri } from 'vscode';\nexport type Where = Uri;\n",
      'mocha.ts': 'export const suite = typeof describe;\n',
    });
  });

  it('compiles a core file that uses Node only', () => {
    assert.deepEqual(probes.errorsIn('nodeOnly.ts'), [], probes.output);
  });

  it('fails to compile a namespace or a type-only import of vscode, saying why', () => {
    assert.notEqual(probes.status, 0, probes.output);
    assert.match(probes.errorsIn('namespace.ts').join('\n'), /Property 'window' does not exist/, probes.output);
    assert.match(probes.errorsIn('typeOnly.ts').join('\n'), /has no exported member 'Uri'/, probes.output);
    assert.match(probes.output, FORBIDDEN);
  });

  it('fails to compile a bare import of vscode, saying why', () => {
    const result = compileAsCore({ 'bare.ts': "import 'vscode';\n" });
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, FORBIDDEN);
  });

  it('fails to compile a core file that uses mocha\'s globals', () => {
    assert.match(probes.errorsIn('mocha.ts').join('\n'), /Cannot find name 'describe'/, probes.output);
  });
});
