import * as assert from 'node:assert/strict';
import type { StatusReport } from '../../../src/core/model';
import { formatTable, jsonReport } from '../../../src/cli/status';
import { parseStatusArgs, UsageError } from '../../../src/cli/statusArgs';

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'podinfo', namespace: 'podinfo' }, spec: { type: 'ClusterIP' } };
const report: StatusReport = {
  repo: '/repo', generatedAt: '2026-01-01T00:00:00.000Z', problems: [{ file: '/repo/apps/a.yaml', line: 3, message: 'malformed YAML' }],
  environments: [
    {
      name: 'staging', context: 'kind-staging', protected: false, apps: [{
        name: 'podinfo', environment: 'staging', status: 'OutOfSync', renderer: 'kustomize', path: '/repo/apps/staging',
        counts: { synced: 1, outOfSync: 1, missing: 0, extra: 0, unknown: 0 },
        resources: [
          { apiVersion: 'v1', kind: 'Service', namespace: 'podinfo', name: 'podinfo', status: 'Synced',
            live: service, desired: service },
          { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'podinfo', name: 'podinfo', status: 'OutOfSync', reason: 'changed: /spec/replicas', comparison: 'client-side' },
        ],
      }],
    },
    { name: 'production', context: 'prod', protected: true, reason: 'cluster unreachable: context "prod"', apps: [] },
  ],
};

describe('driftline status output', () => {
  it('prints a table row per app with its counts, then what is not in sync and why', () => {
    const text = formatTable(report);
    assert.match(text, /^ENVIRONMENT\s+APP\s+STATUS\s+SYNCED\s+OUTOFSYNC\s+MISSING\s+EXTRA\s+UNKNOWN$/m);
    assert.match(text, /^staging\s+podinfo\s+OutOfSync\s+1\s+1\s+0\s+0\s+0$/m);
    assert.match(text, /^staging\/podinfo: OutOfSync Deployment\/podinfo\/podinfo: changed: \/spec\/replicas \(client-side comparison: dry-run not allowed\)$/m);
    assert.match(text, /^production: cluster unreachable: context "prod"$/m);
    assert.match(text, /^\/repo\/apps\/a.yaml:3: malformed YAML$/m);
    assert.doesNotMatch(text, /Service\/podinfo\/podinfo/, 'Synced resources are not listed');
  });

  it('leaves the live and desired objects out of --json and keeps every other field', () => {
    const json = jsonReport(report) as StatusReport;
    const [synced, drifted] = json.environments[0].apps[0].resources;
    assert.deepEqual(Object.keys(synced), ['apiVersion', 'kind', 'namespace', 'name', 'status']);
    assert.doesNotMatch(JSON.stringify(json), /ClusterIP/);
    assert.equal(drifted.reason, 'changed: /spec/replicas');
    assert.equal(json.environments[1].reason, 'cluster unreachable: context "prod"');
  });
});

describe('driftline status options', () => {
  it('reads filters, kubeconfig and concurrency, with values inline or separate', () => {
    const parsed = parseStatusArgs(['--repo', '/tmp/r', '--env=staging', '--app', 'web', '--context', 'kind', '--kubeconfig', 'a:b', '--concurrency', '3', '--always-dry-run', '--json'], { json: true });
    assert.deepEqual(parsed, { repo: '/tmp/r', filter: { env: 'staging', app: 'web', context: 'kind' }, kubeconfig: 'a:b', concurrency: 3, alwaysDryRun: true, json: true });
  });

  it('refuses unknown options, missing values and --json where it has no meaning, naming them', () => {
    assert.throws(() => parseStatusArgs(['--colour'], { json: true }), new UsageError('unknown option --colour'));
    assert.throws(() => parseStatusArgs(['--env'], { json: true }), /--env needs a value/);
    assert.throws(() => parseStatusArgs(['--concurrency', '0'], { json: true }), /--concurrency needs a whole number/);
    assert.throws(() => parseStatusArgs(['--json'], { json: false }), /unknown option --json/);
    assert.throws(() => parseStatusArgs(['--always-dry-run=yes'], { json: true }), /--always-dry-run takes no value/);
  });
});
