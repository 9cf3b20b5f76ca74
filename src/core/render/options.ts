import type { ToolPaths } from '../model';
import type { FileReads } from './fileReads';

/**
 * Decrypts one SOPS-encrypted manifest: gets its text and the file it came from, returns the plaintext
 * manifest (in memory only), or undefined when the text is not SOPS-encrypted; throws when it cannot decrypt.
 * `(text, file) => decryptManifestIfSops(text, file, sopsOptions)` from src/core/sops fits as it is.
 */
export type DecryptSecret = (text: string, file: string) => Promise<string | undefined>;

export interface RenderOptions {
  /** kustomize/kubectl/helm paths; absent ones are looked up on PATH. */
  tools?: ToolPaths;
  /** SOPS hook. Without it, encrypted Secrets are rendered as Unknown ("no decryption configured"). */
  decryptSecret?: DecryptSecret;
  /** Longest one tool run may take (default 120 s). */
  timeoutMs?: number;
  /** Repo files read so far in this status (one per status; each file is read once). */
  reads?: FileReads;
  /** Stops the render: tool processes are killed and the render rejects with the abort reason at once. */
  signal?: AbortSignal;
}

/** What a tool run needs: paths, timeout and the signal that stops it (discovery's renders take these too). */
export type ToolOptions = Pick<RenderOptions, 'tools' | 'timeoutMs' | 'signal'>;
