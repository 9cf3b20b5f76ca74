// Reading from an OCI registry (the distribution API: /v2/<repository>/manifests|blobs|tags/list), with the
// two auth challenges registries answer a 401 with: `Basic` (htpasswd registries) is answered with the user's
// login for that host, `Bearer realm=...,service=...,scope=...` with a token fetched from the realm (sending the
// login there only when the realm is the registry's own host or domain, as registry-1.docker.io sends logins
// to auth.docker.io; anonymous otherwise). An identity token (Azure's and others' OAuth2 refresh token) goes to
// the same realm, POSTed as docker's distribution client does (grant_type=refresh_token), never as a password.
// Loopback registries are plain HTTP, as docker treats them, unless docker's certs.d has TLS settings for them;
// those settings (a private CA, a client certificate) are used for that registry host only (registryCerts.ts).
import path from 'node:path';
import { credentialsNote, registryCredential, type Credential } from './credentials';
import type { FetchContext } from './fetchTypes';
import { httpFailure, httpGet, type HttpAnswer } from './httpGet';
import { certsDirectories, registryTls } from './registryCerts';
import type { TlsSettings } from './tlsGet';
import { SourceError } from './sourceError';

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])(:\d+)?$/;

export class OciRegistry {
  private authorization: string | undefined;
  private credential: Credential | undefined;
  private credentialLoaded = false;

  private connection: Promise<{ base: string; tls?: TlsSettings }> | undefined;

  /** `insecure`: the registry speaks HTTP (Flux `spec.insecure`); unset, loopback registries without certs.d settings do. */
  constructor(readonly host: string, private readonly context: FetchContext, readonly insecure?: boolean) {}

  /** The registry's base URL and TLS settings, read once. */
  private connect(): Promise<{ base: string; tls?: TlsSettings }> {
    this.connection ??= (async () => {
      const tls = this.insecure ? undefined : await registryTls(this.host, this.context.env);
      const plainHttp = this.insecure || (!tls && LOOPBACK.test(this.host));
      return { base: `${plainHttp ? 'http' : 'https'}://${this.host}/v2/`, ...(tls ? { tls } : {}) };
    })();
    return this.connection;
  }

  /** GET a registry path (`<repo>/manifests/<ref>`), answering one auth challenge; a non-2xx answer is a SourceError. */
  async get(pathAndQuery: string, accept?: string): Promise<HttpAnswer> {
    const url = new URL(pathAndQuery, (await this.connect()).base).toString();
    const headers = accept ? { accept } : undefined;
    let answer = await this.send(url, headers);
    if (answer.status === 401) {
      await this.answerChallenge(answer);
      answer = await this.send(url, headers);
    }
    if (answer.status < 200 || answer.status >= 300) throw httpFailure(answer, credentialsNote(this.credential, this.host));
    return answer;
  }

  private async send(url: string, headers: Record<string, string> | undefined): Promise<HttpAnswer> {
    const { tls } = await this.connect();
    return httpGet(url, {
      headers, signal: this.context.signal, timeoutMs: this.context.timeoutMs,
      ...(this.authorization ? { authorization: this.authorization, credentialHost: this.host } : {}),
      ...(tls ? { tls } : {}),
      untrustedHint: `put its CA as ca.crt in ${path.join(certsDirectories(this.context.env)[0]!, this.host)} (docker's certs.d), or set spec.insecure for a registry over plain HTTP`,
    });
  }

  private async login(): Promise<Credential | undefined> {
    if (!this.credentialLoaded) {
      this.credential = await registryCredential(this.host, this.context.env);
      this.credentialLoaded = true;
    }
    return this.credential;
  }

  private async answerChallenge(answer: HttpAnswer): Promise<void> {
    const challenge = parseChallenge(answer.headers.get('www-authenticate') ?? '');
    const login = await this.login();
    if (challenge?.scheme === 'basic') {
      if (!login) throw httpFailure(answer, credentialsNote(undefined, this.host));
      if (!login.authorization) throw httpFailure(answer, `${this.host} asks for a password (Basic auth), and ${login.file} holds only an identity token for it`);
      this.authorization = login.authorization;
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) throw httpFailure(answer, credentialsNote(login, this.host));
    const realm = new URL(challenge.params.realm);
    for (const key of ['service', 'scope'] as const) if (challenge.params[key]) realm.searchParams.set(key, challenge.params[key]);
    const sendLogin = login && sameSite(realm.hostname, this.host);
    const tokenAnswer = sendLogin && login.identityToken
      ? await this.exchangeIdentityToken(realm, login.identityToken, challenge.params)
      : await httpGet(realm.toString(), {
        signal: this.context.signal, timeoutMs: this.context.timeoutMs,
        ...(sendLogin && login.authorization ? { authorization: login.authorization, credentialHost: realm.host } : {}),
      });
    if (tokenAnswer.status !== 200) throw httpFailure(tokenAnswer, credentialsNote(sendLogin ? login : undefined, this.host));
    let token: string | undefined;
    try {
      const body = JSON.parse(tokenAnswer.body.toString('utf8')) as { token?: string; access_token?: string };
      token = body.token ?? body.access_token;
    } catch {
      token = undefined;
    }
    if (!token) throw new SourceError(`GET ${realm.origin}${realm.pathname}: the token service answered without a token`, realm.toString());
    this.authorization = `Bearer ${token}`;
  }

  /** The OAuth2 refresh-token grant of the distribution token spec: the identity token in a form, to the realm itself. */
  private exchangeIdentityToken(realm: URL, refreshToken: string, params: Record<string, string>): Promise<HttpAnswer> {
    const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'driftline' };
    for (const key of ['service', 'scope'] as const) if (params[key]) form[key] = params[key];
    return httpGet(`${realm.origin}${realm.pathname}`, { form, signal: this.context.signal, timeoutMs: this.context.timeoutMs });
  }
}

/** `Bearer realm="https://x/token",service="x",scope="repository:a:pull"` -> scheme and params. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } | undefined {
  const match = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const pair of match[2].matchAll(/(\w+)="([^"]*)"|(\w+)=([^,\s]+)/g)) params[(pair[1] ?? pair[3]).toLowerCase()] = pair[2] ?? pair[4];
  return { scheme: match[1].toLowerCase(), params };
}

/** The token realm is the registry's host, or shares its parent domain (auth.docker.io for registry-1.docker.io). */
function sameSite(realmHost: string, registryHost: string): boolean {
  const registry = registryHost.replace(/:\d+$/, '');
  if (realmHost === registry) return true;
  if (/^[\d.]+$/.test(registry) || registry.startsWith('[')) return false;
  const domain = (name: string) => name.split('.').slice(-2).join('.');
  return registry.includes('.') && domain(realmHost) === domain(registry);
}
