// The SOPS settings, and the core options they translate to.
import * as vscode from 'vscode';
import type { SopsOptions } from '../../core/sops';
import { resolveSettingPath } from '../settings';

export type OpenDecrypted = 'ask' | 'always' | 'never';
export type EncryptOnSave = 'always' | 'ask' | 'never';

export interface SopsSettings {
  openDecrypted: OpenDecrypted;
  encryptOnSave: EncryptOnSave;
  /** The age identity file, with `~` and `${workspaceFolder}` expanded as for drift (settings.ts). */
  ageKeyFile?: string;
}

export function readSopsSettings(scope?: vscode.Uri): SopsSettings {
  const config = vscode.workspace.getConfiguration('driftline.sops', scope);
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
  return {
    openDecrypted: config.get<OpenDecrypted>('openDecrypted', 'ask'),
    encryptOnSave: config.get<EncryptOnSave>('encryptOnSave', 'ask'),
    ageKeyFile: resolveSettingPath(config.get<string>('ageKeyFile', ''), folder),
  };
}

/** Options for core/sops: the age key file setting, and no gpg/sops binaries in an untrusted workspace. */
export function sopsOptions(file: vscode.Uri): SopsOptions {
  const { ageKeyFile } = readSopsSettings(file);
  return { ageKeyFile, allowBinaries: vscode.workspace.isTrusted, fileName: file.fsPath };
}
