// A fresh, uniquely named namespace per test, so tests sharing one cluster never see each other's objects.
// The test server runs no namespace controller, so deleted namespaces stay Terminating: names never repeat.
import crypto from 'node:crypto';
import type { ClusterClient } from '../../src/core/cluster/client';
import { testClient } from './cluster';

/** Creates namespace `<prefix>-<random>` as admin and returns its name. */
export async function freshNamespace(prefix = 'test', client: ClusterClient = testClient()): Promise<string> {
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'test';
  const name = `${base}-${crypto.randomBytes(4).toString('hex')}`;
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}
