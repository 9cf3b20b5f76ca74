// Every failure the SOPS layer reports to a user: the message always names the file.
export class SopsError extends Error {
  constructor(message: string, readonly code: SopsErrorCode = 'failed') {
    super(message);
    this.name = 'SopsError';
  }
}

export type SopsErrorCode =
  | 'failed'
  | 'not-encrypted'
  | 'no-mac'
  | 'mac-mismatch'
  | 'no-identity'
  | 'wrong-key'
  | 'needs-sops-cli'
  | 'no-creation-rule';

/** A lower layer's error as a SopsError whose message names `file` (prefixed when it does not already). */
export function sopsErrorNaming(file: string, error: unknown, suffix = ''): SopsError {
  const message = error instanceof Error ? error.message : String(error);
  return new SopsError(`${message.includes(file) ? message : `${file}: ${message}`}${suffix}`);
}
