import assert from 'node:assert/strict';
import { ManifestParseError, parseManifests } from '../../../src/core/render/parseManifests';
import { parseToolOutput } from '../../../src/core/render/parseToolOutput';

describe('parseToolOutput', () => {
  const output = [
    'apiVersion: v1',
    'data:',
    '  date: 2026-01-01',
    '  enabled: yes',
    '  octal: 0o14',
    '  old-octal: 012',
    '  empty: ~',
    '  text: |',
    '    line one',
    '    line two',
    'kind: ConfigMap',
    'metadata:',
    '  name: settings',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: v1',
    '  kind: Service',
    '  metadata: {name: web}',
    '  spec: {ports: [{port: 80, targetPort: "8080"}]}',
    '---',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'metadata: {name: build-config}',
    '---',
    'just: values',
  ].join('\n');

  it('reads the objects of kustomize output exactly as the repo-file parser does (YAML 1.2 core scalars)', () => {
    const fast = parseToolOutput(output, '/repo/app/kustomization.yaml');
    const reference = parseManifests(output, '/repo/app/kustomization.yaml');
    assert.deepEqual(fast.map((desired) => desired.object), reference.map((desired) => desired.object));
    assert.deepEqual(fast.map((desired) => `${desired.object.kind}/${desired.object.metadata.name}`), ['ConfigMap/settings', 'Service/web']);
    const data = fast[0].object.data as Record<string, unknown>;
    assert.equal(data.date, '2026-01-01', 'a date stays a string, as the server stores it');
    assert.equal(data.enabled, 'yes', 'YAML 1.1 booleans stay strings');
    assert.equal(data.octal, 12);
    assert.equal(data.text, 'line one\nline two\n');
    assert.deepEqual(fast[0].source, { file: '/repo/app/kustomization.yaml' });
  });

  it('names the file and line of malformed output', () => {
    assert.throws(() => parseToolOutput('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n', '/repo/app/kustomization.yaml'), (error: unknown) => {
      assert.ok(error instanceof ManifestParseError);
      assert.equal(error.file, '/repo/app/kustomization.yaml');
      assert.ok(error.line && error.line >= 4, `line ${error.line}`);
      assert.match(error.message, /^\/repo\/app\/kustomization\.yaml:\d+: invalid YAML: /);
      return true;
    });
  });
});
