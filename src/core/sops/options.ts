// Where the SOPS layer finds keys and tools. Every field is optional; defaults follow the sops CLI.
export interface SopsOptions {
  /** Extra age identities (AGE-SECRET-KEY-1... lines), tried before the environment's. */
  ageIdentities?: string[];
  /** An age identity file chosen by the user (the VS Code setting driftline.sops.ageKeyFile). */
  ageKeyFile?: string;
  /** GNUPGHOME for gpg; default: gpg's own (env GNUPGHOME or ~/.gnupg). */
  gnupgHome?: string;
  /** Environment read for SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, XDG_CONFIG_HOME, HOME, PATH; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The gpg executable; default `gpg` on PATH. */
  gpgBinary?: string;
  /** The sops executable used for KMS / Vault / Azure / GCP keys; default `sops` on PATH. */
  sopsBinary?: string;
  /** False in an untrusted VS Code workspace: gpg and sops are then never run (age still works natively). */
  allowBinaries?: boolean;
  /** Names the document in errors when it did not come from a file. */
  fileName?: string;
  /**
   * False decrypts the values without checking the MAC, as kustomize-controller decrypts the objects of a
   * build (its checkSopsMac is off: kustomize adds namespaces, labels and prefixes, so an object that left its
   * file intact is rare). Default true: the editor, encrypt-on-save and plain files always check it.
   */
  verifyMac?: boolean;
  /** Stops decryption: a gpg or sops process it runs is killed, and the call rejects with the abort reason. */
  signal?: AbortSignal;
}

export function envOf(opts: SopsOptions | undefined): NodeJS.ProcessEnv {
  return opts?.env ?? process.env;
}
