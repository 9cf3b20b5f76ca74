import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ManifestParseError, parseManifests } from '../../../src/core/render/parseManifests';

describe('parseManifests', () => {
  it('prints no library warning on stderr for a mapping key that is a collection (the key is read as its text)', () => {
    const script = `const { parseManifests } = require(${JSON.stringify(require.resolve('../../../src/core/render/parseManifests'))});
      const [parsed] = parseManifests('apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: x}\\ndata:\\n  ? [a, b]\\n  : c\\n', 'cm.yaml');
      process.stdout.write(JSON.stringify(parsed.object.data));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.stdout, '{"[ a, b ]":"c"}', run.stderr);
    assert.equal(run.stderr, '');
  });

  it('reads every object of a multi-document file with the line where it starts', () => {
    const text = [
      '# leading comment',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: one',
      '---',
      '',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: two',
    ].join('\n');
    const objects = parseManifests(text, '/repo/app.yaml');
    assert.deepEqual(objects.map(({ object, source }) => `${object.kind}/${object.metadata.name}@${source.line}`), ['ConfigMap/one@3', 'Service/two@9']);
    assert.equal(objects[0].source.file, '/repo/app.yaml');
  });

  it('skips documents that are not Kubernetes objects: values, partial YAML, kustomize config, empty documents', () => {
    const text = [
      'replicaCount: 1',
      '---',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'metadata:',
      '  name: k',
      '---',
      '---',
      'kind: ConfigMap',
      'metadata:',
      '  name: no-api-version',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: local',
      '  annotations:',
      '    config.kubernetes.io/local-config: "true"',
    ].join('\n');
    assert.deepEqual(parseManifests(text, '/repo/x.yaml'), []);
  });

  it('expands List documents into their items', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n';
    assert.deepEqual(parseManifests(text, '/x.yaml').map(({ object }) => object.metadata.name), ['a']);
  });

  it('names the file and line of malformed YAML', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n';
    assert.throws(() => parseManifests(text, '/repo/bad.yaml'), (error: unknown) => {
      assert.ok(error instanceof ManifestParseError);
      assert.equal(error.file, '/repo/bad.yaml');
      assert.equal(error.line, 10);
      assert.match(error.message, /^\/repo\/bad\.yaml:10: invalid YAML: /);
      return true;
    });
  });
});
