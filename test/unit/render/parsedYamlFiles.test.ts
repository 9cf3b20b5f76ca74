import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManifestParseError, parseYamlDocuments } from '../../../src/core/render/parseManifests';
import { FileReads } from '../../../src/core/render/fileReads';
import { parseQuickly, readYamlDocuments } from '../../../src/core/render/parsedYamlFiles';
import { itWithShared, sharedPath } from '../../support/shared';

describe('readYamlDocuments', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-parsed-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reuses a parse while the text is unchanged and reads an edited file afresh', async () => {
    const file = path.join(dir, 'kustomization.yaml');
    fs.writeFileSync(file, 'resources:\n  - a.yaml\n');
    const first = await readYamlDocuments(file);
    assert.equal(await readYamlDocuments(file), first, 'same text: the same parse');
    fs.writeFileSync(file, 'resources:\n  - b.yaml\n');
    assert.deepEqual((await readYamlDocuments(file))[0].value, { resources: ['b.yaml'] });
  });

  it('names the file and line of malformed YAML every time, and of a missing file', async () => {
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'a: 1\nb: [unclosed\n');
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(readYamlDocuments(file), (error: unknown) => error instanceof ManifestParseError && error.file === file && !!error.line);
    }
    await assert.rejects(readYamlDocuments(path.join(dir, 'missing.yaml')), /ENOENT/);
  });
});

describe('FileReads', () => {
  it('gives one status one version of each file, and the next status the current one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftline-reads-'));
    try {
      const file = path.join(dir, 'patch.yaml');
      fs.writeFileSync(file, 'v: 1\n');
      const status = new FileReads();
      assert.equal(await status.readText(file), 'v: 1\n');
      fs.writeFileSync(file, 'v: 2\n');
      assert.equal(await status.readText(file), 'v: 1\n', 'within one status: the version it read first');
      assert.deepEqual(await status.filesIn(dir), [file]);
      assert.equal(await status.stat(path.join(dir, 'missing.yaml')), undefined);
      await assert.rejects(status.read(path.join(dir, 'missing.yaml')), /ENOENT/);
      assert.equal(await new FileReads().readText(file), 'v: 2\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseQuickly (js-yaml with document lines)', () => {
  /** Every YAML file of the real example repos (Helm templates are Go templates, never read as YAML). */
  function exampleYamlFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === '.git' || entry.name === 'templates' ? [] : exampleYamlFiles(full);
      return /\.ya?ml$/.test(entry.name) ? [full] : [];
    });
  }

  itWithShared('gitops-examples', 'reads every example repo file to the same values and document lines as the yaml Document API, or declines', () => {
    const files = exampleYamlFiles(sharedPath('gitops-examples'));
    assert.ok(files.length > 80, `only ${files.length} example files`);
    let compared = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      let reference;
      try {
        reference = parseYamlDocuments(text, file).filter((document) => document.value !== null).map(({ value, line }) => ({ value, line }));
      } catch {
        continue; // malformed: readYamlDocuments reports it through the yaml API's error
      }
      const quick = parseQuickly(text, file);
      if (!quick) continue;
      assert.deepEqual(quick, reference, file);
      compared++;
    }
    assert.ok(compared > files.length * 0.9, `compared ${compared} of ${files.length}`);
  });

  it('declines what js-yaml reads differently: duplicate keys, collection keys, custom tags', () => {
    assert.equal(parseQuickly('a: 1\na: 2\n', 'dup.yaml'), undefined);
    assert.equal(parseQuickly('? {x: 1}\n: y\n', 'complex.yaml'), undefined);
    assert.equal(parseQuickly('a: !Ref thing\n', 'tag.yaml'), undefined);
    assert.deepEqual(parseQuickly('# head\n---\n\nkind: A\n---\n---\nkind: B\n', 'lines.yaml'), [{ value: { kind: 'A' }, line: 4 }, { value: { kind: 'B' }, line: 7 }]);
  });
});
