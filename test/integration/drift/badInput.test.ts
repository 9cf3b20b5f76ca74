// Bad input in the repo never hides the rest of the status: a malformed file or a broken kustomization makes
// its app Unknown with a message naming the file, a duplicate object is a problem naming both apps.
import * as assert from 'node:assert/strict';
import type { StatusReport } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { appOf, removeRepo, resourceOf, statusOnce, writeRepo } from './driftFixture';

describe('bad input in the repo', function () {
  this.timeout(60_000);
  const info = testCluster();
  let root: string;
  let report: StatusReport;

  before(async () => {
    const namespace = await freshNamespace('bad-input');
    const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;
    root = writeRepo([{ name: 'test', context: info.adminContext }], [
      { name: 'good', environments: ['test'], namespace, files: { 'cm.yaml': configMap('good') + '---\n' + configMap('shared') } },
      { name: 'malformed', environments: ['test'], namespace, files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n' } },
      { name: 'broken-base', environments: ['test'], namespace, files: { 'kustomization.yaml': 'resources:\n- ../does-not-exist\n' } },
      { name: 'twin', environments: ['test'], namespace, files: { 'cm.yaml': configMap('shared') } },
    ]);
    await testClient().serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good', namespace }, data: { a: 'b' } },
      { dryRun: false, fieldManager: 'driftline', force: true });
    report = await statusOnce(root, info.kubeconfig);
  });

  after(() => removeRepo(root));

  it('makes an app with malformed YAML Unknown, naming the file', () => {
    const app = appOf(report, 'test', 'malformed');
    assert.equal(app.status, 'Unknown');
    assert.match(app.reason ?? '', /apps\/malformed\/cm\.yaml/);
  });

  it('makes an app whose kustomize base is missing Unknown with kustomize\'s own message', () => {
    const app = appOf(report, 'test', 'broken-base');
    assert.equal(app.status, 'Unknown');
    assert.match(app.reason ?? '', /does-not-exist/);
  });

  it('reports an object two apps define as a problem naming both apps and the object', () => {
    const problem = report.problems?.find((candidate) => /ConfigMap\/.*\/shared is defined by two apps/.test(candidate.message));
    assert.ok(problem, JSON.stringify(report.problems));
    assert.match(problem.message, /"good".*"twin"/);
  });

  it('still compares the apps that are fine', () => {
    assert.equal(resourceOf(appOf(report, 'test', 'good'), 'ConfigMap', 'good').status, 'Synced');
  });
});
