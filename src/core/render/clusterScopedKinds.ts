// Kinds that have no namespace. Rendering gives an app's namespace only to objects that can have one; the
// list covers Kubernetes' own kinds and the cluster-scoped kinds of common GitOps add-ons. Kinds not listed
// are treated as namespaced, as kustomize does; the drift engine corrects with the server's discovery.
const CLUSTER_SCOPED_KINDS = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CSIDriver', 'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration',
  'Namespace', 'Node', 'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass', 'PriorityLevelConfiguration',
  'RuntimeClass', 'StorageClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment', 'VolumeSnapshotClass', 'VolumeSnapshotContent',
  'ClusterIssuer', 'ClusterPolicy', 'ClusterSecretStore', 'GatewayClass', 'ClusterServiceVersion',
]);

export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}
