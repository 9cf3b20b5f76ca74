// Environment -> kube context: the configured one, else a context named like the environment, else the
// current context. Pure, so the engine, the CLI and the view decide the same way.
import type { EnvironmentDefinition } from '../model';

/** Context names split into words: `kind-staging`, `gke_proj_zone_staging`, `arn:...:cluster/staging`. */
function words(context: string): string[] {
  return context.toLowerCase().split(/[-_:/@.]+/).filter(Boolean);
}

/**
 * The context for `env`: `env.context` when configured; else the context whose name is the environment's
 * (exactly, then ignoring case), else the only context with the environment's name as one of its words
 * (`kind-staging` for `staging`); else `current`. Undefined when nothing applies.
 */
export function resolveContext(env: Pick<EnvironmentDefinition, 'name' | 'context'>, contexts: string[], current?: string): string | undefined {
  if (env.context) return env.context;
  const name = env.name.toLowerCase();
  const exact = contexts.find((context) => context === env.name) ?? contexts.find((context) => context.toLowerCase() === name);
  if (exact) return exact;
  const byWord = contexts.filter((context) => words(context).includes(name));
  if (byWord.length === 1) return byWord[0];
  return current;
}
