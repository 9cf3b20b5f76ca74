// External tools the suites run for real: Debian's (ensure-apt-packages.sh) and helm (install-helm.sh).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The environment with the test tools' folders first on PATH (installing them when missing). */
export function withTestTools(env = process.env) {
  execFileSync('bash', [path.join(here, '..', '..', 'scripts', 'tools', 'ensure-apt-packages.sh')], { stdio: 'inherit' });
  const helmDir = execFileSync('bash', [path.join(here, 'install-helm.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return { ...env, PATH: `${helmDir}${path.delimiter}${env.PATH ?? ''}` };
}
