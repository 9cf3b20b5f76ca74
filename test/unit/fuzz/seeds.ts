// Valid seeds for the fuzz targets: the repository's own files (test fixtures, docs), read at run time, and
// shapes built from them the way the tools print them.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** The repository root (this file runs compiled from out/test/unit/fuzz). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

const DEMO_REPO = path.join(REPO_ROOT, 'scripts/demo-repo/files');

/** The guestbook fixture's manifests, each as written. */
export function fixtureManifests(): string[] {
  const dir = path.join(DEMO_REPO, 'guestbook');
  return fs.readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort().map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
}

/** The fixture's objects (without the Kustomization), parsed. */
export function fixtureObjects(): Array<Record<string, unknown>> {
  return fixtureManifests().map((text) => YAML.parse(text) as Record<string, unknown>)
    .filter((object) => object.kind !== 'Kustomization');
}

/** `kustomize build` of the guestbook fixture, as kustomize prints it: the prefix applied, documents joined. */
export function kustomizeOutput(): string {
  return fixtureObjects().map((object) => {
    const metadata = object.metadata as Record<string, unknown>;
    return YAML.stringify({ ...object, metadata: { ...metadata, name: `kustomize-${String(metadata.name)}` } });
  }).join('---\n');
}

/** `helm template` output for the same objects: a `# Source:` comment above each document. */
export function helmOutput(): string {
  return fixtureObjects().map((object) => `---\n# Source: guestbook/templates/${String(object.kind).toLowerCase()}.yaml\n${YAML.stringify(object)}`).join('');
}

/** A Secret the way a GitOps repo holds one (with comments, stringData and data), from the fixture's labels. */
export function secretManifest(): string {
  return [
    '# database credentials for the guestbook',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: guestbook-db',
    '  labels:',
    '    app.kubernetes.io/name: guestbook-ui',
    'type: Opaque',
    'stringData:',
    '  username: guestbook # the app user',
    '  password: s3cr3t-passw0rd',
    '  port: "5432"',
    'data:',
    '  token: c2VjcmV0LXRva2Vu',
    '',
  ].join('\n');
}

/** The YAML code blocks of a doc in docs/ (e.g. the documented `.driftline.yaml`). */
export function yamlBlocksOf(doc: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', doc), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
}
