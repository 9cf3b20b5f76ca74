// Files whose data key sits only in a cloud KMS, Vault or Azure Key Vault go through the sops CLI, with the
// document on stdin and the result on stdout (never a plaintext file, never plaintext in arguments).
import * as path from 'node:path';
import { SopsError } from '../errors';
import { envOf, SopsOptions } from '../options';
import { SopsFormat } from '../stores/store';
import { MissingBinaryError, runWithStdin } from './run';

async function runSops(args: string[], input: string, file: string, keyTypes: string[], opts?: SopsOptions, cwd?: string): Promise<string> {
  const binary = opts?.sopsBinary ?? 'sops';
  try {
    const result = await runWithStdin(binary, args, input, { env: envOf(opts), cwd, allowed: opts?.allowBinaries !== false, signal: opts?.signal });
    if (result.code !== 0) throw new SopsError(`${file}: sops failed: ${result.stderr.trim().split('\n').pop() ?? ''}`);
    return result.stdout.toString('utf8');
  } catch (err) {
    if (err instanceof MissingBinaryError) {
      throw new SopsError(`${file}: its ${keyTypes.join(', ')} keys need the sops CLI, which is not on PATH; install sops or add an age or PGP key to the file`, 'needs-sops-cli');
    }
    throw err;
  }
}

export function decryptWithSopsCli(ciphertext: string, format: SopsFormat, file: string, keyTypes: string[], opts?: SopsOptions): Promise<string> {
  return runSops(['decrypt', '--input-type', format, '--output-type', format, '/dev/stdin'], ciphertext, file, keyTypes, opts);
}

/** Encrypts with the creation rule sops itself finds for `filePath` (run from the file's folder). */
export function encryptWithSopsCli(plaintext: string, format: SopsFormat, filePath: string, keyTypes: string[], opts?: SopsOptions): Promise<string> {
  return runSops(['encrypt', '--input-type', format, '--output-type', format, '--filename-override', path.resolve(filePath), '/dev/stdin'],
    plaintext, filePath, keyTypes, opts, path.dirname(path.resolve(filePath)));
}
