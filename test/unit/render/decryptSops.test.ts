import assert from 'node:assert/strict';
import path from 'node:path';
import type { AppDefinition } from '../../../src/core/model';
import type { DecryptSecret } from '../../../src/core/render/options';
import { renderApp } from '../../../src/core/render/renderApp';
import { decryptManifestIfSops, encryptText, keyGroupFor } from '../../../src/core/sops';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { isolatedEnv, newAgeIdentity } from '../../support/sops';

// The shape of a SOPS-encrypted Secret manifest (what `sops -e` writes); decryption itself is src/core/sops'.
const ENCRYPTED = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db',
  'stringData:',
  '  password: ENC[AES256_GCM,data:c2VjcmV0,iv:aXY=,tag:dGFn,type:str]',
  'sops:',
  '  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]',
  '  lastmodified: "2025-01-01T00:00:00Z"',
  '  version: 3.9.0',
].join('\n');

describe('SOPS-encrypted Secrets in rendering', () => {
  let folder: string;
  const app = (renderer: AppDefinition['renderer']): AppDefinition =>
    ({ name: 'db', environment: 'dev', renderer, path: folder, origin: 'config', declaredAt: { file: folder } });
  before(async () => {
    const root = await writeRepo({ 'db/secret.yaml': ENCRYPTED, 'db/kustomization.yaml': 'resources: [secret.yaml]\n' });
    folder = path.join(root, 'db');
  });
  after(removeTempRepos);

  it('passes each encrypted file to the decryptSecret hook and renders the plaintext it returns', async () => {
    const seen: string[] = [];
    const rendered = await renderApp(app('yaml'), {
      decryptSecret: async (text, file) => {
        seen.push(file);
        return text.replace(/ENC\[[^\]]*\]/, 'hunter2').replace(/\nsops:[\s\S]*$/, '\n');
      },
    });
    assert.deepEqual(seen, [path.join(folder, 'secret.yaml')]);
    assert.equal(rendered.objects.length, 1);
    assert.deepEqual(rendered.objects[0].object.stringData, { password: 'hunter2' });
    assert.equal(rendered.objects[0].unknownReason, undefined);
  });

  it('marks an encrypted Secret Unknown when no decryption is configured, never comparing ciphertext', async () => {
    for (const renderer of ['yaml', 'kustomize'] as const) {
      const rendered = await renderApp(app(renderer));
      assert.equal(rendered.error, undefined, renderer);
      assert.match(rendered.objects[0].unknownReason ?? '', /^SOPS-encrypted \(.*secret\.yaml.*\); no decryption key configured$/, renderer);
    }
  });

  it('marks the Secret Unknown with the hook\'s message when decryption fails', async () => {
    const rendered = await renderApp(app('kustomize'), { decryptSecret: async () => { throw new Error('no age identity matches'); } });
    assert.match(rendered.objects[0].unknownReason ?? '', /cannot decrypt SOPS-encrypted Secret\/db .*: no age identity matches$/);
  });
});

describe('SOPS-encrypted Secrets with the real sops module plugged in', () => {
  after(removeTempRepos);

  it('renders the plaintext of an age-encrypted Secret, from a plain folder and through kustomize', async () => {
    const { identity, recipient } = await newAgeIdentity();
    const plaintext = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: hunter2\n';
    const encrypted = await encryptText(plaintext, 'yaml', {
      keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' }, env: isolatedEnv(),
    });
    const root = await writeRepo({ 'db/secret.yaml': encrypted, 'db/kustomization.yaml': 'resources: [secret.yaml]\n' });
    const decryptSecret = (text: string, file: string) => decryptManifestIfSops(text, file, { ageIdentities: [identity], env: isolatedEnv() });
    for (const renderer of ['yaml', 'kustomize'] as const) {
      const rendered = await renderApp(
        { name: 'db', environment: 'dev', renderer, path: path.join(root, 'db'), origin: 'config', declaredAt: { file: root } }, { decryptSecret });
      assert.equal(rendered.objects[0].unknownReason, undefined, renderer);
      assert.deepEqual(rendered.objects[0].object.stringData, { password: 'hunter2' }, renderer);
      assert.equal('sops' in rendered.objects[0].object, false, renderer);
    }
  });

  it('decrypts a Flux Kustomization\'s Secret that its kustomize build changed, without the MAC as kustomize-controller does; elsewhere the MAC is checked', async () => {
    const { identity, recipient } = await newAgeIdentity();
    const plaintext = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n';
    const encrypted = await encryptText(plaintext, 'yaml', {
      keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' }, env: isolatedEnv(),
    });
    // The build adds a namespace, a label and a prefix: the MAC over the values no longer matches.
    const root = await writeRepo({
      'db/secret.yaml': encrypted,
      'db/kustomization.yaml': 'namespace: shop\nnamePrefix: prod-\nlabels: [{ pairs: { team: shop } }]\nresources: [secret.yaml]\n',
    });
    const decryptSecret: DecryptSecret = (text, file, how) => decryptManifestIfSops(text, file, { ageIdentities: [identity], env: isolatedEnv(), ...how });
    const appOf = (origin: AppDefinition['origin']): AppDefinition =>
      ({ name: 'db', environment: 'dev', renderer: 'kustomize', path: path.join(root, 'db'), origin, declaredAt: { file: root } });

    const flux = (await renderApp(appOf('flux-kustomization'), { decryptSecret })).objects[0];
    assert.equal(flux.unknownReason, undefined);
    assert.deepEqual(flux.object.stringData, { password: 'hunter2' });
    assert.equal(flux.object.metadata.namespace, 'shop');
    assert.equal(flux.object.metadata.name, 'prod-db');

    const argo = (await renderApp(appOf('argo-application'), { decryptSecret })).objects[0];
    assert.match(argo.unknownReason ?? '', /cannot decrypt SOPS-encrypted Secret\/prod-db .*secret\.yaml.*MAC mismatch/);
    assert.match(String((argo.object.stringData as Record<string, unknown>).password), /^ENC\[/, 'left as ciphertext, marked Unknown');
  });
});
