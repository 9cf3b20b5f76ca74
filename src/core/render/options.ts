import type { ToolPaths } from '../model';
import type { ChartFetcher } from '../sources/remoteChart';
import type { FileReads } from './fileReads';
import type { HelmCluster } from './helmCluster';

/**
 * Decrypts one SOPS-encrypted manifest: gets its text and the file it came from, returns the plaintext
 * manifest (in memory only), or undefined when the text is not SOPS-encrypted; throws when it cannot decrypt.
 * `(text, file, how) => decryptManifestIfSops(text, file, { ...sopsOptions, ...how })` from src/core/sops fits as
 * it is. `allowBinaries` is false when tools may not run (RenderOptions.allowTools): then gpg and sops must not
 * run (age decrypts in process). `verifyMac` is false for the objects of a Flux Kustomization: kustomize-controller
 * decrypts them without checking the MAC, since its build changes them (namespace, labels, name prefixes).
 */
export type DecryptSecret = (text: string, file: string, how: DecryptHow) => Promise<string | undefined>;

export interface DecryptHow {
  allowBinaries: boolean;
  verifyMac: boolean;
  /** The render's signal: a gpg or sops process decryption runs is killed when it aborts. */
  signal?: AbortSignal;
}

/** A DecryptSecret told already how to decrypt for one app (renderApp binds it). */
export type DecryptManifest = (text: string, file: string) => Promise<string | undefined>;

export interface RenderOptions {
  /** kustomize/kubectl/helm paths; absent ones are looked up on PATH. */
  tools?: ToolPaths;
  /** SOPS hook. Without it, encrypted Secrets are rendered as Unknown ("no decryption configured"). */
  decryptSecret?: DecryptSecret;
  /** Longest one tool run may take (default 120 s). */
  timeoutMs?: number;
  /**
   * False in an untrusted workspace: no tool process runs (kustomize, kubectl, helm; gpg and sops through
   * decryptSecret). Plain YAML apps still render; the others fail saying which tool they need. Default true.
   */
  allowTools?: boolean;
  /** Repo files read so far in this status (one per status; each file is read once). */
  reads?: FileReads;
  /** Stops the render: tool processes are killed and the render rejects with the abort reason at once. */
  signal?: AbortSignal;
  /** Fetches charts from Helm repositories and OCI registries (the workspace's cache); without it they need network. */
  fetchChart?: ChartFetcher;
  /** Filled by one app's render: where its fetched sources came from when that is worth saying (renderCollected sets it). */
  sourceNotes?: SourceNote[];
  /** The environment's cluster, which Flux HelmReleases read live valuesFrom sources and versions from (absent: none is asked). */
  helmCluster?: HelmCluster;
}

/** What a render tells about its sources: a mirror that served a chart, a stand-in for something unreachable. */
export interface SourceNote {
  text: string;
  /** A stand-in for what may be back by the next refresh (a cached chart, helm's default versions): the render is not kept. */
  provisional?: boolean;
}

/** What a tool run needs: paths, timeout, whether tools may run, and the signal that stops it (discovery's renders take these too). */
export type ToolOptions = Pick<RenderOptions, 'tools' | 'timeoutMs' | 'allowTools' | 'signal' | 'fetchChart' | 'sourceNotes'>;
