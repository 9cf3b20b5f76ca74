import assert from 'node:assert/strict';
import { discoverRepo } from '../../../src/core/discovery/discoverRepo';
import type { DesiredObject, KubeObject, PostBuildSubstitution, SubstituteSource } from '../../../src/core/model';
import { expand, SubstitutionSyntaxError } from '../../../src/core/render/envsubst';
import { applyPostBuild, needsLiveSources } from '../../../src/core/render/postBuild';
import { renderApp } from '../../../src/core/render/renderApp';
import { substituteText } from '../../../src/core/render/substituteVariables';
import { decryptManifestIfSops, encryptText, keyGroupFor } from '../../../src/core/sops';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';
import { plaintextSecret } from '../../support/plaintext';
import { newAgeIdentity } from '../../support/sops';

const configMap = (name: string, data: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'flux-system', ...extra }, data });
const secret = (name: string, data: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'flux-system' }, data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')])) });
const built = (object: KubeObject, optional = false): SubstituteSource =>
  ({ kind: object.kind as 'ConfigMap' | 'Secret', namespace: 'flux-system', name: object.metadata.name, optional, built: { object, file: '/repo/vars.yaml' } });
const desired = (object: KubeObject): DesiredObject => ({ object, source: { file: '/repo/app/cm.yaml' } });
const dataOf = (outcome: Awaited<ReturnType<typeof applyPostBuild>>, index = 0) => {
  assert.ok('objects' in outcome, 'unknownReason' in outcome ? outcome.unknownReason : '');
  return outcome.objects[index].object.data;
};

describe('Flux post-build substitution', () => {
  after(removeTempRepos);

  describe('the expansion (fluxcd/pkg envsubst)', () => {
    const values = { region: 'eu-west', empty: '', path: 'a/b/c.tar.gz', name: 'Driftline' };
    const run = (text: string) => expand(text, (name) => (name in values ? values[name as keyof typeof values] : undefined));

    it('gives values and defaults as the controller does: every default operator falls back on an empty value too', () => {
      assert.equal(substituteText('a: ${region}\nb: ${missing:=fallback}\nc: ${empty:-x}\nd: ${empty=y}\ne: ${region:+alt}\nf: ${missing:=${region}}\n', values),
        'a: eu-west\nb: fallback\nc: x\nd: y\ne: eu-west\nf: eu-west\n');
    });

    it('keeps `$$` as one `$` (so `$${name}` is written `${name}`) and leaves `$name` without braces alone', () => {
      assert.equal(run('a: $${region}\nb: echo $$HOME $region\nc: $$$${region}').text, 'a: ${region}\nb: echo $HOME $region\nc: $${region}');
    });

    it('transforms values: case, length in bytes, substrings, prefix/suffix globs and replacements', () => {
      assert.equal(run('${name,,} ${name^^} ${name,} ${region^} ${#name} ${region:3} ${region:0:2} ${region:-4} ${region:1:-1}').text,
        'driftline DRIFTLINE driftline Eu-west 9 west eu eu-west u-wes');
      assert.equal(run('${region:-4}').text, 'eu-west', '`:-` is the default operator, not a negative offset');
      // Globs are Go's path.Match: `*` never crosses a `/` (unlike bash, `##*/` removes only `a/`).
      assert.equal(run('${path#*/} ${path##*/} ${path##a*} ${path%.*} ${path%%.*}').text, 'b/c.tar.gz b/c.tar.gz /b/c.tar.gz a/b/c.tar a/b/c');
      assert.equal(run('${region/e/E} ${region//e/E} ${region/#eu/EU} ${region/%west/WEST} ${region/-/}').text, 'Eu-west Eu-wEst EU-west eu-WEST euwest');
    });

    it('names the variables used without value or default, and refuses what the controller cannot parse', () => {
      assert.deepEqual(run('${region} ${TUNNEL_ID} ${OTHER:=x} ${#LEN}').unset, ['TUNNEL_ID', 'LEN']);
      for (const bad of ['${region-default}', '${unclosed', '${}', '${region/x}', '${region:}']) {
        assert.throws(() => run(bad), SubstitutionSyntaxError, bad);
      }
    });
  });

  describe('variables merged as kustomize-controller merges them', () => {
    const objects = [desired(configMap('settings', { a: '${A}', b: '${B}', c: '${C}', d: '${D:=fallback}' }))];

    it('applies substituteFrom in list order, a later source overriding an earlier one, then substitute over all; Secrets base64-decoded, newlines removed', async () => {
      const substitution: PostBuildSubstitution = {
        variables: { C: 'inline' },
        from: [built(configMap('first', { A: 'first', B: 'first', C: 'first' })), built(secret('second', { B: 'from\nsecret', C: 'second' }))],
      };
      assert.deepEqual(dataOf(await applyPostBuild(objects, substitution, undefined)), { a: 'first', b: 'fromsecret', c: 'inline', d: 'fallback' });
    });

    it('marks the fields a Secret filled, for masking; a ConfigMap later overriding the variable unmarks it', async () => {
      const token = plaintextSecret('token');
      const outcome = await applyPostBuild([desired(configMap('settings', { token: 'Bearer ${TOKEN}', plain: '${A}' }))],
        { variables: {}, from: [built(secret('s', { TOKEN: token, A: 'secret-a' })), built(configMap('c', { A: 'plain-a' }))] }, undefined);
      assert.ok('objects' in outcome);
      assert.deepEqual(outcome.objects[0].secretPaths, ['/data/token']);
      assert.deepEqual(outcome.objects[0].object.data, { token: `Bearer ${token}`, plain: 'plain-a' });
    });

    it('substitutes nothing, not even defaults, when there is no variable at all (an optional source missing), and skips objects that opt out', async () => {
      const substitution: PostBuildSubstitution = { variables: {}, from: [{ kind: 'ConfigMap', namespace: 'flux-system', name: 'absent', optional: true }] };
      const outcome = await applyPostBuild(objects, substitution, undefined, async () => undefined);
      assert.deepEqual(dataOf(outcome), { a: '${A}', b: '${B}', c: '${C}', d: '${D:=fallback}' });
      const optedOut = [
        desired(configMap('by-label', { a: '${A}' }, { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } })),
        desired(configMap('by-annotation', { a: '${A}' }, { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } })),
      ];
      const skipped = await applyPostBuild(optedOut, { variables: { A: 'x' }, from: [] }, undefined);
      assert.deepEqual([dataOf(skipped, 0), dataOf(skipped, 1)], [{ a: '${A}' }, { a: '${A}' }]);
    });

    it('fails the app as the controller fails the Kustomization: a missing source, an invalid variable name, a variable without value', async () => {
      const reasonOf = async (substitution: PostBuildSubstitution, readLive?: () => Promise<KubeObject | undefined>) => {
        const outcome = await applyPostBuild(objects, substitution, undefined, readLive);
        assert.ok('unknownReason' in outcome);
        return outcome.unknownReason;
      };
      assert.match(await reasonOf({ variables: {}, from: [{ kind: 'Secret', namespace: 'apps', name: 'tunnel', optional: false }] }, async () => undefined),
        /^postBuild.substituteFrom: Secret apps\/tunnel is neither in the build output nor in the cluster/);
      assert.match(await reasonOf({ variables: {}, from: [{ kind: 'ConfigMap', namespace: 'apps', name: 'vars', optional: true }] },
        async () => { throw new Error('Forbidden: user "u" may not get ConfigMap/apps/vars'); }), /ConfigMap apps\/vars cannot be read: Forbidden/);
      assert.match(await reasonOf({ variables: {}, from: [built(configMap('vars', { 'app.name': 'x' }))] }),
        /"app\.name" \(from ConfigMap flux-system\/vars\) is no valid variable name/);
      assert.match(await reasonOf({ variables: { A: 'a' }, from: [] }), /^postBuild: \$\{B\} \(and \$\{C\}\) in ConfigMap\/settings \(\/repo\/app\/cm.yaml\) has no value/);
    });

    it('decrypts a SOPS-encrypted Secret of the build output in memory; its value appears in no message', async () => {
      const { identity, recipient } = await newAgeIdentity();
      const value = plaintextSecret('api-key');
      const plaintext = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-vars\n  namespace: flux-system\nstringData:\n  API_KEY: ${value}\n`;
      const encrypted = await encryptText(plaintext, 'yaml', { keyGroups: keyGroupFor({ age: [recipient] }), cryptRules: { encrypted_regex: '^(data|stringData)$' } });
      const { parse } = await import('yaml');
      const source = built(parse(encrypted) as KubeObject);
      const decrypt = async (text: string, file: string) => decryptManifestIfSops(text, file, { ageIdentities: [identity], verifyMac: false, env: {} });
      const outcome = await applyPostBuild([desired(configMap('settings', { key: '${API_KEY}' }))], { variables: {}, from: [source] }, decrypt);
      assert.deepEqual(dataOf(outcome), { key: value });
      const failed = await applyPostBuild([desired(configMap('settings', { key: '${API_KEY}', other: '${NOPE}' }))], { variables: {}, from: [source] }, decrypt);
      assert.ok('unknownReason' in failed && !failed.unknownReason.includes(value));
      const noKey = await applyPostBuild(objects, { variables: {}, from: [source] }, undefined);
      assert.ok('unknownReason' in noKey);
      assert.match(noKey.unknownReason, /^postBuild.substituteFrom: Secret flux-system\/sops-vars: SOPS-encrypted \(\/repo\/vars.yaml\); no decryption key configured/);
    });
  });

  it('renders a Flux Kustomization with postBuild.substitute applied, typed like YAML, skipping objects that opt out', async () => {
    const root = await writeRepo({
      'clusters/dev/app.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: app', '  namespace: flux-system',
        'spec:', '  sourceRef:', '    kind: GitRepository', '    name: flux-system', '  path: ./app',
        '  postBuild:', '    substitute:', '      replicas: "3"', '      env: dev',
      ].join('\n'),
      'app/kustomization.yaml': 'resources: [deploy.yaml, raw.yaml]\n',
      'app/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${env}\nspec:\n  replicas: ${replicas}\n',
      'app/raw.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  script: echo ${HOME}\n',
    });
    const model = await discoverRepo(root);
    const app = model.environments[0].apps[0];
    assert.deepEqual(app.substitute, { variables: { replicas: '3', env: 'dev' }, from: [] });
    assert.equal(needsLiveSources(app.substitute), false);
    const rendered = await renderApp(app);
    assert.equal(rendered.error, undefined);
    const deployment = rendered.objects.find(({ object }) => object.kind === 'Deployment')!;
    assert.equal(deployment.object.metadata.name, 'web-dev');
    assert.equal((deployment.object.spec as { replicas: unknown }).replicas, 3);
    const raw = rendered.objects.find(({ object }) => object.kind === 'ConfigMap')!;
    assert.deepEqual(raw.object.data, { script: 'echo ${HOME}' });
  });
});
