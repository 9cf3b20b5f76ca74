// `npm run demo`: Driftline on a drifted GitOps repo in a real VS Code, from nothing, in one command.
// Builds the extension; starts the local test cluster (kube-apiserver v1.20.2, scripts/cluster); makes the demo
// repo (scripts/demo-repo/demoRepo.mjs: a kustomize app, a plain-YAML app and a Flux app with a SOPS-encrypted Secret,
// all the project's own, nothing read from outside the checkout), applies it and drifts it; installs the built
// extension into code-server 4.100.3 (cached in ~/.cache/driftline) and opens it on the repo with KUBECONFIG
// set and the demo's age key in the user settings. Prints the URL; Ctrl-C stops everything it started and
// removes its temp files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from './cluster/cluster.mjs';
import { exitOnSignals, installBuiltExtension, installCodeServer, repoRoot, startCodeServer } from './code-server/codeServer.mjs';
import { createDemoRepo, demo } from './demo-repo/demoRepo.mjs';

const step = (message) => console.log(`\x1b[1mdemo:\x1b[0m ${message}`);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-demo-'));

// Ctrl-C ends this process; the exit hooks stop code-server and the cluster and remove the temp dir.
exitOnSignals();
process.on('exit', () => {
  step('stopping code-server and the test cluster');
  fs.rmSync(workDir, { recursive: true, force: true });
});

try {
  step('building the extension');
  if (spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
  step('installing code-server 4.100.3 (cached after the first time)');
  const entry = installCodeServer();
  step('starting the test cluster');
  const cluster = await startCluster();
  const { kubeconfig, adminContext } = cluster.info;
  step('making the demo GitOps repo, applying it, and drifting it by hand');
  const repo = path.join(workDir, 'gitops-demo');
  fs.mkdirSync(repo);
  const { namespaces, ageKeyFile, userSettings } = await createDemoRepo({ dir: repo, kubeconfig, context: adminContext, prefix: 'demo' });
  const extensionsDir = path.join(workDir, 'extensions');
  installBuiltExtension(extensionsDir);
  const server = await startCodeServer({
    entry, workDir: path.join(workDir, 'code-server'), extensionsDir, env: { KUBECONFIG: kubeconfig }, settings: userSettings,
  });

  console.log(`
Driftline demo is running.

  Open:        ${server.url(repo)}
  Repo:        ${repo}
  Cluster:     export KUBECONFIG=${kubeconfig}   (context ${adminContext})
  Apps:        guestbook (kustomize), shop (plain YAML), web (Flux Kustomization ${demo.flux.file})
  Drift made:  ${namespaces.guestbook}: Deployment ${demo.drifted.deployment} scaled to 3 (Git says 1)
               ${namespaces.shop}: ConfigMap ${demo.drifted.configMap} edited, Secret ${demo.drifted.secret} changed,
                 Service ${demo.drifted.missingService} deleted, ConfigMap ${demo.drifted.extraConfigMap} created by hand
               ${namespaces.web}: ConfigMap ${demo.drifted.webConfigMap} edited
  SOPS:        ${demo.sopsSecret.file} is age-encrypted; its demo-only key ${ageKeyFile}
               is the setting driftline.sops.ageKeyFile: open the file, Edit Decrypted, edit, save (ciphertext only)

Click the Driftline icon in the activity bar. Press Ctrl-C here to stop everything.`);
} catch (error) {
  console.error(`demo failed: ${error.message ?? error}`);
  process.exit(1);
}
