// The build environment Argo CD's repo-server substitutes into a source's jsonnet tlas and extVars (and Helm
// parameters): ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, ARGOCD_APP_REVISION, ... expanded the way Go's os.Expand
// does it (`$NAME` or `${NAME}`; a name it does not set becomes empty; `$$` is a `$`).

export type ArgoEnv = Record<string, string>;

export interface ArgoEnvFields {
  appName: string;
  namespace?: string;
  project?: string;
  /** The commit `targetRevision` resolves to, when known. */
  revision?: string;
  repoURL?: string;
  path?: string;
  targetRevision?: string;
}

export function argoEnv(fields: ArgoEnvFields): ArgoEnv {
  const revision = fields.revision ?? '';
  return {
    ARGOCD_APP_NAME: fields.appName,
    ARGOCD_APP_NAMESPACE: fields.namespace ?? '',
    ARGOCD_APP_PROJECT_NAME: fields.project ?? '',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: fields.repoURL ?? '',
    ARGOCD_APP_SOURCE_PATH: fields.path ?? '',
    ARGOCD_APP_SOURCE_TARGET_REVISION: fields.targetRevision ?? '',
  };
}

const SPECIAL = /^[*#$@!?\-0-9]/;
const ALPHANUMERIC = /^[A-Za-z0-9_]*/;

/** `text` with `$NAME` and `${NAME}` replaced from `env`, as Argo CD's Env.Envsubst (os.Expand) does. */
export function argoEnvsubst(text: string, env: ArgoEnv): string {
  const value = (name: string) => (name === '$' ? '$' : Object.hasOwn(env, name) ? env[name] : '');
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$' || i + 1 >= text.length) {
      out += text[i++];
      continue;
    }
    const rest = text.slice(i + 1);
    if (rest[0] === '{') {
      if (rest.length > 2 && SPECIAL.test(rest[1]) && rest[2] === '}') {
        out += value(rest[1]);
        i += 4;
        continue;
      }
      const close = rest.indexOf('}');
      // `${}` and an unclosed `${` are bad syntax, which os.Expand drops.
      if (close === 1) i += 3;
      else if (close < 0) i += 2;
      else { out += value(rest.slice(1, close)); i += close + 2; }
      continue;
    }
    if (SPECIAL.test(rest[0])) {
      out += value(rest[0]);
      i += 2;
      continue;
    }
    const name = ALPHANUMERIC.exec(rest)![0];
    // A `$` before no name stays.
    out += name ? value(name) : '$';
    i += 1 + name.length;
  }
  return out;
}
