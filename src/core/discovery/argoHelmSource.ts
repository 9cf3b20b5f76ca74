// `spec.source.helm` of an Argo CD Application beside its value files, read as its repo-server reads it
// (helmTemplate): `valuesObject` replaces `values` when both are set (ValuesYAML), `parameters` become `--set` /
// `--set-string` and `fileParameters` `--set-file` with `$ARGOCD_APP_*` substituted (file paths resolved like value
// files), and `skipCrds`, `skipSchemaValidation`, `skipTests`, `namespace`, `kubeVersion`, `apiVersions` are kept
// for the render (render/argoHelmArgs.ts).
import { parse as parseYaml } from 'yaml';
import type { ArgoHelmSettings } from '../model';
import { argoEnvsubst, type ArgoEnv } from './argoEnv';
import { resolveValueFiles, type ValueFileContext } from './argoValueFiles';

export interface ArgoHelmFields {
  releaseName?: string;
  valueFiles?: string[];
  ignoreMissingValueFiles?: boolean;
  values?: string;
  valuesObject?: Record<string, unknown>;
  parameters?: { name?: unknown; value?: unknown; forceString?: unknown }[];
  fileParameters?: { name?: unknown; path?: unknown }[];
  skipCrds?: boolean;
  skipSchemaValidation?: boolean;
  skipTests?: boolean;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
}

export type ArgoHelmValues = { values?: Record<string, unknown> } | { unknownReason: string };

/** The inline values helm gets: `valuesObject` if set, else `values` (a YAML string), as one values file after the others. */
export function argoHelmValues(helm: ArgoHelmFields | undefined, field: string): ArgoHelmValues {
  if (helm?.valuesObject && typeof helm.valuesObject === 'object') {
    return Object.keys(helm.valuesObject).length > 0 ? { values: helm.valuesObject } : {};
  }
  if (typeof helm?.values !== 'string' || helm.values.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(helm.values);
  } catch (error) {
    return { unknownReason: `${field}.helm.values is not YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return { unknownReason: `${field}.helm.values is not a map of values` };
  return { values: parsed as Record<string, unknown> };
}

/**
 * The settings of `helm` for `helm template`, or why they cannot be honoured here; `chartDir` as for value files
 * (undefined for a chart from a Helm repository), `env` Argo CD's build environment of the app.
 */
export function argoHelmSettings(helm: ArgoHelmFields | undefined, chartDir: string | undefined, env: ArgoEnv, context: Omit<ValueFileContext, 'ignoreMissing'>): { settings?: ArgoHelmSettings } | { unknownReason: string } {
  if (!helm) return {};
  const parameters: ArgoHelmSettings['parameters'] = [];
  for (const [index, parameter] of (Array.isArray(helm.parameters) ? helm.parameters : []).entries()) {
    if (typeof parameter?.name !== 'string' || parameter.name === '') return { unknownReason: `${context.field}.helm.parameters[${index}] has no name` };
    parameters.push({ name: parameter.name, value: argoEnvsubst(String(parameter.value ?? ''), env), forceString: parameter.forceString === true });
  }
  const fileParameters: ArgoHelmSettings['fileParameters'] = [];
  for (const [index, parameter] of (Array.isArray(helm.fileParameters) ? helm.fileParameters : []).entries()) {
    const where = `${context.field}.helm.fileParameters[${index}]`;
    if (typeof parameter?.name !== 'string' || parameter.name === '' || typeof parameter.path !== 'string') return { unknownReason: `${where} needs a name and a path` };
    const resolved = resolveValueFiles([argoEnvsubst(parameter.path, env)], chartDir, { ...context, field: where });
    if ('unknownReason' in resolved) return resolved;
    fileParameters.push({ name: parameter.name, path: resolved.files[0]! });
  }
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const namespace = text(helm.namespace);
  const kubeVersion = text(helm.kubeVersion);
  const apiVersions = Array.isArray(helm.apiVersions) ? helm.apiVersions.filter((version): version is string => typeof version === 'string' && version !== '') : [];
  return {
    settings: {
      parameters, fileParameters, skipCrds: helm.skipCrds === true, skipSchemaValidation: helm.skipSchemaValidation === true, skipTests: helm.skipTests === true,
      ...(namespace ? { namespace } : {}), ...(kubeVersion ? { kubeVersion } : {}), ...(apiVersions.length > 0 ? { apiVersions } : {}),
    },
  };
}
