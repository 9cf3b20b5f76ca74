import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManifestParseError } from '../../../src/core/render/parseManifests';
import { FileReads } from '../../../src/core/render/fileReads';
import { readYamlDocuments } from '../../../src/core/render/parsedYamlFiles';

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
