// Restricted mode (an untrusted VS Code workspace): with `allowTools: false` no tool process starts, in
// discovery or in renders. A plain YAML app still compares with the cluster (its age-encrypted Secret too:
// age decrypts in process); a kustomize app, a Helm chart, an Argo CD app-of-apps chart, a Flux Kustomization
// and a SOPS Secret whose only key is PGP are Unknown, each saying which tool it needs and why it does not run. The tools here
// are real executables that count their runs, on PATH and at the configured paths.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { DriftEngine } from '../../../src/core/drift/engine';
import type { AppResult, StatusReport } from '../../../src/core/model';
import { encryptText, keyGroupFor } from '../../../src/core/sops';
import { testClient, testCluster, testWorkspace } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { newAgeIdentity, PGP_KEY_1 } from '../../support/sops';

const REPO_URL = 'https://git.example.com/acme/restricted.git';
const TOOLS = ['kustomize', 'kubectl', 'helm', 'gpg', 'sops'];

/** Executables named like the tools that append their name to one file and fail: what ran, and how often. */
function countingTools(): { dir: string; runs: () => string[]; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-counting-tools-'));
  const log = path.join(dir, 'runs');
  for (const tool of TOOLS) {
    fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\necho ${tool} >> '${log}'\necho '${tool} must not run here' >&2\nexit 3\n`, { mode: 0o755 });
  }
  return {
    dir,
    runs: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The age-encrypted Secret with its key group swapped for a PGP one: only gpg could open it. */
function pgpOnly(encrypted: string): string {
  const document = parse(encrypted) as { sops: Record<string, unknown> };
  delete document.sops.age;
  document.sops.pgp = [{
    created_at: '2024-01-01T00:00:00Z', fp: PGP_KEY_1,
    enc: '-----BEGIN PGP MESSAGE-----\n\nhQEMA0xZq2v1c2VjAQf/placeholder\n=abcd\n-----END PGP MESSAGE-----\n',
  }];
  return stringify(document);
}

describe('restricted mode: allowTools false', function () {
  this.timeout(60_000);
  const info = testCluster();
  const savedPath = process.env.PATH;
  const savedAgeKey = process.env.SOPS_AGE_KEY;
  let root: string;
  let namespace: string;
  let tools: ReturnType<typeof countingTools>;

  before(async () => {
    namespace = await freshNamespace('restricted');
    tools = countingTools();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-restricted-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    const { identity, recipient } = await newAgeIdentity();
    const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\nstringData:\n  key: open-sesame\n`;
    const encrypt = (name: string) => encryptText(secret(name), 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' } });
    write('.driftline.yaml', stringify({
      environments: [{ name: 'dev', context: info.adminContext }],
      apps: [
        { name: 'plain', environment: 'dev', path: 'plain', namespace, renderer: 'yaml' },
        { name: 'kustomized', environment: 'dev', path: 'kustomized', namespace, renderer: 'kustomize' },
        { name: 'chart', environment: 'dev', path: 'chart', namespace, renderer: 'helm' },
      ],
      repoURLs: [REPO_URL],
      discovery: { flux: true, argo: true, conventions: false },
    }));
    write('plain/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n');
    write('plain/age-secret.yaml', await encrypt('age-secret'));
    write('plain/pgp-secret.yaml', pgpOnly(await encrypt('pgp-secret')));
    write('kustomized/kustomization.yaml', 'resources: [config.yaml]\n');
    write('kustomized/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kustomized\n');
    write('chart/Chart.yaml', 'apiVersion: v2\nname: chart\nversion: 0.1.0\n');
    write('chart/templates/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chart\n');
    // An Argo CD app-of-apps: discovery lists the chart's Applications with helm.
    const application = (name: string, sourcePath: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n` +
      `  source:\n    repoURL: ${REPO_URL}\n    path: ${sourcePath}\n    targetRevision: HEAD\n  destination:\n    name: dev\n    namespace: ${namespace}\n`;
    write('argocd/root.yaml', application('root', 'apps'));
    write('apps/Chart.yaml', 'apiVersion: v2\nname: apps\nversion: 0.1.0\n');
    write('apps/templates/guestbook.yaml', application('guestbook', 'plain'));
    // Flux: a Kustomization in the cluster folder (an app of dev), and one that only a build places.
    const kustomization = (name: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\n` +
      `spec:\n  interval: 10m\n  path: ./flux-app\n  prune: true\n  targetNamespace: ${namespace}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    write('clusters/dev/web.yaml', kustomization('web'));
    write('teams/sync.yaml', kustomization('team'));
    write('flux-app/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flux-app\n');

    const client = testClient();
    const apply = (object: Record<string, unknown>) => client.serverSideApply(object as never, { dryRun: false, fieldManager: 'driftline', force: true });
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace }, data: { a: 'b' } });
    await apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'age-secret', namespace }, type: 'Opaque', stringData: { key: 'open-sesame' } });
    process.env.SOPS_AGE_KEY = identity;
    process.env.PATH = `${tools.dir}${path.delimiter}${savedPath}`;
  });

  after(() => {
    process.env.PATH = savedPath;
    if (savedAgeKey === undefined) delete process.env.SOPS_AGE_KEY;
    else process.env.SOPS_AGE_KEY = savedAgeKey;
    tools?.remove();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  async function statusWith(allowTools: boolean): Promise<StatusReport> {
    const configured = Object.fromEntries(['kustomize', 'kubectl', 'helm'].map((tool) => [tool, path.join(tools.dir, tool)]));
    const engine = new DriftEngine(testWorkspace(root, { renderOptions: { allowTools, tools: configured } }));
    try {
      return await engine.status();
    } finally {
      engine.close();
    }
  }

  const appOf = (report: StatusReport, name: string): AppResult => {
    const app = report.environments.flatMap((environment) => environment.apps).find((candidate) => candidate.name === name);
    if (!app) throw new Error(`no app ${name} in ${JSON.stringify(report.environments.map((e) => e.apps.map((a) => a.name)))}`);
    return app;
  };

  it('compares the plain YAML app, says which tool each other app needs, and starts no process', async () => {
    const before = tools.runs().length;
    const report = await statusWith(false);
    assert.deepEqual(tools.runs().slice(before), [], 'no tool ran');

    const plain = appOf(report, 'plain');
    const row = (kind: string, name: string) => plain.resources.find((resource) => resource.kind === kind && resource.name === name);
    assert.equal(row('ConfigMap', 'plain')?.status, 'Synced', JSON.stringify(plain));
    assert.equal(row('Secret', 'age-secret')?.status, 'Synced', row('Secret', 'age-secret')?.reason);
    assert.equal(row('Secret', 'pgp-secret')?.status, 'Unknown');
    assert.match(row('Secret', 'pgp-secret')?.reason ?? '', /pgp-secret\.yaml.*needs gpg, which does not run in an untrusted workspace/);

    const untrusted = /needs (\w+), which does not run in an untrusted workspace/;
    for (const [name, tool, folder] of [['kustomized', 'kustomize', 'kustomized'], ['chart', 'helm', 'chart'], ['root', 'helm', 'apps'], ['web', 'kustomize', 'flux-app']]) {
      const app = appOf(report, name);
      assert.equal(app.status, 'Unknown', name);
      assert.equal(untrusted.exec(app.reason ?? '')?.[1], tool, `${name}: ${app.reason}`);
      assert.ok(app.reason?.includes(name === 'web' ? 'Kustomization flux-system/web' : path.join(root, folder)), `${name}'s reason names it: ${app.reason}`);
    }
    assert.equal(appOf(report, 'web').path, path.join(root, 'flux-app'));
    // A Flux Kustomization outside the cluster folders: only a build tells which cluster applies it.
    assert.deepEqual(report.problems?.filter((problem) => problem.file === path.join(root, 'teams/sync.yaml')).map((problem) => problem.message),
      ['Kustomization flux-system/team is not listed: only a kustomize build tells which cluster applies it, and kustomize does not run in an untrusted workspace']);
  });

  it('runs the tools when they are allowed (the same repo, the same counting tools)', async () => {
    const before = tools.runs().length;
    const report = await statusWith(true);
    const ran = new Set(tools.runs().slice(before));
    assert.ok(ran.has('kustomize') && ran.has('helm') && ran.has('gpg'), `ran: ${[...ran].join(', ')}`);
    assert.match(appOf(report, 'kustomized').reason ?? '', /kustomize must not run here/);
  });
});
