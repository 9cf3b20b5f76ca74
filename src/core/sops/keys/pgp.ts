// PGP master keys through the gpg CLI: the data key travels over stdin/stdout only.
import { envOf, SopsOptions } from '../options';
import { runWithStdin, type RunOptions } from './run';

function gpgRun(opts?: SopsOptions): RunOptions {
  const env = { ...envOf(opts) };
  if (opts?.gnupgHome) env.GNUPGHOME = opts.gnupgHome;
  return { env, allowed: opts?.allowBinaries !== false, signal: opts?.signal };
}

/** Unwraps a PGP-encrypted data key; returns undefined (with gpg's reason) when gpg cannot. */
export async function decryptPgpKey(armored: string, opts?: SopsOptions): Promise<{ key?: Buffer; reason?: string }> {
  const result = await runWithStdin(opts?.gpgBinary ?? 'gpg', ['--batch', '--quiet', '--no-tty', '--decrypt'], armored, gpgRun(opts));
  if (result.code !== 0) return { reason: lastLine(result.stderr) };
  return { key: result.stdout };
}

export async function encryptPgpKey(dataKey: Buffer, fingerprint: string, opts?: SopsOptions): Promise<string> {
  const result = await runWithStdin(opts?.gpgBinary ?? 'gpg',
    ['--batch', '--quiet', '--no-tty', '--armor', '--trust-model', 'always', '--no-encrypt-to', '--encrypt', '-r', fingerprint],
    dataKey, gpgRun(opts));
  if (result.code !== 0) throw new Error(`gpg could not encrypt for key ${fingerprint}: ${lastLine(result.stderr)}`);
  return result.stdout.toString('utf8');
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? 'no details';
}
