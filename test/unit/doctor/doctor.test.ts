// `driftline doctor` on a repo made here (real kubectl kustomize): each rule flags the object it is about,
// where the user fixes it, and leaves alone the one beside it that is fine. Output as text, JSON and SARIF.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { runDoctorCommand } from '../../../src/cli/doctor';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { runCommand } from '../cli/listCommands';

const kustomization = (name: string, folder: string, spec: Record<string, unknown> = {}) => stringify({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '10m', path: folder, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
});
const probe = { httpGet: { path: '/', port: 80 } };
const deployment = (name: string, containers: Record<string, unknown>[], initContainers: Record<string, unknown>[] = []) => stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers, initContainers } } },
});
const helmRelease = (name: string, version: string | undefined, repository: string) => stringify({
  apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'flux-system' },
  spec: { interval: '1h', chart: { spec: { chart: name, ...(version ? { version } : {}), sourceRef: { kind: 'HelmRepository', name: repository } } } },
});
const application = (name: string, syncPolicy?: Record<string, unknown>) => stringify({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
  spec: {
    project: 'default', source: { repoURL: 'https://example.com/fleet.git', path: 'guestbook', targetRevision: 'HEAD' },
    destination: { name: 'prod', namespace: name }, ...(syncPolicy ? { syncPolicy } : {}),
  },
});

const FILES = {
  '.driftline.yaml': 'repoURLs: [https://example.com/fleet.git]\n',
  '.sops.yaml': 'creation_rules:\n  - path_regex: .*secret.*\\.yaml$\n    age: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n',
  'clusters/dev/flux-system/gotk-sync.yaml': [
    stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://example.com/fleet.git' } }),
    kustomization('flux-system', './clusters/dev'),
  ].join('---\n'),
  'clusters/dev/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
  'clusters/dev/infra.yaml': kustomization('infra', './infra'),
  'clusters/dev/apps.yaml': kustomization('apps', './apps', { wait: true, dependsOn: [{ name: 'infra' }] }),
  'clusters/dev/web.yaml': kustomization('web', './web', { dependsOn: [{ name: 'databases' }] }),
  'clusters/dev/extras.yaml': kustomization('extras', './extras', { sourceRef: { kind: 'GitRepository', name: 'extras-repo' } }),
  'infra/repository.yaml': stringify({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'charts', namespace: 'flux-system' }, spec: { url: 'http://127.0.0.1:9/charts' } }),
  'infra/releases.yaml': [helmRelease('podinfo', '6.x', 'charts'), helmRelease('redis', '1.2.3', 'bitnami')].join('---\n'),
  'infra/config-secret.yaml': stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain-config', namespace: 'infra' }, stringData: { password: 'doctor-test-password' } }),
  'apps/deploy.yaml': deployment('api', [{ name: 'api', image: 'nginx:1.25', readinessProbe: probe, livenessProbe: probe }]),
  'apps/settings.yaml': stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'settings', namespace: 'apps' }, stringData: { mode: 'fast' } }),
  'web/deploy.yaml': deployment('web', [{ name: 'web', image: 'registry.local:5000/web', readinessProbe: probe }], [{ name: 'migrate', image: 'busybox:latest' }]),
  'argocd/manual.yaml': application('manual'),
  'argocd/auto.yaml': application('auto', { automated: { prune: true } }),
  'argocd/healing.yaml': application('healing', { automated: { prune: true, selfHeal: true } }),
  'guestbook/cm.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'guestbook' }, data: { a: 'b' } }),
};

interface JsonFinding { rule: string; severity: string; message: string; location: { file: string; line?: number }; app?: string }

describe('driftline doctor', function () {
  this.timeout(60_000);
  let repo: string;
  let findings: JsonFinding[];
  before(async () => {
    repo = await writeRepo(FILES);
    const { code, stdout, stderr } = await runCommand(runDoctorCommand, ['--repo', repo, '--format', 'json']);
    assert.equal(code, 1, stderr);
    findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings; 
  });
  after(removeTempRepos);

  const of = (rule: string) => findings.filter((finding) => finding.rule === rule);
  const relative = (finding: JsonFinding) => `${finding.location.file.slice(repo.length + 1)}:${finding.location.line ?? ''}`;

  it('flags a Deployment container without probes, not the one that has both', () => {
    const probes = of('missing-probes');
    assert.deepEqual(probes.map(relative), ['web/deploy.yaml:1']);
    assert.match(probes[0]!.message, /Deployment web has containers without probes: web \(no liveness probe\)/);
  });

  it('flags images without a tag or by :latest (a registry port is not a tag), not nginx:1.25', () => {
    const images = of('unpinned-image');
    assert.equal(images.length, 1);
    assert.match(images[0]!.message, /migrate: busybox:latest, web: registry\.local:5000\/web/);
  });

  it('flags a chart by a range, not one by an exact version', () => {
    const charts = of('unpinned-chart');
    assert.equal(charts.length, 1, JSON.stringify(charts));
    assert.match(charts[0]!.message, /HelmRelease flux-system\/podinfo installs chart podinfo by the range "6\.x"/);
    assert.equal(relative(charts[0]!), 'infra/releases.yaml:1');
  });

  it('flags a sourceRef and a chart source that name nothing, not the bootstrap GitRepository or a HelmRepository in Git', () => {
    const sources = of('source-ref-missing');
    assert.deepEqual(sources.map((finding) => finding.message.replace(/,.*/, '')).sort(), [
      'HelmRelease flux-system/redis takes its source from HelmRepository flux-system/bitnami',
      'Kustomization flux-system/extras takes its source from GitRepository flux-system/extras-repo',
    ]);
  });

  it('flags a dependsOn naming no Kustomization, not one naming a Kustomization in Git', () => {
    const depends = of('depends-on-missing');
    assert.equal(depends.length, 1);
    assert.match(depends[0]!.message, /Kustomization flux-system\/web depends on Kustomization flux-system\/databases, which is not in Git/);
    assert.equal(depends[0]!.severity, 'error');
  });

  it('flags a Kustomization of workloads without wait or healthChecks, not one that waits or one without workloads', () => {
    const health = of('no-health-checks');
    assert.deepEqual(health.map(relative), ['clusters/dev/web.yaml:1']);
    assert.match(health[0]!.message, /applies Deployment web but has no spec\.wait or spec\.healthChecks/);
  });

  it('flags a plaintext Secret where a .sops.yaml rule expects encryption, not one outside the rule', () => {
    const secrets = of('plaintext-secret');
    assert.deepEqual(secrets.map(relative), ['infra/config-secret.yaml:2']);
    assert.match(secrets[0]!.message, /Secret plain-config holds plaintext data, but creation rule 1 of .*\.sops\.yaml says this file should be SOPS-encrypted/);
    assert.doesNotMatch(JSON.stringify(findings), /doctor-test-password/);
  });

  it('notes an Application without automated sync or selfHeal, not one with both', () => {
    const argo = of('argo-manual-sync');
    assert.deepEqual(argo.map(relative).sort(), ['argocd/auto.yaml:1', 'argocd/manual.yaml:1']);
    assert.ok(argo.every((finding) => finding.severity === 'note'));
  });

  it('warns of an app that does not render here, naming why (its chart repository does not answer)', () => {
    const failures = of('render-failure');
    assert.deepEqual(failures.map((finding) => finding.app), ['podinfo']);
    assert.equal(failures[0]!.severity, 'warning');
    assert.match(failures[0]!.message, /app podinfo does not render: .*127\.0\.0\.1:9/);
  });

  it('prints compiler-style lines with the counts, and says which rules need --live', async () => {
    const { code, stdout } = await runCommand(runDoctorCommand, ['--repo', repo]);
    assert.equal(code, 1);
    assert.match(stdout, /^clusters\/dev\/web\.yaml:1: error \[depends-on-missing\] /m);
    assert.match(stdout, /\n\d+ errors?, \d+ warnings?, 2 notes \(not checked without --live: prune-off-extra\)\n$/);
  });

  it('writes SARIF 2.1.0 with the rules and relative locations', async () => {
    const { stdout } = await runCommand(runDoctorCommand, ['--repo', repo, '--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const [run] = sarif.runs;
    assert.ok(run.tool.driver.rules.some((rule: { id: string }) => rule.id === 'missing-probes'));
    const probe = run.results.find((result: { ruleId: string }) => result.ruleId === 'missing-probes');
    assert.equal(probe.level, 'warning');
    assert.deepEqual(probe.locations[0].physicalLocation, { artifactLocation: { uri: 'web/deploy.yaml', uriBaseId: 'SRCROOT' }, region: { startLine: 1 } });
    assert.equal(run.results.length, findings.length);
  });

  it('takes rule settings from .driftline.yaml: off drops a rule, a severity re-ranks it, an unknown id is a problem naming the known ones', async () => {
    const tuned = await writeRepo({
      ...FILES,
      '.driftline.yaml': 'repoURLs: [https://example.com/fleet.git]\ndoctor:\n  rules:\n    missing-probes: off\n    argo-manual-sync: error\n    no-probes: off\n',
    });
    const { stdout } = await runCommand(runDoctorCommand, ['--repo', tuned, '--format', 'json']);
    const tunedFindings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    assert.equal(tunedFindings.filter((finding) => finding.rule === 'missing-probes').length, 0);
    assert.ok(tunedFindings.filter((finding) => finding.rule === 'argo-manual-sync').every((finding) => finding.severity === 'error'));
    const problem = tunedFindings.find((finding) => finding.rule === 'repo-problem');
    assert.ok(problem, 'the unknown rule id is reported');
    assert.match(problem.message, /doctor\.rules\.no-probes: no doctor rule "no-probes" \(rules: repo-problem, render-failure, plaintext-secret, /);
    assert.equal(relative(problem), '.driftline.yaml:6');
  });

  it('exits 0 on a repo with nothing to say, and 2 naming a bad --format', async () => {
    const clean = await writeRepo({ 'clusters/dev/app/cm.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { a: 'b' } }) });
    const ok = await runCommand(runDoctorCommand, ['--repo', clean]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /^0 errors, 0 warnings, 0 notes/);
    const bad = await runCommand(runDoctorCommand, ['--repo', clean, '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be one of text, json, sarif/);
  });
});
