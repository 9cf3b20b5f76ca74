// Fuzz targets for reading tool output and manifests: `kustomize build` output (parseToolOutput), helm output and
// repo files (parseManifests). Either objects come out, plain data naming the file they came from, or a
// ManifestParseError naming the file.
import fs from 'node:fs';
import path from 'node:path';
import { FileReads } from '../../../src/core/render/fileReads';
import { isKubeObject, ManifestParseError, parseManifests, type YamlDocument } from '../../../src/core/render/parseManifests';
import { readYamlDocuments } from '../../../src/core/render/parsedYamlFiles';
import { parseToolOutput } from '../../../src/core/render/parseToolOutput';
import type { DesiredObject } from '../../../src/core/model';
import { mutatedFile, mutatedText } from './mutate';
import { fixtureManifests, helmOutput, kustomizeOutput, secretManifest } from './seeds';
import { AnyTarget, assertNamedError, defineTarget, expect, PropertyBroken, scratchDir, show } from './target';

const TOOL_FILE = '/repo/apps/guestbook/kustomization.yaml';
const MANIFEST_FILE = 'apps/guestbook/guestbook-ui-deployment.yaml';
/** Where the repo-file target writes each input (readYamlDocuments reads files). */
let repoFile = '';

let seeds: string[] = [];

function setup(): void {
  seeds = [...fixtureManifests(), kustomizeOutput(), helmOutput(), secretManifest(),
    `apiVersion: v1\nkind: List\nitems:\n${kustomizeOutput().split('---\n').map((doc) => `- ${doc.trimEnd().replace(/\n/g, '\n  ')}`).join('\n')}\n`];
}

/** The objects `parse` read, or undefined when it refused the text with a ManifestParseError naming `file`. */
function parsedOrRefused(parse: (text: string, file: string) => DesiredObject[], text: string, file: string): DesiredObject[] | undefined {
  try {
    return parse(text, file);
  } catch (error) {
    assertNamedError(error, [file], [ManifestParseError]);
    return undefined;
  }
}

/** What the engine does with the objects next (hash them, cache them): they must be plain, finite data. */
function checkObjects(objects: DesiredObject[], file: string): void {
  expect(Array.isArray(objects), 'the result is not a list');
  for (const desired of objects) {
    if (!isKubeObject(desired.object)) throw new PropertyBroken(`not a Kubernetes object: ${show(desired.object)}`);
    expect(desired.source.file === file, `the object names ${desired.source.file}, not ${file}`);
  }
  checkPlainData(objects);
}

/** Cycles (an alias inside its anchor) and alias bombs make every later step loop or run out of memory. */
function checkPlainData(value: unknown): void {
  try {
    JSON.stringify(value);
  } catch (error) {
    throw new PropertyBroken(`the result is not plain data (${(error as Error).message})`);
  }
}

export const targets: AnyTarget[] = [
  defineTarget({
    name: 'kustomize output (parseToolOutput)',
    runs: 2000,
    setup,
    arbitrary: () => mutatedText(seeds, { syntax: 'yaml' }),
    examples: [
      // js-yaml shares aliased values: an alias inside its own anchor came out as a cyclic object.
      'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\n  self: *m\n',
    ],
    check(text) {
      const objects = parsedOrRefused(parseToolOutput, text, TOOL_FILE);
      if (objects) checkObjects(objects, TOOL_FILE);
    },
  }),
  defineTarget({
    name: 'helm output and manifests (parseManifests)',
    runs: 2000,
    setup,
    arbitrary: () => mutatedText(seeds, { syntax: 'yaml' }),
    examples: [
      // A ReferenceError without the file: yaml resolves aliases in toJS, after the parse reported no error.
      '<<: *anchor',
      // Nesting deep enough to overflow the stack inside yaml: after an overflow inside a regular expression's
      // compilation, the next parse aborted the process (V8 "RegExpCompiler Allocation failed").
      '['.repeat(1000),
      `${'- '.repeat(3000)}x`,
      // yaml makes an alias inside its own anchor a cyclic object.
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: &d [*d]\n',
    ],
    check(text) {
      const objects = parsedOrRefused(parseManifests, text, MANIFEST_FILE);
      if (!objects) return;
      checkObjects(objects, MANIFEST_FILE);
      for (const { source } of objects) expect(Number.isInteger(source.line) && source.line! >= 1, `line ${source.line} is not a line number`);
    },
  }),
  defineTarget({
    name: 'repo YAML files (readYamlDocuments)',
    runs: 2000,
    setup() {
      setup();
      repoFile = path.join(scratchDir('driftline-fuzz-repo-'), 'kustomization.yaml');
    },
    teardown: () => fs.rmSync(path.dirname(repoFile), { recursive: true, force: true }),
    arbitrary: () => mutatedFile(seeds, { syntax: 'yaml' }),
    examples: [
      // js-yaml's parse went on into a recursive walk of the cyclic value (stack overflow, a RangeError).
      'resources: &r\n  - *r\n',
    ],
    async check(content: string) {
      fs.writeFileSync(repoFile, Buffer.from(content, 'latin1'));
      let documents: readonly YamlDocument[];
      try {
        documents = await readYamlDocuments(repoFile, new FileReads());
      } catch (error) {
        assertNamedError(error, [repoFile], [ManifestParseError]);
        return;
      }
      for (const document of documents) expect(Number.isInteger(document.line) && document.line >= 1, `line ${document.line} is not a line number`);
      checkPlainData(documents.map((document) => document.value));
    },
  }),
];
