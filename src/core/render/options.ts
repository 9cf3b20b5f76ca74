import type { ToolPaths } from '../model';

/**
 * Decrypts one SOPS-encrypted manifest: gets its text and the file it came from, returns the plaintext
 * manifest (in memory only). The engine plugs `decryptManifestIfSops` from src/core/sops in here.
 */
export type DecryptSecret = (text: string, file: string) => Promise<string>;

export interface RenderOptions {
  /** kustomize/kubectl/helm paths; absent ones are looked up on PATH. */
  tools?: ToolPaths;
  /** SOPS hook. Without it, encrypted Secrets are rendered as Unknown ("no decryption configured"). */
  decryptSecret?: DecryptSecret;
  /** Longest one tool run may take (default 120 s). */
  timeoutMs?: number;
}
