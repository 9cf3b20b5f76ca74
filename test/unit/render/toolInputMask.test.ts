// What kustomize post-renderers read from disk holds no secret: Secrets' values and strings that came from a
// Secret are placeholders there, and the tool's output gets them back.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/core/model';
import { maskForTool } from '../../../src/core/render/toolInputMask';

const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: Buffer.from('hunter2-x').toString('base64') }, stringData: { token: 'tok-123' } };
const deployment: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
  spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'URL', value: 'https://user:tok-123@db' }, { name: 'MODE', value: 'on' }] }] } } },
};

describe('maskForTool', () => {
  it('writes Secret values and Secret-derived strings as base64-shaped placeholders, and restores them in the output', () => {
    const masked = maskForTool([secret, deployment], ['tok-123', 'on']);
    const text = JSON.stringify(masked.objects);
    for (const value of ['tok-123', secret.data && (secret.data as Record<string, string>).password]) assert.equal(text.includes(String(value)), false, `${value} is masked`);
    const placeholder = (masked.objects[0].data as Record<string, string>).password;
    assert.match(placeholder, /^[A-Z0-9]+$/);
    assert.equal(placeholder.length % 4, 0, 'valid base64 text, so the Secret stays well-formed for kustomize');
    // "on" is too short to look for inside other strings, but an equal value is masked.
    assert.equal(JSON.stringify(masked.objects[1]).includes('"value":"on"'), false);
    assert.equal(JSON.stringify(masked.objects[1]).includes('"name":"MODE"'), true);
    assert.deepEqual(masked.restore(masked.objects), [secret, deployment]);
  });

  it('leaves names, labels and annotations as they are, since post-renderers select their targets by them', () => {
    const named: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tok-123-config', labels: { app: 'tok-123' } }, data: { url: 'tok-123' } };
    const [masked] = maskForTool([named], ['tok-123']).objects;
    assert.deepEqual(masked.metadata, named.metadata);
    assert.notEqual((masked.data as Record<string, string>).url, 'tok-123');
  });

  it('keeps what a tool wrote over a placeholder', () => {
    const masked = maskForTool([secret], []);
    const patched = structuredClone(masked.objects);
    (patched[0].stringData as Record<string, string>).token = 'from-a-patch';
    assert.deepEqual(masked.restore(patched)[0].stringData, { token: 'from-a-patch' });
    assert.deepEqual(masked.restore(patched)[0].data, secret.data);
  });
});
