// The shared vocabulary of Driftline: what discovery finds, what rendering produces, and what the drift
// engine reports. Every layer (CLI, VS Code views, sync, bench) reads these types; none of them import vscode.
import type { ControllerState, DirectSyncState } from './health/controllerState';

/** A Kubernetes object as plain JSON (what YAML parses to and what the API returns). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** Identifies one object; `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Whether the live object matches Git. Spelled exactly as in `driftline status --json`. */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Missing' | 'Extra' | 'Unknown';

/**
 * Health of a live object, for kinds that have one. `Paused`: a progressive rollout waits at a step for a
 * promotion or a gate (Argo CD calls it Suspended); `Suspended`: someone stopped it (spec.paused, spec.suspend).
 */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Paused' | 'Suspended' | 'Missing' | 'Unknown';

/**
 * How the desired objects of an app are produced from the repo. `jsonnet`: an Argo CD directory source with
 * `.jsonnet` files (evaluated with jsonnet), beside any YAML/JSON files of the folder. `resourceset`: the
 * objects a Flux Operator ResourceSet generates, expanded by discovery (AppDefinition.generatedObjects).
 */
export type RendererKind = 'yaml' | 'kustomize' | 'helm' | 'jsonnet' | 'resourceset';

/** Where an app or environment was declared, for "Go to source" and for error messages. */
export interface SourceLocation {
  /** Absolute path. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
}

export type AppOrigin = 'config' | 'flux-kustomization' | 'flux-helmrelease' | 'flux-resourceset' | 'argo-application' | 'convention';

/** The GitOps controller object that manages an app in its cluster, when there is one. */
export interface ControllerRef {
  apiVersion: string;
  kind: 'Kustomization' | 'HelmRelease' | 'ResourceSet' | 'Application';
  name: string;
  namespace: string;
}

/** Helm input of an app rendered with `helm template`. */
export interface HelmSource {
  /** Absolute path of a local chart directory. */
  chartPath?: string;
  /** Chart name and repository URL when the chart is remote (rendering needs network: usually Unknown here). */
  chart?: string;
  repoURL?: string;
  version?: string;
  /** An OCI tag taken as it is, not as a version or range (Flux OCIRepository `ref.tag`, default `latest`). */
  tag?: string;
  /** The OCI registry speaks plain HTTP (Flux HelmRepository/OCIRepository `spec.insecure`). */
  insecure?: boolean;
  releaseName: string;
  /** Where helm-controller stores the release (HelmRelease `spec.storageNamespace`, default its own namespace): Flux only. */
  storageNamespace?: string;
  /** Absolute paths of values files, in order. */
  valuesFiles: string[];
  /** Inline values (HelmRelease `spec.values`, Argo `helm.values`). */
  values?: Record<string, unknown>;
  /** A Flux HelmRelease: what helm-controller does beyond `helm template` (valuesFrom, CRDs, post-renderers, labels). */
  release?: HelmReleaseSettings;
  /** An Argo CD Helm source: what its repo-server passes to `helm template` beside values (render/argoHelmArgs.ts). */
  argo?: ArgoHelmSettings;
}

/** Argo CD `spec.source.helm` fields that change `helm template` beyond value files and values. */
export interface ArgoHelmSettings {
  /** `parameters` (`--set`, or `--set-string` with forceString), values after Argo CD's `$ARGOCD_APP_*` substitution. */
  parameters: { name: string; value: string; forceString: boolean }[];
  /** `fileParameters` (`--set-file`): absolute paths. */
  fileParameters: { name: string; path: string }[];
  /** `skipCrds`: no `--include-crds`. */
  skipCrds: boolean;
  skipSchemaValidation: boolean;
  skipTests: boolean;
  /** `namespace`: what `.Release.Namespace` is (default the destination namespace). */
  namespace?: string;
  /** `kubeVersion` / `apiVersions` (default the target cluster's). */
  kubeVersion?: string;
  apiVersions?: string[];
}

/** The parts of a Flux HelmRelease's spec that decide its objects beside the chart and `spec.values`. */
export interface HelmReleaseSettings {
  /** The HelmRelease object (`<namespace>/<name>`): its origin labels, and how messages name it. */
  name: string;
  namespace: string;
  /** `spec.valuesFrom`, in order; `spec.values` (HelmSource.values) is merged over them all. */
  valuesFrom: HelmValuesReference[];
  /** `spec.chart.spec.valuesFiles` of a fetched chart: files inside it, merged to replace its values.yaml (source-controller). */
  chartValuesFiles?: string[];
  /** `spec.chart.spec.ignoreMissingValuesFiles`: a listed file the chart does not have is left out instead of failing. */
  ignoreMissingValuesFiles?: boolean;
  /** `install.crds` / `upgrade.crds` (default Create / Skip): whether the chart's crds/ folder is desired. */
  installCrds: HelmCrdPolicy;
  upgradeCrds: HelmCrdPolicy;
  /** `spec.postRenderers[].kustomize` as written, applied in order to helm's output. */
  postRenderers: Record<string, unknown>[];
  /** `spec.commonMetadata`: labels and annotations set on every rendered object. */
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /**
   * The environment whose cluster holds the HelmRelease, when it installs into another one (spec.kubeConfig):
   * helm-controller reads valuesFrom there, with its own client.
   */
  sourcesEnvironment?: string;
}

export type HelmCrdPolicy = 'Skip' | 'Create' | 'CreateReplace';

/** One `valuesFrom` entry: a ConfigMap or Secret in the HelmRelease's namespace. */
export interface HelmValuesReference extends SubstituteSource {
  /** `valuesKey`, default `values.yaml`. */
  valuesKey: string;
  /** `targetPath`: the key's value is set there with helm's `--set` syntax instead of merged as YAML at the root. */
  targetPath?: string;
  /** `literal`: with targetPath, the value is set as it is (`--set-literal`). */
  literal?: boolean;
}

export interface AppDefinition {
  name: string;
  environment: string;
  renderer: RendererKind;
  /** Absolute folder the app renders from (kustomize root, YAML folder, or chart). */
  path: string;
  /** Namespace given to namespaced objects that have none (Flux `targetNamespace`, Argo destination). */
  namespace?: string;
  helm?: HelmSource;
  origin: AppOrigin;
  /** Where the app is declared (the Kustomization/Application file, `.driftline.yaml`, or the folder). */
  declaredAt: SourceLocation;
  /** The controller object that manages it live, used for Extra tracking and controller-mode sync. */
  controller?: ControllerRef;
  /** Set when discovery already knows the app cannot be rendered (e.g. a remote source, helm missing). */
  unknownReason?: string;
  /**
   * A Flux HelmRelease whose chart source is not in this repository (a HelmRepository applied from elsewhere):
   * why, as long as it is the app's unknownReason. The release stored in the cluster may stand in (storedReleases.ts).
   */
  chartSourceMissing?: string;
  /**
   * Set when the controller deploys another revision of this repository than the one compared (Argo CD
   * `targetRevision` v1.2.0 while the working tree is compared): the app still renders, and says so.
   */
  revisionNote?: string;
  /** Set when the app's Git source is the cached checkout of a remote that could not be reached: its row says so. */
  sourceNote?: string;
  /**
   * Renderer `resourceset`: the objects the Flux Operator applies for the ResourceSet (its templates x its
   * inputs, as the parent's build emits it), each declared where the ResourceSet is.
   */
  generatedObjects?: DesiredObject[];
  /** YAML renderer: include files in subfolders too (Flux folders without kustomization.yaml, Argo `directory.recurse`). */
  recurse?: boolean;
  /**
   * Kustomization fields a controller adds on top of the folder when it builds it (Flux Kustomization
   * `targetNamespace` -> `namespace`, `patches`, `images`, `namePrefix`, `nameSuffix`, `commonMetadata`).
   */
  kustomizeOverlay?: Record<string, unknown>;
  /** Flux `postBuild` variable substitution (`${var}`, `${var:=default}`) applied to the rendered objects. */
  substitute?: PostBuildSubstitution;
  /** Flux Kustomization / HelmRelease: where it sits in the tree the controllers build. */
  flux?: FluxAppInfo;
  /** Argo CD directory source (renderer `yaml` or `jsonnet`): which files it renders and how `.jsonnet` files are evaluated. */
  directory?: DirectorySource;
  /**
   * Argo CD multi-source Application with several sources that render manifests: each renders on its own (with
   * the app's name, namespace and environment) and the app's objects are their union, a later source's object
   * replacing an earlier one of the same identity. The app's own renderer/path/helm are those of the first.
   */
  sources?: AppSource[];
}

/** What one source of a multi-source app renders from: the single-source fields of AppDefinition. */
export type AppSource = Pick<AppDefinition, 'renderer' | 'path' | 'helm' | 'recurse' | 'kustomizeOverlay' | 'directory' | 'unknownReason' | 'revisionNote'>;

/** Argo CD `spec.source.directory`: the files of the folder it renders, and its jsonnet settings. */
export interface DirectorySource {
  /** `directory.include` / `exclude`: globs matched against each file's path relative to the app folder. */
  include?: string;
  exclude?: string;
  jsonnet?: JsonnetSettings;
}

/** `directory.jsonnet`: top-level arguments, external variables and library folders of every `.jsonnet` file. */
export interface JsonnetSettings {
  tlas: JsonnetVariable[];
  extVars: JsonnetVariable[];
  /** Absolute library folders (`libs`, relative to the repository root), after the app folder on the import path. */
  libs: string[];
}

export interface JsonnetVariable {
  name: string;
  /** The value after Argo CD's `$ARGOCD_APP_*` substitution. */
  value: string;
  /** The value is Jsonnet code, not a string. */
  code: boolean;
}

export interface FluxAppInfo {
  /** The Kustomization whose build applies it (`<namespace>/<name>`); absent for a cluster root's direct children of no Kustomization. */
  parent?: string;
  /** `ResourceSet` when `parent` names the Flux Operator ResourceSet that generates it rather than a Kustomization. */
  parentKind?: 'ResourceSet';
  /** `spec.dependsOn` as `<namespace>/<name>`. */
  dependsOn: string[];
  suspend: boolean;
  targetNamespace?: string;
  serviceAccountName?: string;
  /** `spec.kubeConfig.secretRef` as `<namespace>/<name>`: it is applied to another cluster. */
  kubeConfigSecret?: string;
}

export interface PostBuildSubstitution {
  /** `postBuild.substitute` (newlines removed, as the controller does): overrides every substituteFrom value. */
  variables: Record<string, string>;
  /** `postBuild.substituteFrom`, in order (a later one overrides an earlier one's variables). */
  from: SubstituteSource[];
  /**
   * The environment whose cluster holds the Kustomization object, when it applies to another one (spec.kubeConfig):
   * kustomize-controller reads substituteFrom there, with its own client.
   */
  sourcesEnvironment?: string;
}

/** One `postBuild.substituteFrom` entry: a ConfigMap or Secret in the Kustomization's namespace. */
export interface SubstituteSource {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  /** Skipped when it does not exist; otherwise the Kustomization fails until it does. */
  optional: boolean;
  /**
   * The object as a build of the environment emits it, SOPS-encrypted Secrets still encrypted (rendering decrypts
   * them in memory); absent: the object is read live from the cluster when the app compares.
   */
  built?: { object: KubeObject; file: string };
}

export interface EnvironmentDefinition {
  name: string;
  /** Kube context from configuration; the engine resolves a default when absent. */
  context?: string;
  protected: boolean;
  apps: AppDefinition[];
}

/** Ignore a JSON pointer in matching objects (like Argo CD `ignoreDifferences`). Absent selectors match all. */
export interface IgnoreRule {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
}

export interface DiscoveryProblem {
  file: string;
  message: string;
  /** 1-based line in `file`, when known. */
  line?: number;
}

/** Paths of the external tools rendering runs; absent ones are looked up on PATH. */
export interface ToolPaths {
  kustomize?: string;
  kubectl?: string;
  helm?: string;
  jsonnet?: string;
}

/** Everything discovery found in a repository. */
export interface RepoModel {
  root: string;
  environments: EnvironmentDefinition[];
  ignoreRules: IgnoreRule[];
  problems: DiscoveryProblem[];
  /** Tool paths from `.driftline.yaml` (`tools:`). */
  tools?: ToolPaths;
  /**
   * Files discovery read Flux or Argo CD objects from, and app-of-apps chart folders: an edit there can change
   * the model (absent: unknown, so any change re-discovers).
   */
  controllerFiles?: string[];
  /** `sources.mirrors` of `.driftline.yaml`: URL prefix -> mirror URL prefix, applied before any source is fetched. */
  sourceMirrors?: Record<string, string>;
}

/** One object an app wants, with where it came from. */
export interface DesiredObject {
  object: KubeObject;
  source: SourceLocation;
  /** Set when this one object cannot be compared (a SOPS-encrypted Secret without a key): report it Unknown. */
  unknownReason?: string;
  /** JSON pointers of fields post-build substitution filled from a Secret: masked in diffs like a Secret's values. */
  secretPaths?: string[];
}

export interface RenderedApp {
  app: AppDefinition;
  objects: DesiredObject[];
  /** Hash of the app's input files; equal hashes render equal objects. */
  inputHash: string;
  /** Set when rendering failed: the tool's own message. */
  error?: string;
  /** Where a fetched source came from when the row should say so ("chart podinfo 6.5.4 from cache, fetched 2 h ago (...)"). */
  sourceNote?: string;
  /**
   * True when a stand-in was rendered for something that may be back by the next refresh (the cached chart of an
   * unreachable source, helm's default versions for a cluster that did not answer): the render cache does not
   * keep it. A note that stays true (a mirror served the chart) does not make a render provisional.
   */
  provisional?: boolean;
  /**
   * Set when the render failed only because a remote chart could not be fetched and no copy is cached: why. The
   * engine may then compare a HelmRelease against the release helm-controller stored in the cluster (storedReleases.ts).
   */
  chartNotFetched?: string;
}

/**
 * How the predicted object was obtained: the server's dry-run, the live object itself because its managedFields
 * prove an apply would change nothing (provenUnchanged.ts), or client-side when the user may not dry-run.
 */
export type ComparisonMode = 'server-side-dry-run' | 'managed-fields' | 'client-side';

export interface ResourceResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  status: SyncStatus;
  health?: HealthStatus;
  /** Why: the drifted paths, the server's refusal, the missing CRD, ... */
  reason?: string;
  comparison?: ComparisonMode;
  /** Where Git defines it (absent for Extra objects). */
  source?: SourceLocation;
  /**
   * Both sides of the diff as plain objects: normalized (no server defaults, status or managedFields), ignored
   * fields removed, Secret values masked unless revealed. `live` is absent when there is no live object (Missing),
   * `desired` when Git has none (Extra). The YAML text is made by `resourceYaml` (drift/diffText.ts) when a diff
   * is shown, never for every result.
   */
  live?: KubeObject;
  desired?: KubeObject;
  /** JSON pointers that differ. */
  changedPaths?: string[];
  /** Why the health is what it is (a failing condition's message, replicas not yet ready, ...). */
  healthMessage?: string;
  /** The few words of it a row has room for (a rollout's `step 2/6 · weight 40%`, a canary's `weight 20% · 4/10 failed checks`). */
  healthSummary?: string;
}

export interface StatusCounts {
  synced: number;
  outOfSync: number;
  missing: number;
  extra: number;
  unknown: number;
}

export interface AppResult {
  name: string;
  environment: string;
  status: SyncStatus;
  renderer: RendererKind;
  path: string;
  counts: StatusCounts;
  resources: ResourceResult[];
  /** Render, discovery or cluster error for the whole app. */
  reason?: string;
  /**
   * The GitOps controller object that manages the app (from discovery), when it has one, with what its live status
   * says (ControllerState: Ready, revisions, source, commits behind; the engine reads it after comparing).
   */
  controller?: ControllerState;
  /**
   * Hook objects Git defines for the app (Argo CD `argocd.argoproj.io/hook`, `helm.sh/hook` for Argo CD and Helm
   * apps): run around a sync, not desired state, so not compared (absent when there are none).
   */
  hooks?: HookResource[];
  /** From discovery: the controller deploys another revision than the working tree compared (AppDefinition.revisionNote). */
  revisionNote?: string;
  /** From rendering: a remote chart was compared from the cache since its source could not be fetched (RenderedApp.sourceNote). */
  sourceNote?: string;
  /** From discovery: where a Flux Kustomization or HelmRelease sits in the tree (parent, dependsOn, suspend). */
  flux?: FluxAppInfo;
  /** An app Driftline syncs directly (no controller): the commit its last sync recorded on the objects (DirectSyncState). */
  directSync?: DirectSyncState;
}

/** A hook object of an app: kept out of the comparison, listed apart. */
export interface HookResource {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The annotation's value: `PreSync`, `PostSync`, `pre-install,pre-upgrade`, ... */
  hook: string;
  source: SourceLocation;
}

export interface EnvironmentResult {
  name: string;
  context: string;
  protected: boolean;
  apps: AppResult[];
  /** Cluster-level failure (unreachable, expired token). */
  reason?: string;
}

export interface StatusReport {
  repo: string;
  generatedAt: string;
  environments: EnvironmentResult[];
  /** What discovery could not understand (malformed YAML, duplicate objects, ...), each naming its file. */
  problems?: DiscoveryProblem[];
}

/** Labels and annotations Driftline writes on what it applies, so that prune can find its own objects. */
export const DRIFTLINE_APP_LABEL = 'driftline.dev/app';
export const DRIFTLINE_ENV_ANNOTATION = 'driftline.dev/environment';
/** The commit a direct sync applied from (`<sha>`, `<sha>-dirty` with uncommitted changes in the app's files). */
export const DRIFTLINE_REVISION_ANNOTATION = 'driftline.dev/revision';
export const DRIFTLINE_FIELD_MANAGER = 'driftline';

/** Tracking labels and annotations GitOps controllers put on what they apply: how Extra objects are found. */
export const FLUX_KUSTOMIZE_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const FLUX_KUSTOMIZE_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
export const FLUX_HELM_NAME_LABEL = 'helm.toolkit.fluxcd.io/name';
export const FLUX_HELM_NAMESPACE_LABEL = 'helm.toolkit.fluxcd.io/namespace';
/** The Flux Operator labels what a ResourceSet applies (and lists it in the ResourceSet's `status.inventory`). */
export const FLUX_RESOURCESET_NAME_LABEL = 'resourceset.fluxcd.controlplane.io/name';
export const FLUX_RESOURCESET_NAMESPACE_LABEL = 'resourceset.fluxcd.controlplane.io/namespace';
/** Argo CD annotation tracking: `<app>:<group>/<kind>:<namespace>/<name>`. */
export const ARGO_TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** Argo CD's default label tracking (only meaningful for apps an Argo CD Application manages). */
export const ARGO_INSTANCE_LABEL = 'app.kubernetes.io/instance';

// Object identity (group, kind, namespace, name; the keys built from it) lives in identity.ts; these are
// re-exported for the modules that name objects through the model.
export { describeRef, groupOf, refOf } from './identity';
