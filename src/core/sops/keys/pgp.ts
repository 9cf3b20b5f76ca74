// PGP master keys through the gpg CLI: the data key travels over stdin/stdout only.
import { envOf, SopsOptions } from '../options';
import { runWithStdin } from './run';

function gpgEnv(opts?: SopsOptions): NodeJS.ProcessEnv {
  const env = { ...envOf(opts) };
  if (opts?.gnupgHome) env.GNUPGHOME = opts.gnupgHome;
  return env;
}

/** Unwraps a PGP-encrypted data key; returns undefined (with gpg's reason) when gpg cannot. */
export async function decryptPgpKey(armored: string, opts?: SopsOptions): Promise<{ key?: Buffer; reason?: string }> {
  const result = await runWithStdin(opts?.gpgBinary ?? 'gpg', ['--batch', '--quiet', '--no-tty', '--decrypt'], armored, gpgEnv(opts), undefined, opts?.allowBinaries !== false);
  if (result.code !== 0) return { reason: lastLine(result.stderr) };
  return { key: result.stdout };
}

export async function encryptPgpKey(dataKey: Buffer, fingerprint: string, opts?: SopsOptions): Promise<string> {
  const result = await runWithStdin(opts?.gpgBinary ?? 'gpg',
    ['--batch', '--quiet', '--no-tty', '--armor', '--trust-model', 'always', '--no-encrypt-to', '--encrypt', '-r', fingerprint],
    dataKey, gpgEnv(opts), undefined, opts?.allowBinaries !== false);
  if (result.code !== 0) throw new Error(`gpg could not encrypt for key ${fingerprint}: ${lastLine(result.stderr)}`);
  return result.stdout.toString('utf8');
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? 'no details';
}
