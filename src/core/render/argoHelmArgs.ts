// The `helm template` flags Argo CD's repo-server adds for an Application's `spec.source.helm` beside its values
// (util/helm TemplateOpts): parameters as `--set` / `--set-string` (one per name: a later one replaces an earlier
// one, as in its map), `fileParameters` as `--set-file`, each value's commas escaped unless it is a `{a,b}` list;
// `--kube-version` and `--api-versions` from the source, else the target cluster's; `--skip-schema-validation`,
// `--skip-tests`. Helm applies `--set` over the values files and `--set-string`, `--set-file` over `--set`
// whatever their order on the command line, as Argo CD relies on.
import type { ArgoHelmSettings } from '../model';
import type { HelmCapabilities } from './helmCluster';

/** Argo CD's cleanSetParameters: `,` becomes `\,` unless already escaped; a `{...}` list is left as it is. */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  return value.replace(/(?<!\\),/g, '\\,');
}

/** `name=value` flags, the last value of each name kept in the place of its first, as a Go map would hold them. */
function setFlags(flag: string, entries: { name: string; value: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const { name, value } of entries) byName.set(name, value);
  return [...byName].flatMap(([name, value]) => [flag, `${name}=${escapeSetValue(value)}`]);
}

/** The flags after the values files; `capabilities` are the target cluster's, used where the source sets none. */
export function argoHelmArgs(settings: ArgoHelmSettings, capabilities: HelmCapabilities | undefined): string[] {
  const kubeVersion = settings.kubeVersion ?? capabilities?.kubeVersion;
  const apiVersions = settings.apiVersions ?? capabilities?.apiVersions ?? [];
  return [
    ...setFlags('--set', settings.parameters.filter((parameter) => !parameter.forceString)),
    ...setFlags('--set-string', settings.parameters.filter((parameter) => parameter.forceString)),
    ...setFlags('--set-file', settings.fileParameters.map(({ name, path }) => ({ name, value: path }))),
    ...(kubeVersion ? ['--kube-version', kubeVersion] : []),
    ...apiVersions.flatMap((version) => ['--api-versions', version]),
    ...(settings.skipSchemaValidation ? ['--skip-schema-validation'] : []),
    ...(settings.skipTests ? ['--skip-tests'] : []),
  ];
}
