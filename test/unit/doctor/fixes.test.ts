// The doctor's quick fixes as text edits: only the line they add changes, comments and spacing stay.
import assert from 'node:assert/strict';
import { addKustomizationWait, ruleOffConfig } from '../../../src/core/doctor/fixes';

const KUSTOMIZATIONS = [
  '# the apps of dev',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: a}',
  '---',
  'apiVersion: kustomize.toolkit.fluxcd.io/v1',
  'kind: Kustomization',
  'metadata:',
  '  name: web',
  'spec:',
  '    path: ./web   # the path',
  '    prune: true',
  'status: {}',
  '',
].join('\n');

describe('doctor quick fixes', () => {
  it('adds wait: true at the end of the spec of the document at the line, at the spec\'s indentation, nothing else changed', () => {
    const fixed = addKustomizationWait(KUSTOMIZATIONS, 6);
    assert.equal(fixed, KUSTOMIZATIONS.replace('    prune: true\n', '    prune: true\n    wait: true\n'));
  });

  it('adds it to a spec that ends the file without a newline', () => {
    const text = 'kind: Kustomization\nmetadata:\n  name: web\nspec:\n  prune: true';
    assert.equal(addKustomizationWait(text, 1), `${text}\n  wait: true\n`);
  });

  it('gives nothing for a document without a block spec', () => {
    assert.equal(addKustomizationWait('kind: Kustomization\nspec: {prune: true}\n', 1), undefined);
    assert.equal(addKustomizationWait('kind: Kustomization\nmetadata: {name: a}\n', 1), undefined);
  });

  it('turns a rule off in .driftline.yaml, keeping its comments, or writes a new one', () => {
    const config = '# environments of the fleet\nenvironments:\n  - name: dev # the dev cluster\n';
    assert.equal(ruleOffConfig(config, 'missing-probes'), `${config}doctor:\n  rules:\n    missing-probes: off\n`);
    assert.equal(ruleOffConfig(undefined, 'unpinned-image'), 'doctor:\n  rules:\n    unpinned-image: off\n');
    assert.equal(ruleOffConfig('doctor:\n  rules:\n    unpinned-image: error\n', 'unpinned-image'), 'doctor:\n  rules:\n    unpinned-image: off\n');
  });

  it('refuses a .driftline.yaml that is not YAML, naming it', () => {
    assert.throws(() => ruleOffConfig('environments: [\n', 'missing-probes'), /\.driftline\.yaml is not valid YAML .*: fix it first/);
  });
});
