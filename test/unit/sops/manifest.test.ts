// SOPS-encrypted Kubernetes manifests decrypted in memory for the drift engine (like Flux's spec.decryption).
import assert from 'node:assert/strict';
import { parse, stringify } from 'yaml';
import { decryptManifestIfSops, encryptText, keyGroupFor, SopsError } from '../../../src/core/sops';
import { isolatedEnv, newAgeIdentity } from '../../support/sops';

const SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db-credentials',
  '  namespace: apps',
  'type: Opaque',
  'stringData:',
  '  password: s3cr3t',
  '  port: "5432"',
  '',
].join('\n');

describe('decryptManifestIfSops', () => {
  let identity: string;
  let encrypted: string;
  before(async () => {
    const key = await newAgeIdentity();
    identity = key.identity;
    encrypted = await encryptText(SECRET, 'yaml', {
      keyGroups: keyGroupFor({ age: [key.recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' }, env: isolatedEnv(),
    });
  });

  it('returns the plaintext manifest of an encrypted Secret, in memory', async () => {
    const plaintext = await decryptManifestIfSops(encrypted, 'apps/db-secret.yaml', { ageIdentities: [identity], env: isolatedEnv() });
    assert.equal(plaintext, SECRET);
  });

  it('still decrypts after the manifest went through a parse/serialize cycle (as rendered by kustomize)', async () => {
    const rendered = stringify(parse(encrypted));
    const plaintext = await decryptManifestIfSops(rendered, 'apps/db-secret.yaml', { ageIdentities: [identity], env: isolatedEnv() });
    assert.deepEqual(parse(plaintext!), parse(SECRET));
  });

  it('returns undefined for a manifest that is not SOPS-encrypted', async () => {
    assert.equal(await decryptManifestIfSops(SECRET, 'apps/plain.yaml'), undefined);
    assert.equal(await decryptManifestIfSops('kind: ConfigMap\ndata:\n  sops: "not metadata"\n', 'apps/cm.yaml'), undefined);
  });

  it('throws a SopsError naming the manifest file when no key can decrypt it', async () => {
    await assert.rejects(decryptManifestIfSops(encrypted, 'apps/db-secret.yaml', { env: isolatedEnv() }),
      (err: unknown) => err instanceof SopsError && err.message.startsWith('apps/db-secret.yaml: no age identity found'));
  });
});
