// Two kinds with one name in different API groups (Istio's Gateway, Gateway API's Gateway), both installed as
// CRDs on the real test kube-apiserver, one object of each with the same namespace and name in one app: the
// engine reports two resources, each compared against its own live object, and `driftline diff` names each
// with its group.
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { runDiff } from '../../../src/cli/diff';
import { resourceYaml } from '../../../src/core/drift/diffText';
import { refId, refOf, shownNames } from '../../../src/core/identity';
import type { ResourceResult } from '../../../src/core/model';
import { testClient, testCluster } from '../../support/cluster';
import { gatewayApiGateway, installGatewayCrds, istioGateway } from '../../support/gatewayCrds';
import { freshNamespace } from '../../support/namespace';
import { captureIO } from './captureIO';
import { appOf, applyApps, removeRepo, statusOnce, writeRepo } from './driftFixture';

describe('DriftEngine: one kind name in two API groups (Istio and Gateway API Gateway)', function () {
  this.timeout(90_000);
  const info = testCluster();
  let root: string;
  let namespace: string;

  before(async () => {
    const admin = testClient();
    try {
      await installGatewayCrds(admin);
      namespace = await freshNamespace('two-gateways', admin);
      root = writeRepo([{ name: 'test', context: info.adminContext }], [{
        name: 'mesh', environments: ['test'], namespace, files: {
          'istio-gateway.yaml': stringify(istioGateway(namespace, 'public')),
          'gateway-api-gateway.yaml': stringify(gatewayApiGateway(namespace, 'public')),
        },
      }]);
      await applyApps(root, 'test', admin);
      // Drift only Istio's Gateway live: a comparison that mixed the two up would show it on both or neither.
      await admin.mergePatch(refOf(istioGateway(namespace, 'public')), { spec: { servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } });
    } finally {
      admin.close();
    }
  });

  after(() => {
    if (root) removeRepo(root);
  });

  const gateways = (resources: ResourceResult[]) => resources.filter((resource) => resource.kind === 'Gateway');

  it('reports two resources, each against its own live object', async () => {
    const mesh = appOf(await statusOnce(root, info.kubeconfig), 'test', 'mesh');
    const [istio, gatewayApi] = ['networking.istio.io/v1beta1', 'gateway.networking.k8s.io/v1']
      .map((apiVersion) => gateways(mesh.resources).find((resource) => resource.apiVersion === apiVersion));
    assert.equal(gateways(mesh.resources).length, 2, JSON.stringify(mesh.resources.map((resource) => [resource.apiVersion, resource.status])));
    assert.ok(istio && gatewayApi);
    assert.notEqual(refId(istio), refId(gatewayApi));
    assert.equal(istio.status, 'OutOfSync', istio.reason);
    assert.ok(istio.changedPaths?.length && istio.changedPaths.every((pointer) => pointer.startsWith('/spec/servers')), String(istio.changedPaths));
    assert.equal(gatewayApi.status, 'Synced', gatewayApi.reason);
    assert.match(resourceYaml(istio, 'live') ?? '', /number: 8080/);
    assert.match(resourceYaml(istio, 'desired') ?? '', /number: 80\n/);
    assert.match(resourceYaml(gatewayApi, 'live') ?? '', /gatewayClassName: envoy/);
    assert.doesNotMatch(resourceYaml(gatewayApi, 'live') ?? '', /istio/);
    assert.deepEqual(shownNames(gateways(mesh.resources)).sort(), ['Gateway.gateway.networking.k8s.io/public', 'Gateway.networking.istio.io/public']);
  });

  it('prints the drifted one in `driftline diff`, named with its group', async () => {
    const io = captureIO();
    const code = await runDiff(['--repo', root, '--kubeconfig', info.kubeconfig], io);
    assert.equal(code, 1, io.err());
    assert.match(io.out(), new RegExp(`^--- live/Gateway\\.networking\\.istio\\.io/${namespace}/public$`, 'm'));
    assert.doesNotMatch(io.out(), /Gateway\.gateway\.networking\.k8s\.io/, 'the Synced Gateway API Gateway has no diff');
  });
});
