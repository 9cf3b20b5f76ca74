// Fuzz targets for the SOPS layer: each store (yaml, json, dotenv, ini, binary) on mutated encrypted files and
// mutated plaintext, the `sops:` metadata, and `.sops.yaml` creation rules. A refusal is a SopsError (or the
// layer's own StoreError / GoRegexError where the caller is inside the layer) naming the file.
//
// Each store's seeds are the project's fixtures encrypted at setup for throwaway age identities, with several
// crypt rules (default suffix, encrypted_regex, mac_only_encrypted, two Shamir key groups). Unwrapping an age
// data key costs milliseconds, so most inputs take the value layer (parse, decrypt every value with the seed's
// data key, emit), as the conformance tests do, and one in twenty the whole of decryptText and reencryptEdited.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { decryptText, encryptText, findCreationRule, isSopsEncrypted, keyGroupFor, loadCreationRules, reencryptEdited, SopsError, type SopsFormat } from '../../../src/core/sops';
import type { CryptRules } from '../../../src/core/sops/metadata';
import { flattenMetadata, MetadataError, metadataToRaw, parseMetadata, unflattenMetadata } from '../../../src/core/sops/metadata';
import { GoRegexError } from '../../../src/core/sops/goRegex';
import { loadEncrypted, openDocument } from '../../../src/core/sops/open';
import { stores } from '../../../src/core/sops/stores';
import { StoreError } from '../../../src/core/sops/stores/store';
import { decryptBranches } from '../../../src/core/sops/treeCipher';
import { hasShared } from '../../support/shared';
import { AGE_KEYS_FILE, isolatedEnv, newAgeIdentity, vectorPath } from '../../support/sops';
import { mutatedFile, mutatedText, type Syntax } from './mutate';
import { fixtureManifests, fixtureObjects, REPO_ROOT, secretManifest } from './seeds';
import { AnyTarget, assertNamedError, defineTarget, expect, PropertyBroken, scratchDir } from './target';

const FILES: Record<SopsFormat, string> = {
  yaml: '/repo/apps/guestbook/db-secret.enc.yaml',
  json: '/repo/apps/guestbook/db-secret.enc.json',
  dotenv: '/repo/apps/guestbook/db.enc.env',
  ini: '/repo/apps/guestbook/db.enc.ini',
  binary: '/repo/apps/guestbook/README.enc.md',
};

const SYNTAX: Record<SopsFormat, { plain: Syntax; encrypted: Syntax }> = {
  yaml: { plain: 'yaml', encrypted: 'yaml' },
  json: { plain: 'json', encrypted: 'json' },
  dotenv: { plain: 'flat', encrypted: 'flat' },
  ini: { plain: 'flat', encrypted: 'flat' },
  binary: { plain: 'flat', encrypted: 'json' },
};

/** The fixtures' Secret as a flat list of settings, for the dotenv and INI seeds. */
function flatSettings(): Array<[string, string]> {
  return [['username', 'guestbook'], ['password', 's3cr3t-passw0rd'], ['port', '5432'], ['image', 'nginx:1.27'], ['note_unencrypted', 'readable']];
}

function plaintextSeeds(format: SopsFormat): string[] {
  const secret = secretManifest();
  switch (format) {
    case 'yaml': return [secret, ...fixtureManifests(), `${secret}---\n${fixtureManifests()[0]}`];
    case 'json': return [...fixtureObjects(), { stringData: Object.fromEntries(flatSettings()), list: [1, 2.5, true, null, 'x'] }]
      .map((object) => `${JSON.stringify(object, null, '\t')}\n`);
    case 'dotenv': return [`# guestbook database\n${flatSettings().map(([k, v]) => `${k.toUpperCase()}=${v}`).join('\n')}\n`, 'EMPTY=\nURL=https://example.com/x?y=1&z=2\n'];
    case 'ini': return [
      `; guestbook database\n[db]\n${flatSettings().map(([k, v]) => `${k} = ${v}`).join('\n')}\n\n[cache]\n; local only\nhost = guestbook-ui\n`,
      'top = level\n[multi]\ntext = """line one\nline two"""\nquoted = " spaced "\n',
    ];
    case 'binary': return [fs.readFileSync(path.join(REPO_ROOT, 'scripts/demo-repo/files/README.md'), 'utf8'), secret, '\u0000\u00ff binary-ish\n'];
  }
}

const RULES: CryptRules[] = [{}, { encrypted_regex: '^(data|stringData|password|PASSWORD)$' }, { mac_only_encrypted: true }, { unencrypted_suffix: '_unencrypted', encrypted_comment_regex: 'database' }];

interface Sealed {
  text: string;
  dataKey: Buffer;
}

interface StoreSeeds {
  plain: string[];
  encrypted: Sealed[];
}

const env = isolatedEnv();
let identities: string[] = [];
let recipients: string[] = [];
const storeSeeds = new Map<SopsFormat, StoreSeeds>();
let tempDir: string | undefined;

async function identitiesReady(): Promise<void> {
  if (identities.length > 0) return;
  const made = await Promise.all([newAgeIdentity(), newAgeIdentity()]);
  identities = made.map((m) => m.identity);
  recipients = made.map((m) => m.recipient);
  if (hasShared('sops-vectors')) identities.push(...fs.readFileSync(AGE_KEYS_FILE, 'utf8').split('\n').filter((l) => l.startsWith('AGE-SECRET-KEY-')));
}

const options = (format: SopsFormat) => ({ ageIdentities: identities, env, fileName: FILES[format], allowBinaries: false });

/** The vectors sops itself wrote, as further seeds where shared/sops-vectors is present. */
function vectorSeeds(format: SopsFormat): string[] {
  if (!hasShared('sops-vectors')) return [];
  const byFormat: Record<SopsFormat, string[]> = {
    yaml: ['age/example.yaml', 'pgp/format.enc.yaml', 'pgp/comments.enc.yaml', 'pgp/no_mac.yaml'],
    json: ['pgp/example.json'], dotenv: ['pgp/format.enc.env'], ini: ['age/example.ini', 'pgp/format.enc.ini'], binary: ['pgp/example.txt'],
  };
  return byFormat[format].map((vector) => fs.readFileSync(vectorPath(vector), 'utf8'));
}

async function seedsFor(format: SopsFormat): Promise<StoreSeeds> {
  await identitiesReady();
  const known = storeSeeds.get(format);
  if (known) return known;
  const plain = plaintextSeeds(format);
  const encrypted: Sealed[] = [];
  for (const [i, text] of plain.entries()) {
    const shamir = i === 1;
    const keyGroups = shamir ? recipients.map((r) => keyGroupFor({ age: [r] })[0]) : keyGroupFor({ age: recipients });
    const ciphertext = await encryptText(text, format, { keyGroups, shamirThreshold: shamir ? 2 : undefined, cryptRules: RULES[i % RULES.length], env, fileName: FILES[format] });
    encrypted.push({ text: ciphertext, dataKey: (await openDocument(ciphertext, format, FILES[format], options(format))).dataKey });
  }
  for (const text of vectorSeeds(format)) {
    // The vectors' data keys are wrapped for PGP too; only the age ones unwrap here, the rest get a key that fails.
    const opened = await openDocument(text, format, FILES[format], options(format)).catch(() => undefined);
    encrypted.push({ text, dataKey: opened?.dataKey ?? Buffer.alloc(32) });
  }
  const seeds = { plain, encrypted };
  storeSeeds.set(format, seeds);
  return seeds;
}

/** One input of a store target: the text, and which path of the layer it goes through. */
interface StoreInput {
  mode: 'value' | 'full' | 'plain' | 'encrypt' | 'edit';
  text: string;
  /** For value, full and edit: which encrypted seed the text belongs to (its data key, its original). */
  seed?: number;
}

/** SopsError for what the public API returns; the store's own StoreError where a store is called directly. */
function assertRefusal(error: unknown, format: SopsFormat, allowed: Array<abstract new (...args: never[]) => Error> = [SopsError]): void {
  assertNamedError(error, [FILES[format]], allowed);
}

/** Inputs that broke a property once, per store. */
const STORE_REGRESSIONS: Record<SopsFormat, StoreInput[]> = {
  yaml: [
    // An explicit tag stayed on the scalar when its value was replaced: yaml stringified ENC[] text as binary / a date (TypeError).
    { mode: 'edit', seed: 0, text: 'apiVersion: !!binary AAAA\n' },
    { mode: 'edit', seed: 0, text: 'created: !!timestamp 2001-12-14\n' },
    // A !!binary value left in clear: yaml split it into Math.ceil(n / 0) lines (RangeError "Invalid array length").
    { mode: 'plain', text: 'note_unencrypted: !!binary AAAA\n' },
    // The same, long: its MAC was taken over the layout, which yaml changes, so the saved file did not decrypt.
    { mode: 'edit', seed: 0, text: `note_unencrypted: !!binary |\n  ${'QUFB'.repeat(40)}\npassword: x\n` },
    // An anchor name yaml reads but will not write: emit threw a plain Error without the file.
    { mode: 'plain', text: 'a: &\u0000 x\n' },
    { mode: 'plain', text: '&\u0000' },
    // Nesting deep enough to overflow the stack inside yaml: the SopsError did not name the file, and after
    // an overflow inside a regular expression's compilation the next parse aborted the process (V8 fatal error).
    { mode: 'value', seed: 0, text: `${'- '.repeat(3000)}x` },
    { mode: 'plain', text: '['.repeat(1000) },
    // An invalid regex in the metadata came out of decryption as a GoRegexError, not a SopsError.
    { mode: 'value', seed: 0, text: 'a: x\nsops:\n  age: [{recipient: age1x, enc: x}]\n  lastmodified: "2024-01-01T00:00:00Z"\n  encrypted_regex: ^(\n' },
    // A mapping tagged !!str was saved as the text "undefined": its values were lost.
    { mode: 'edit', seed: 0, text: 'kind: Secret\ndata: !!str\n  token: c2VjcmV0\n' },
  ],
  // A string escape the pattern let through (`\u00`) made JSON.parse throw a SyntaxError without the file.
  json: [
    { mode: 'plain', text: '{\n"\\u00"\n\t"kind": "Deployment"\n}\n' },
    // A "sops" key of the plaintext was written next to the metadata's: the file was read back as corrupt metadata.
    { mode: 'encrypt', text: '{\n\t"sops": "mine",\n\t"password": "x"\n}\n' },
    // The store's recursive parser overflowed the stack (a RangeError) on deep nesting.
    { mode: 'plain', text: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}` },
  ],
  binary: [{ mode: 'value', seed: 0, text: '{\n\t"data": "\\----BEGIN"\n}\n' }],
  // The flat stores' metadata keys: `__proto__` set Object.prototype.polluted; a list index of 4294967294 made
  // parseMetadata walk a sparse list for minutes; a key both a value and a container threw a TypeError.
  dotenv: [
    // A sops_ key saved from the decrypted editor was read back as metadata: the saved file did not open.
    { mode: 'edit', seed: 0, text: 'sops_age__list_0=x\nUSERNAME=guestbook\n' },
    { mode: 'value', seed: 0, text: 'sops___proto____map_polluted=yes\n' },
    { mode: 'value', seed: 0, text: 'sops_age__list_4294967294__map_enc=x\nsops_lastmodified=2024-01-01T00:00:00Z\n' },
    { mode: 'value', seed: 0, text: 'sops_age=x\nsops_age__list_0__map_enc=y\n' },
  ],
  ini: [
    { mode: 'value', seed: 0, text: '[sops]\nage__map___proto____map_polluted = yes\n' },
    // Saved files that did not open again: `[db]x = ENC[...]` is read back as a section header, and a value
    // in clear written as `"x"` is read back without its quotes (both: MAC mismatch).
    { mode: 'edit', seed: 0, text: '[db]x = y\n' },
    { mode: 'edit', seed: 0, text: '[db]\nnote_unencrypted = ""x""\n' },
  ],
};

/** What Driftline wrote must open again: a file it encrypted and cannot read is a lost secret. */
async function readBack(saved: string, format: SopsFormat): Promise<void> {
  expect(isSopsEncrypted(saved, format), `the saved file is not a SOPS file: ${saved.slice(0, 300)}`);
  await decryptText(saved, format, options(format)).catch((error: unknown) => {
    throw new PropertyBroken(`the saved file does not decrypt: ${(error as Error).message}`);
  });
}

function storeTarget(format: SopsFormat): AnyTarget {
  let seeds: StoreSeeds;
  const file = FILES[format];
  return defineTarget<StoreInput>({
    name: `sops ${format} store`,
    runs: 2000,
    setup: async () => { seeds = await seedsFor(format); },
    arbitrary() {
      const encryptedTexts = seeds.encrypted.map((s) => s.text);
      const encrypted = fc.tuple(fc.nat({ max: encryptedTexts.length - 1 }), mutatedText(encryptedTexts, { syntax: SYNTAX[format].encrypted }));
      // The modes that unwrap or wrap a data key with age (full, encrypt, edit) cost ~10 ms each: ~50 inputs apiece per run.
      return fc.oneof(
        { weight: 20, arbitrary: encrypted.map(([seed, text]): StoreInput => ({ mode: 'value', seed, text })) },
        { weight: 17, arbitrary: mutatedText(seeds.plain, { syntax: SYNTAX[format].plain }).map((text): StoreInput => ({ mode: 'plain', text })) },
        { weight: 1, arbitrary: encrypted.map(([seed, text]): StoreInput => ({ mode: 'full', seed, text })) },
        { weight: 1, arbitrary: mutatedText(seeds.plain, { syntax: SYNTAX[format].plain }).map((text): StoreInput => ({ mode: 'encrypt', text })) },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.nat({ max: seeds.plain.length - 1 }), mutatedText(seeds.plain, { syntax: SYNTAX[format].plain }))
            .map(([seed, text]): StoreInput => ({ mode: 'edit', seed, text })),
        },
      );
    },
    examples: STORE_REGRESSIONS[format],
    preview: (input) => `${input.mode}: ${JSON.stringify(input.text.slice(0, 300))} (${input.text.length} chars)`,
    async check(input) {
      if (input.mode === 'plain') {
        // isSopsEncrypted is loadEncrypted in a try: the value mode below covers what it parses.
        expect(typeof isSopsEncrypted(input.text, format) === 'boolean', 'isSopsEncrypted answered a non-boolean');
        // What encryption and the decrypted editor read: the store's own parse of a plaintext, and its emit.
        try {
          const doc = stores[format].load(input.text, file, 'plain');
          expect(typeof doc.emit() === 'string', 'emit gave no text');
        } catch (error) {
          assertRefusal(error, format, [StoreError]);
        }
        return;
      }
      if (input.mode === 'value') {
        // decryptText up to the data key (loadEncrypted), then every value with the seed's data key.
        let loaded;
        try {
          loaded = loadEncrypted(input.text, format, file);
        } catch (error) {
          assertRefusal(error, format);
          return;
        }
        try {
          const mac = decryptBranches(loaded.doc.branches, { dataKey: seeds.encrypted[(input.seed ?? 0) % seeds.encrypted.length].dataKey, rules: loaded.metadata, file, stash: new Map() });
          expect(typeof mac === 'string', 'no MAC computed');
          expect(typeof loaded.doc.emit() === 'string', 'emit gave no text');
        } catch (error) {
          assertRefusal(error, format, [SopsError, StoreError]);
        }
        return;
      }
      if (input.mode === 'encrypt') {
        // A new file under a creation rule, encrypted as it is saved: what was written must open again.
        let saved: string;
        try {
          saved = await encryptText(input.text, format, { keyGroups: keyGroupFor({ age: recipients }), env, fileName: file });
        } catch (error) {
          assertRefusal(error, format);
          return;
        }
        await readBack(saved, format);
        return;
      }
      if (input.mode === 'full') {
        try {
          const result = await decryptText(input.text, format, options(format));
          expect(typeof result.plaintext === 'string' && typeof result.metadata.lastmodified === 'string', 'decryptText gave no plaintext');
        } catch (error) {
          assertRefusal(error, format);
        }
        return;
      }
      // The save of a decrypted editor: the edited plaintext sealed with the original's data key.
      const original = seeds.encrypted[(input.seed ?? 0) % seeds.encrypted.length].text;
      let saved: string;
      try {
        saved = await reencryptEdited(original, input.text, format, options(format));
      } catch (error) {
        assertRefusal(error, format);
        return;
      }
      await readBack(saved, format);
    },
  });
}

const METADATA_FILE = FILES.yaml;

type MetadataInput = { kind: 'object'; raw: unknown } | { kind: 'flat'; pairs: Array<[string, string]> };

const metadataTarget = defineTarget<MetadataInput>({
  name: 'sops metadata (metadata.ts)',
  runs: 2000,
  setup: async () => { await seedsFor('yaml'); await seedsFor('ini'); },
  examples: [
    { kind: 'flat', pairs: [['age__map___proto____map_polluted', 'yes']] },
    { kind: 'flat', pairs: [['age__list_4294967294__map_enc', 'x'], ['lastmodified', '2024-01-01T00:00:00Z']] },
    { kind: 'flat', pairs: [['age', 'x'], ['age__list_0__map_enc', 'y']] },
  ],
  arbitrary() {
    // The metadata of real encrypted files, as the YAML/JSON stores hand it over and as the flat stores write it.
    const raws = storeSeeds.get('yaml')!.encrypted.map((s) => loadEncrypted(s.text, 'yaml', METADATA_FILE).doc.metadata);
    const rawTexts = raws.map((raw) => JSON.stringify(raw, null, '\t'));
    const flatTexts = raws.map((raw) => flattenMetadata(raw as Record<string, unknown>).map(([k, v]) => `${k}=${v}`).join('\n'));
    const parsed = (text: string): unknown => { try { return JSON.parse(text); } catch { return text; } };
    const pairs = (text: string): Array<[string, string]> => text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
    return fc.oneof(
      { weight: 6, arbitrary: mutatedText(rawTexts, { syntax: 'json', keys: ['age', 'pgp', 'kms', 'key_groups', 'shamir_threshold', 'lastmodified', 'mac', 'version', 'encrypted_regex', 'recipient', 'enc'] }).map((text): MetadataInput => ({ kind: 'object', raw: parsed(text) })) },
      { weight: 1, arbitrary: fc.anything().map((raw): MetadataInput => ({ kind: 'object', raw })) },
      { weight: 4, arbitrary: mutatedText(flatTexts, { syntax: 'flat' }).map((text): MetadataInput => ({ kind: 'flat', pairs: pairs(text) })) },
    );
  },
  check(input) {
    let metadata;
    try {
      const raw = input.kind === 'flat' ? unflattenMetadata(input.pairs, METADATA_FILE) : input.raw;
      metadata = parseMetadata(raw, METADATA_FILE);
    } catch (error) {
      assertNamedError(error, [METADATA_FILE], [MetadataError]);
      return;
    }
    expect(Array.isArray(metadata.keyGroups) && metadata.keyGroups.every((group) => Array.isArray(group)), 'keyGroups is not a list of lists');
    expect(typeof metadata.lastmodified === 'string' && metadata.lastmodified !== '', 'no lastmodified');
    // What a store does with it when the file is saved again.
    const written = metadataToRaw(metadata);
    expect(unflattenMetadata(flattenMetadata(written), METADATA_FILE) !== undefined, 'the metadata does not flatten');
  },
});

let rulesDir = '';

const RULE_SEEDS = (recipient: string, other: string) => [
  `creation_rules:\n  - path_regex: ^apps/.*secret.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${recipient}\n`,
  `creation_rules:\n  - path_regex: ^clusters/prod/.*\\.yaml$\n    age: ${recipient},${other}\n    encrypted_regex: ^(data|stringData)$\n  - path_regex: \\.yaml$\n    age: ${other}\n`,
  `creation_rules:\n  - path_regex: (?i)SECRETS/\n    age: ${recipient}\n  - pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4\n    unencrypted_suffix: _plain\n`,
  `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [${recipient}]\n      - age: [${other}]\n        pgp: [FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4]\n      - kms:\n          - arn: arn:aws:kms:eu-west-1:1:key/abc\n`,
  `creation_rules:\n  - filename_regex: \\.env$\n    kms: arn:aws:kms:eu-west-1:1:key/abc\n    gcp_kms: projects/p/locations/l/keyRings/r/cryptoKeys/k\n    azure_keyvault: https://v.vault.azure.net/keys/k/1\n    hc_vault_transit_uri: https://vault:8200/v1/transit/keys/k\n    mac_only_encrypted: true\n`,
];

const rulesTarget = defineTarget<string>({
  name: 'sops .sops.yaml rules (rules.ts)',
  runs: 2000,
  async setup() {
    await identitiesReady();
    rulesDir = scratchDir('driftline-fuzz-sops-');
    tempDir = rulesDir;
  },
  teardown: () => { if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true }); },
  examples: [
    // A key group that is not a mapping: groupKeys read `null.age` (TypeError).
    'creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      -\n',
  ],
  arbitrary: () => mutatedFile(RULE_SEEDS(recipients[0], recipients[1]), {
    syntax: 'yaml', keys: ['creation_rules', 'path_regex', 'age', 'pgp', 'key_groups', 'shamir_threshold', 'encrypted_regex', 'kms'],
  }),
  check(content) {
    const configFile = path.join(rulesDir, '.sops.yaml');
    fs.writeFileSync(configFile, Buffer.from(content, 'latin1'));
    try {
      const rules = loadCreationRules(configFile);
      expect(Array.isArray(rules), 'the rules are not a list');
      for (const rule of rules) expect(rule.configFile === configFile && Array.isArray(rule.keyGroups), 'a rule without its file or keys');
      // The rule for a file (the nearest .sops.yaml is read again, each path_regex compiled and tested).
      const file = ['apps/web/api-secret.yaml', 'clusters/prod/SECRETS/db.env', 'x.yaml'][content.length % 3];
      const rule = findCreationRule(path.join(rulesDir, file));
      expect(rule === undefined || rules.some((candidate) => candidate.index === rule.index), 'findCreationRule chose a rule loadCreationRules does not list');
    } catch (error) {
      assertNamedError(error, [configFile], [SopsError, GoRegexError]);
    }
  },
});

export const targets: AnyTarget[] = [
  ...(['yaml', 'json', 'dotenv', 'ini', 'binary'] as SopsFormat[]).map(storeTarget),
  metadataTarget,
  rulesTarget,
];
