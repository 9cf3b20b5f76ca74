// .sops.yaml creation rules: nearest config upwards, first matching rule, keys, groups and crypt rules.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findCreationRule, SopsError } from '../../../src/core/sops';
import { removeTempDirs, tempDir } from '../../support/sops';

const AGE_A = 'age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw';
const AGE_B = 'age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep';

function repo(config: string): string {
  const root = tempDir();
  fs.writeFileSync(path.join(root, '.sops.yaml'), config);
  fs.mkdirSync(path.join(root, 'clusters', 'prod', 'secrets'), { recursive: true });
  return root;
}

describe('.sops.yaml creation rules', () => {
  after(removeTempDirs);

  it('finds the .sops.yaml above the file and takes the first rule whose path_regex matches the relative path', () => {
    const root = repo([
      'creation_rules:',
      '  - path_regex: ^clusters/prod/.*\\.yaml$',
      `    age: ${AGE_A},${AGE_B}`,
      '    encrypted_regex: ^(data|stringData)$',
      '  - path_regex: \\.yaml$',
      `    age: ${AGE_B}`,
      '',
    ].join('\n'));
    const prod = findCreationRule(path.join(root, 'clusters/prod/secrets/db.yaml'));
    assert.equal(prod?.index, 0);
    assert.deepEqual(prod?.keyGroups, [[{ type: 'age', recipient: AGE_A, enc: '' }, { type: 'age', recipient: AGE_B, enc: '' }]]);
    assert.equal(prod?.encrypted_regex, '^(data|stringData)$');
    assert.equal(findCreationRule(path.join(root, 'other/x.yaml'))?.index, 1);
    assert.equal(findCreationRule(path.join(root, 'other/x.json')), undefined);
  });

  it('translates (?i) so a case-insensitive path_regex matches as sops would', () => {
    const root = repo(`creation_rules:\n  - path_regex: (?i)SECRETS/\n    age: ${AGE_A}\n`);
    assert.equal(findCreationRule(path.join(root, 'clusters/prod/secrets/db.yaml'))?.index, 0);
  });

  it('prefers the nearest .sops.yaml over one further up', () => {
    const root = repo(`creation_rules:\n  - age: ${AGE_A}\n`);
    fs.writeFileSync(path.join(root, 'clusters', '.sops.yaml'), `creation_rules:\n  - pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4\n`);
    const rule = findCreationRule(path.join(root, 'clusters/prod/secrets/db.yaml'));
    assert.equal(rule?.configFile, path.join(root, 'clusters', '.sops.yaml'));
    assert.deepEqual(rule?.keyGroups[0].map((k) => k.type), ['pgp']);
  });

  it('reads key_groups and shamir_threshold', () => {
    const root = repo([
      'creation_rules:',
      '  - shamir_threshold: 2',
      '    key_groups:',
      `      - age: [${AGE_A}]`,
      `      - age: [${AGE_B}]`,
      '        pgp: [FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4]',
      '      - kms:',
      '          - arn: arn:aws:kms:eu-west-1:1:key/abc',
      '',
    ].join('\n'));
    const rule = findCreationRule(path.join(root, 'x.yaml'));
    assert.equal(rule?.shamirThreshold, 2);
    assert.deepEqual(rule?.keyGroups.map((g) => g.map((k) => k.type)), [['age'], ['age', 'pgp'], ['kms']]);
  });

  it('rejects a rule with two crypt rules, naming the config file and the rule', () => {
    const root = repo(`creation_rules:\n  - age: ${AGE_A}\n    encrypted_regex: ^data$\n    unencrypted_suffix: _plain\n`);
    assert.throws(() => findCreationRule(path.join(root, 'x.yaml')), (err: unknown) =>
      err instanceof SopsError && err.message.startsWith(path.join(root, '.sops.yaml')) && /creation rule 1: use only one of/.test(err.message));
  });

  it('rejects an invalid age recipient and invalid YAML with the file named', () => {
    const bad = repo('creation_rules:\n  - age: not-a-recipient\n');
    assert.throws(() => findCreationRule(path.join(bad, 'x.yaml')), /\.sops\.yaml: creation rule 1: "not-a-recipient" is not an age recipient/);
    const broken = repo('creation_rules: [\n');
    assert.throws(() => findCreationRule(path.join(broken, 'x.yaml')), /\.sops\.yaml: cannot read the SOPS configuration/);
  });
});
