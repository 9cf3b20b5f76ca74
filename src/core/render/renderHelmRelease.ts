// A Flux HelmRelease's render beyond `helm template` of its chart, as helm-controller makes it: its values
// (valuesFrom, then spec.values: helmValues.ts), the target cluster's version and API versions, the CRDs its
// install/upgrade policies create, its post-renderers and the labels and annotations it and helm add. Values
// from Secrets are masked wherever they show in the objects.
import type { AppDefinition, DesiredObject, HelmReleaseSettings, KubeObject } from '../model';
import type { HelmCluster } from './helmCluster';
import type { ReadLiveSource } from './postBuild';
import { releaseMetadata, runPostRenderers } from './helmPostRender';
import { HelmValuesError, resolveHelmValues, type Values } from './helmValues';
import type { DecryptManifest, ToolOptions } from './options';
import { formatPointer } from '../drift/jsonPointer';

/** A rendered document of the chart: the object and the chart file it came from (`templates/x.yaml`, `crds/y.yaml`). */
export interface ChartDocument {
  object: KubeObject;
  template?: string;
}

export interface PreparedRelease {
  values: Values;
  /** `--kube-version`, `--api-versions`: the target cluster's, when it answers. */
  args: string[];
  /** Set when helm's defaults stand in for those of a cluster that did not answer: the row says so. */
  note?: string;
  /** helm's documents as helm-controller applies them. */
  finish(documents: ChartDocument[]): Promise<(ChartDocument & Pick<DesiredObject, 'secretPaths'>)[]>;
}

export interface HelmReleaseOptions extends ToolOptions {
  /** The target cluster: valuesFrom sources read live, and its versions. */
  helmCluster?: HelmCluster;
}

/** `HelmRelease flux-system/podinfo (/repo/apps/podinfo.yaml)`: how every message names the release. */
export function describeRelease(app: AppDefinition, release: HelmReleaseSettings): string {
  return `HelmRelease ${release.namespace}/${release.name} (${app.declaredAt.file})`;
}

/** A file of the chart's crds/ folder (its own or a subchart's): installed by helm apart from the templates. */
export const isCrdsFile = (template: string | undefined) => !!template && /(^|\/)crds\//.test(template) && !/(^|\/)templates\//.test(template);

export async function prepareHelmRelease(app: AppDefinition, release: HelmReleaseSettings, options: HelmReleaseOptions, decrypt: DecryptManifest | undefined): Promise<PreparedRelease> {
  const where = describeRelease(app, release);
  let resolved;
  try {
    resolved = await resolveHelmValues(release, app.helm?.values, decrypt, liveReader(options.helmCluster, release.sourcesEnvironment));
  } catch (error) {
    if (error instanceof HelmValuesError) throw new HelmValuesError(`${where}: ${error.message}`);
    throw error;
  }
  const capabilities = await options.helmCluster?.capabilities();
  const args = capabilities ? ['--kube-version', capabilities.kubeVersion, ...capabilities.apiVersions.flatMap((version) => ['--api-versions', version])] : [];
  const releaseName = app.helm!.releaseName;
  const releaseNamespace = app.namespace ?? release.namespace;
  // helm-controller installs the crds/ folder unless install.crds is Skip, and creates new ones on upgrade with Create or CreateReplace.
  const crdsDesired = release.installCrds !== 'Skip' || release.upgradeCrds !== 'Skip';
  return {
    values: resolved.values, args,
    // Without a cluster at all (driftline build) helm's defaults are what the user asked for; a cluster that does not answer is worth saying.
    ...(options.helmCluster && !capabilities ? { note: 'rendered with helm\'s default Kubernetes version and API versions: the cluster did not tell its own' } : {}),
    finish: async (documents) => {
      const crds = crdsDesired ? documents.filter(({ template }) => isCrdsFile(template)) : [];
      const manifests = documents.filter(({ template }) => !isCrdsFile(template));
      const templates = new Map(manifests.map(({ object, template }) => [identity(object), template]));
      const rendered = await runPostRenderers(manifests.map(({ object }) => object), release.postRenderers, where, resolved.secretStrings, options);
      const finished = rendered.map((object) => ({ object: releaseMetadata(object, release, releaseName, releaseNamespace), template: templates.get(identity(object)) }));
      return [...crds, ...finished].map((document) => {
        const secretPaths = resolved.secretStrings.length > 0 ? pathsHolding(document.object, resolved.secretStrings) : [];
        return secretPaths.length > 0 ? { ...document, secretPaths } : document;
      });
    },
  };
}

const identity = (object: KubeObject) => `${object.apiVersion}|${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name}`;

/** Shortest secret value looked for inside longer strings: shorter ones ("1", "true") would mask unrelated fields. */
const MIN_EMBEDDED = 4;

/** JSON pointers of the string fields of `object` that hold one of `secrets` (equal, or inside it when long enough). */
function pathsHolding(object: KubeObject, secrets: string[]): string[] {
  const found: string[] = [];
  const visit = (value: unknown, tokens: (string | number)[]) => {
    if (typeof value === 'string') {
      if (secrets.some((secret) => secret !== '' && (value === secret || (secret.length >= MIN_EMBEDDED && value.includes(secret))))) found.push(formatPointer(tokens));
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...tokens, index]));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, [...tokens, key]);
    }
  };
  visit(object, []);
  return found;
}

/** The cluster's reader of valuesFrom sources, in the cluster holding the HelmRelease. */
function liveReader(cluster: HelmCluster | undefined, sourcesEnvironment: string | undefined): ReadLiveSource | undefined {
  return cluster ? (source) => cluster.readLive(source, sourcesEnvironment) : undefined;
}
