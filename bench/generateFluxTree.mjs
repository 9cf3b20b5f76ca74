// Generates the benchmark's Flux tree: one cluster (`clusters/dev`, as `flux bootstrap` writes it) whose root
// Kustomization applies T team Kustomizations, each applying A app Kustomizations (3 levels). Each team sets a
// targetNamespace, and its kustomization.yaml patches every app Kustomization it holds with a
// postBuild.substituteFrom of the team's ConfigMap, which the app manifests use. Committed to a fresh git repo.
// Deterministic for a given size, so Driftline and the peer see the same tree.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const stringify = (object) => YAML.stringify(object, { lineWidth: 0 });
const docs = (objects) => objects.map(stringify).join('---\n');

function write(root, file, text) {
  const full = path.join(root, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
}

/** A Flux Kustomization syncing `folder` of this repo's GitRepository flux-system. */
function kustomization(name, folder, spec = {}) {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: folder, ...spec },
  };
}

/** The few manifests of one app; ${TEAM} and ${REPLICAS} come from the team's substituteFrom ConfigMap. */
function appManifests(app) {
  const labels = { 'app.kubernetes.io/name': app };
  return {
    'deployment.yaml': docs([{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, labels },
      spec: {
        replicas: '${REPLICAS}', selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `registry.example.com/${app}:1.0.0`, env: [{ name: 'TEAM', value: '${TEAM}' }] }] } },
      },
    }]),
    'service.yaml': docs([{ apiVersion: 'v1', kind: 'Service', metadata: { name: app, labels }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } }]),
    'configmap.yaml': docs([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-settings` }, data: { team: '${TEAM}', LOG_LEVEL: 'info' } }]),
    'kustomization.yaml': stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['deployment.yaml', 'service.yaml', 'configmap.yaml'] }),
  };
}

/**
 * @param {{ teams: number, appsPerTeam: number, dir: string }} size
 * @returns {{ root: string, kustomizations: number, folders: string[] }} folders: each Kustomization's spec.path (absolute), root first
 */
export function generateFluxTree({ teams, appsPerTeam, dir }) {
  const root = dir;
  const folders = [path.join(root, 'clusters/dev')];
  const teamNames = Array.from({ length: teams }, (_, t) => `team-${String(t + 1).padStart(2, '0')}`);
  write(root, 'clusters/dev/flux-system/gotk-sync.yaml', docs([
    { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { interval: '1m', ref: { branch: 'main' }, url: 'ssh://git@github.com/example/fleet' } },
    kustomization('flux-system', './clusters/dev'),
  ]));
  write(root, 'clusters/dev/flux-system/kustomization.yaml', stringify({ resources: ['gotk-sync.yaml'] }));
  write(root, 'clusters/dev/kustomization.yaml', stringify({ resources: ['flux-system', ...teamNames.map((team) => `${team}.yaml`)] }));
  for (const team of teamNames) {
    write(root, `clusters/dev/${team}.yaml`, docs([kustomization(team, `./teams/${team}`, { targetNamespace: team })]));
    folders.push(path.join(root, 'teams', team));
    const apps = Array.from({ length: appsPerTeam }, (_, a) => `${team}-app-${String(a + 1).padStart(2, '0')}`);
    for (const app of apps) {
      write(root, `teams/${team}/${app}.yaml`, docs([kustomization(app, `./apps/${team}/${app}`)]));
      for (const [file, text] of Object.entries(appManifests(app))) write(root, `apps/${team}/${app}/${file}`, text);
      folders.push(path.join(root, 'apps', team, app));
    }
    write(root, `teams/${team}/vars.yaml`, docs([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-vars' }, data: { TEAM: team, REPLICAS: '2' } }]));
    write(root, `teams/${team}/kustomization.yaml`, stringify({
      resources: ['vars.yaml', ...apps.map((app) => `${app}.yaml`)],
      patches: [{
        target: { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization' },
        patch: stringify([{ op: 'add', path: '/spec/postBuild', value: { substituteFrom: [{ kind: 'ConfigMap', name: 'team-vars' }] } }]),
      }],
    }));
  }
  const git = (...args) => {
    const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${root}: ${result.stderr}`);
  };
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@driftline.dev', 'commit', '-q', '-m', 'Generated Flux tree');
  return { root, kustomizations: teams * (appsPerTeam + 1), folders };
}
