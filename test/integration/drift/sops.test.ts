// SOPS-encrypted Secrets in Git are decrypted in memory (with the keys sops itself would use) and compared with
// the live Secret; without a key they are Unknown, naming the file, and the rest of the app still compares.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import { encryptText, keyGroupFor } from '../../../src/core/sops';
import { testClient, testCluster } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { newAgeIdentity } from '../../support/sops';
import { appOf, removeRepo, resourceOf, statusOnce, writeRepo } from './driftFixture';

describe('SOPS-encrypted Secrets in Git', function () {
  this.timeout(60_000);
  const info = testCluster();
  const savedKey = process.env.SOPS_AGE_KEY;
  let root: string;
  let namespace: string;

  before(async () => {
    namespace = await freshNamespace('sops');
    const { identity, recipient } = await newAgeIdentity();
    const plaintext = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-key\n  namespace: ${namespace}\ntype: Opaque\nstringData:\n  key: open-sesame\n`;
    const encrypted = await encryptText(plaintext, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' } });
    root = writeRepo([{ name: 'test', context: info.adminContext }], [{
      name: 'web', environments: ['test'], namespace,
      files: { 'secret.enc.yaml': encrypted, 'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\n' },
    }]);
    const client = testClient();
    await client.serverSideApply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-key', namespace }, type: 'Opaque', stringData: { key: 'open-sesame' } },
      { dryRun: false, fieldManager: 'driftline', force: true });
    await client.serverSideApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace }, data: { a: 'b' } },
      { dryRun: false, fieldManager: 'driftline', force: true });
    process.env.SOPS_AGE_KEY = identity;
  });

  after(() => {
    if (savedKey === undefined) delete process.env.SOPS_AGE_KEY;
    else process.env.SOPS_AGE_KEY = savedKey;
    removeRepo(root);
  });

  const status = () => statusOnce(root, info.kubeconfig);

  it('compares the decrypted Secret with the live one: Synced, and no plaintext in the report', async () => {
    const report = await status();
    const secret = resourceOf(appOf(report, 'test', 'web'), 'Secret', 'api-key');
    assert.equal(secret.status, 'Synced', secret.reason);
    assert.ok(!JSON.stringify(report).includes('open-sesame'));
    assert.ok(!JSON.stringify(report).includes(Buffer.from('open-sesame').toString('base64')));
  });

  it('reports the Secret Unknown, naming its file, when no key can decrypt it', async () => {
    delete process.env.SOPS_AGE_KEY;
    const app = appOf(await status(), 'test', 'web');
    const secret = app.resources.find((resource) => resource.kind === 'Secret');
    assert.equal(secret?.status, 'Unknown');
    assert.match(secret?.reason ?? '', new RegExp(path.join(root, 'apps/web/secret.enc.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    assert.equal(resourceOf(app, 'ConfigMap', 'web').status, 'Synced');
  });
});
