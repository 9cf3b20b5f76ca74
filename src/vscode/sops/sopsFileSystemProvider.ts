// The `sops:` file system: `sops:/path/to/secret.yaml` is the decrypted view of the file at that path,
// decrypted in memory on read; a save re-encrypts with the file's data key (unchanged values keep their
// ciphertext) and replaces the file atomically, so only ciphertext ever reaches the disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { decryptText, formatForPath, reencryptEdited, writeFileAtomic } from '../../core/sops';
import { sopsOptions } from './sopsSettings';

export const SOPS_SCHEME = 'sops';

export function decryptedUri(file: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: SOPS_SCHEME, path: file.path });
}

export function encryptedFileOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.file(uri.path);
}

export class SopsFileSystemProvider implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  /** Decrypted sizes, so stat() agrees with readFile() without decrypting twice. */
  private readonly sizes = new Map<string, number>();

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = encryptedFileOf(uri).fsPath;
    let stats: fs.Stats;
    try {
      stats = fs.statSync(file);
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return { type: vscode.FileType.File, ctime: stats.ctimeMs, mtime: stats.mtimeMs, size: this.sizes.get(file) ?? stats.size };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const file = encryptedFileOf(uri);
    const ciphertext = readText(uri);
    try {
      const { plaintext } = await decryptText(ciphertext, formatForPath(file.fsPath), sopsOptions(file));
      const bytes = Buffer.from(plaintext, 'utf8');
      this.sizes.set(file.fsPath, bytes.length);
      return bytes;
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(messageOf(error));
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const file = encryptedFileOf(uri);
    if (!fs.existsSync(file.fsPath)) {
      throw options.create ? vscode.FileSystemError.NoPermissions(`${file.fsPath}: create the file and encrypt it first`) : vscode.FileSystemError.FileNotFound(uri);
    }
    const original = readText(uri);
    let ciphertext: string;
    try {
      ciphertext = await reencryptEdited(original, Buffer.from(content).toString('utf8'), formatForPath(file.fsPath), sopsOptions(file));
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(messageOf(error));
    }
    writeFileAtomic(file.fsPath, ciphertext);
    this.sizes.set(file.fsPath, content.byteLength);
    this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(uri: vscode.Uri): vscode.Disposable {
    const file = encryptedFileOf(uri).fsPath;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    const changed = () => this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    const deleted = () => this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    return vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(deleted));
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changes.dispose();
  }
}

function readText(uri: vscode.Uri): string {
  try {
    return fs.readFileSync(encryptedFileOf(uri).fsPath, 'utf8');
  } catch {
    throw vscode.FileSystemError.FileNotFound(uri);
  }
}
