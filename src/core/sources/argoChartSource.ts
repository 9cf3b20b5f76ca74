// Where an Argo CD Helm source's chart lives: repo-server reads `repoURL` + `chart` as a chart repository when
// the URL is http(s), and as an OCI registry when it is `oci://` or has no scheme at all (`ghcr.io/org/charts`,
// which Argo CD only accepts for OCI Helm repositories).
export function argoChartRepoURL(repoURL: string | undefined): string | undefined {
  if (!repoURL) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repoURL) ? repoURL : `oci://${repoURL.replace(/\/+$/, '')}`;
}
