// Two kinds with one name in different API groups, as a cluster with Istio and Gateway API has them: Istio's
// `networking.istio.io` Gateway and Gateway API's `gateway.networking.k8s.io` Gateway. Minimal CRDs (any
// fields accepted), written here rather than copied from either project; the Gateway API one carries the
// approval annotation a `*.k8s.io` group requires, as the real one does.
import type { ClusterClient } from '../../src/core/cluster/client';
import type { KubeObject } from '../../src/core/model';
import { createUnlessExists, waitUntilEstablished } from './crds';

export const ISTIO_GATEWAY_API_VERSION = 'networking.istio.io/v1beta1';
export const GATEWAY_API_GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';

function gatewayCrd(group: string, version: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gateways.${group}`, ...(annotations ? { annotations } : {}) },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'gateways', singular: 'gateway', kind: 'Gateway', listKind: 'GatewayList' },
      versions: [{
        name: version, served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      }],
    },
  };
}

export const GATEWAY_CRDS: KubeObject[] = [
  gatewayCrd('networking.istio.io', 'v1beta1'),
  gatewayCrd('gateway.networking.k8s.io', 'v1', { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api' }),
];

/**
 * Installs both CRDs (idempotent, also across processes sharing the cluster) and returns once the server's
 * discovery serves both kinds: it lists a new kind a moment after the CRD is Established.
 */
export async function installGatewayCrds(client: ClusterClient): Promise<void> {
  for (const crd of GATEWAY_CRDS) await createUnlessExists(client, crd);
  for (const crd of GATEWAY_CRDS) await waitUntilEstablished(client, crd.metadata.name);
  const deadline = Date.now() + 30_000;
  for (const apiVersion of [ISTIO_GATEWAY_API_VERSION, GATEWAY_API_GATEWAY_API_VERSION]) {
    while (!(await client.resourceFor(apiVersion, 'Gateway'))) {
      if (Date.now() > deadline) throw new Error(`discovery does not serve Gateway in ${apiVersion} 30 s after its CRD was Established`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Istio's Gateway: a selector and servers. */
export function istioGateway(namespace: string, name: string, port = 80): KubeObject {
  return {
    apiVersion: ISTIO_GATEWAY_API_VERSION, kind: 'Gateway', metadata: { name, namespace },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: port, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  };
}

/** Gateway API's Gateway: a class and listeners. */
export function gatewayApiGateway(namespace: string, name: string, port = 80): KubeObject {
  return {
    apiVersion: GATEWAY_API_GATEWAY_API_VERSION, kind: 'Gateway', metadata: { name, namespace },
    spec: { gatewayClassName: 'envoy', listeners: [{ name: 'http', protocol: 'HTTP', port }] },
  };
}
