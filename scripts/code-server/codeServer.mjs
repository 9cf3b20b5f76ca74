// code-server as a real VS Code for tests and the demo: install (cached), start on a free loopback port with
// private user-data, extensions, TMPDIR and XDG dirs, open the workbench in headless Chromium, and stop
// exactly what was started (the server's whole process group).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const CHROMIUM = process.env.DRIFTLINE_CHROMIUM ?? '/usr/bin/chromium';

/** Installs code-server (and Chromium) unless cached; returns the path of code-server's entry.js. */
export function installCodeServer() {
  const result = spawnSync('bash', [path.join(here, 'install-code-server.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const entry = result.stdout.toString().trim().split('\n').pop();
  if (result.status !== 0 || !entry || !fs.existsSync(entry)) {
    throw new Error(`installing code-server failed (exit ${result.status}); run bash scripts/code-server/install-code-server.sh`);
  }
  return entry;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server. `workDir` (a fresh temp dir) holds its user data, TMPDIR, XDG dirs and server.log;
 * `extensionsDir` defaults to a private one inside it; `env` is added to the server's (and so the extension
 * host's) environment; `settings` become the user settings.
 */
export async function startCodeServer({ entry, workDir, extensionsDir, env = {}, settings = {} }) {
  const userData = path.join(workDir, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'workbench.tips.enabled': false, 'update.mode': 'none',
    'security.workspace.trust.enabled': false, 'git.enabled': false, ...settings,
  }, null, 2));
  fs.writeFileSync(path.join(workDir, 'config.yaml'), 'auth: none\n');
  for (const dir of ['tmp', 'xdg-config', 'xdg-data', 'xdg-cache']) fs.mkdirSync(path.join(workDir, dir), { recursive: true });
  const port = await freePort();
  const logFile = path.join(workDir, 'server.log');
  const log = fs.openSync(logFile, 'a');
  const server = spawn(process.execPath, [entry,
    '--config', path.join(workDir, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData, '--extensions-dir', extensionsDir ?? path.join(workDir, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
  ], {
    detached: true, // its own process group, so stop() reaches the extension host and every helper
    stdio: ['ignore', log, log],
    env: {
      ...process.env, ...env,
      TMPDIR: path.join(workDir, 'tmp'),
      XDG_CONFIG_HOME: path.join(workDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(workDir, 'xdg-data'),
      XDG_CACHE_HOME: path.join(workDir, 'xdg-cache'),
      EXTENSIONS_GALLERY: '{}', // no marketplace (open-vsx) lookups
    },
  });
  fs.closeSync(log);
  let exited = false;
  server.on('exit', () => { exited = true; });
  const signalGroup = (signal) => { try { process.kill(-server.pid, signal); } catch { /* already gone */ } };
  // However this process ends (an error, Ctrl-C), the server and its extension host go with it.
  const killOnExit = () => signalGroup('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited) return;
    signalGroup('SIGTERM');
    for (let i = 0; i < 30 && !exited; i++) await sleep(100);
    signalGroup('SIGKILL');
  };
  const authority = `127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (exited) throw new Error(`code-server exited during start-up; see ${logFile}`);
    try {
      if ((await fetch(`http://${authority}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (attempt > 600) {
      await stop();
      throw new Error(`code-server did not answer on ${authority} within 60 s; see ${logFile}`);
    }
    await sleep(100);
  }
  return {
    port, authority, logFile, stop,
    /** The workbench URL for a folder (or a `.code-workspace` file), with optional development payload ([name, value] pairs). */
    url(folder, payload = []) {
      const query = new URLSearchParams({ [folder.endsWith('.code-workspace') ? 'workspace' : 'folder']: path.resolve(folder) });
      if (payload.length) query.set('payload', JSON.stringify(payload));
      return `http://${authority}/?${query}`;
    },
    /** A path on the server as the workbench names it. */
    remoteUri(file) { return `vscode-remote://${authority}${path.resolve(file)}`; },
  };
}

/** Headless Chromium (Debian's) through playwright-core; HOME and XDG dirs kept inside `profileDir`. */
export async function launchBrowser(profileDir, { width = 1400, height = 860 } = {}) {
  const { chromium } = await import('playwright-core');
  fs.mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, viewport: { width, height },
    env: { ...process.env, HOME: profileDir, XDG_CONFIG_HOME: profileDir, XDG_CACHE_HOME: profileDir },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Makes the built extension (this repo) an installed extension in `extensionsDir`, as code-server's CLI has
 * no --extensionDevelopmentPath: a folder named <publisher>.<name>-<version> with the files a VSIX would hold.
 */
export function installBuiltExtension(extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media', 'README.md']) {
    const source = path.join(repoRoot, entry);
    if (fs.existsSync(source)) fs.symlinkSync(source, path.join(target, entry));
  }
  return target;
}

/**
 * Makes Ctrl-C and SIGTERM end this process through process.exit, so that the exit hooks (code-server's
 * process group, the test cluster, temp dirs) run.
 */
export function exitOnSignals() {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
