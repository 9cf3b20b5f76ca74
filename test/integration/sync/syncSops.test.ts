// Sync of an app holding a SOPS-encrypted Secret: planned and applied with the value decrypted in memory
// (keys found as sops finds them, here SOPS_AGE_KEY_FILE), blocked with a message naming the file without a key.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { encryptText, keyGroupFor } from '../../../src/core/sops';
import { applySyncPlan, prepareSync, type SyncPlan } from '../../../src/core/sync';
import { testClient, testWorkspace } from '../../support/cluster';
import { freshNamespace } from '../../support/namespace';
import { plaintextSecret } from '../../support/plaintext';
import { newAgeIdentity, removeTempDirs, tempDir } from '../../support/sops';
import { decodeSecret, makeSyncRepo, ref, type SyncRepo } from './syncFixture';

const admin = testClient();

describe('core/sync: an app with a SOPS-encrypted Secret', () => {
  const fromSops = plaintextSecret('from-sops');
  let namespace: string;
  let repo: SyncRepo;
  let keyFile: string;
  const savedKeyFile = process.env.SOPS_AGE_KEY_FILE;

  beforeEach(async () => {
    namespace = await freshNamespace('sync-sops', admin);
    repo = makeSyncRepo({ namespace, objects: [] });
    const { identity, recipient } = await newAgeIdentity();
    keyFile = path.join(tempDir(), 'keys.txt');
    fs.writeFileSync(keyFile, `${identity}\n`);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-db', namespace }, type: 'Opaque', stringData: { password: fromSops } };
    fs.writeFileSync(path.join(repo.root, 'apps', 'shop', 'secret.yaml'), await encryptText(stringify(secret), 'yaml', {
      keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' },
    }));
  });
  afterEach(() => {
    if (savedKeyFile === undefined) delete process.env.SOPS_AGE_KEY_FILE;
    else process.env.SOPS_AGE_KEY_FILE = savedKeyFile;
    repo.cleanup();
    removeTempDirs();
  });

  const plan = async () => {
    const prepared = await prepareSync(testWorkspace(repo.root), { environment: 'dev', app: 'shop' });
    prepared.target.client.close();
    return (prepared as { plan: SyncPlan }).plan;
  };

  it('creates the Secret with its decrypted value', async () => {
    process.env.SOPS_AGE_KEY_FILE = keyFile;
    const planned = await plan();
    assert.deepEqual(planned.blocked, []);
    await applySyncPlan(admin, planned);
    assert.equal(decodeSecret(await admin.get(ref('Secret', namespace, 'shop-db')), 'password'), fromSops);
  });

  it('is blocked, naming the encrypted file, when no key decrypts it, and writes nothing', async () => {
    process.env.SOPS_AGE_KEY_FILE = path.join(tempDir(), 'no-keys.txt');
    const planned = await plan();
    assert.equal(planned.blocked.length, 1);
    assert.match(planned.blocked[0]!.reason, /cannot decrypt SOPS-encrypted Secret\/shop-db \(.*apps\/shop\/secret\.yaml/);
    assert.equal(await admin.get(ref('Secret', namespace, 'shop-db')), undefined);
  });
});
