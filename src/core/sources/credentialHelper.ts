// Docker credential helpers, as docker and helm run them for a registry whose login lives in the system's
// keychain rather than in config.json: `credHelpers.<host>` names the helper of one registry, `credsStore` the
// helper of all the others. The helper is `docker-credential-<name>` on PATH, run as `get` with the registry
// host on stdin; it answers JSON `{"ServerURL", "Username", "Secret"}`, or fails saying it has no credentials.
// Username `<token>` (Azure's acr helper, among others) makes Secret an identity token: an OAuth2 refresh token
// for the registry's token service (ociRegistry.ts), never sent as a password.
import { runTool } from '../render/runTool';

export type HelperLogin = { username: string; secret: string } | { identityToken: string };

/** Helpers answer this (exit 1, on stdout) when they hold nothing for the host: that is no error. */
const NOT_FOUND = /credentials not found/i;
/** `Username: "<token>"`: Secret is an identity token, exchanged at a token service. */
const IDENTITY_TOKEN = '<token>';
const HELPER_TIMEOUT_MS = 30_000;

/** The login `docker-credential-<helper>` holds for `host`, or undefined; an error names the helper and `file`. */
export async function helperLogin(helper: string, host: string, env: Record<string, string | undefined>, file: string): Promise<HelperLogin | undefined> {
  const command = `docker-credential-${helper}`;
  const where = `${command} (named in ${file})`;
  let run;
  try {
    run = await runTool(command, ['get'], { input: host, timeoutMs: HELPER_TIMEOUT_MS, label: command, ...(env.PATH ? { env: { PATH: env.PATH } } : {}) });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `${where} is not on PATH` : `${where} failed: ${(error as Error).message}`, { cause: error });
  }
  if (run.code !== 0) {
    if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr)) return undefined;
    throw new Error(`${where} get ${host} exited with ${run.code}: ${(run.stderr.trim() || run.stdout.trim()).split('\n')[0]}`);
  }
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(run.stdout) as typeof answer;
  } catch {
    throw new Error(`${where} get ${host} did not answer JSON`);
  }
  if (typeof answer.Username !== 'string' || typeof answer.Secret !== 'string' || answer.Secret === '') return undefined;
  if (answer.Username === IDENTITY_TOKEN) return { identityToken: answer.Secret };
  return { username: answer.Username, secret: answer.Secret };
}
