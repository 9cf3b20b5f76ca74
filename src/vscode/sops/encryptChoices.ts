// The answer to "encrypt this file when it is saved?" per file, kept in the workspace's state so that a file
// is asked about once, not on every session.
import type * as vscode from 'vscode';

export type EncryptChoice = 'encrypt' | 'plaintext';

const STATE_KEY = 'driftline.sops.encryptChoices';

export class EncryptChoices {
  private readonly choices: Map<string, EncryptChoice>;

  /** Without a Memento (tests that register SOPS by hand) the answers last for the session. */
  constructor(private readonly state: vscode.Memento | undefined) {
    this.choices = new Map(Object.entries(state?.get<Record<string, EncryptChoice>>(STATE_KEY) ?? {}));
  }

  get(file: vscode.Uri): EncryptChoice | undefined {
    return this.choices.get(file.toString());
  }

  async set(file: vscode.Uri, choice: EncryptChoice): Promise<void> {
    this.choices.set(file.toString(), choice);
    await this.state?.update(STATE_KEY, Object.fromEntries(this.choices));
  }
}
