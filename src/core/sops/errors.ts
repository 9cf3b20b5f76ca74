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
