// Fuzz target for `.driftline.yaml` (parseConfig): whatever the file holds, the result is a config and a list of
// problems, each naming the file; nothing is thrown.
import { parseConfig } from '../../../src/core/discovery/loadConfig';
import { mutatedText } from './mutate';
import { yamlBlocksOf } from './seeds';
import { AnyTarget, defineTarget, expect, show } from './target';

const FILE = '/repo/.driftline.yaml';
const ROOT = '/repo';

let seeds: string[] = [];

const configTarget = defineTarget<string>({
  name: '.driftline.yaml (loadConfig.ts)',
  runs: 2000,
  // The documented example (docs/driftline-yaml.md) and the other YAML blocks of that page.
  setup() { seeds = yamlBlocksOf('driftline-yaml.md'); },
  examples: [
    // yaml resolves aliases in toJS: an unresolved one threw a ReferenceError out of parseConfig.
    '<<: [*a, *b]\nenvironments: []\n',
    // Deep nesting: after a stack overflow inside yaml, the next parse in the process aborted it.
    `environments: ${'['.repeat(1000)}`,
    `apps:\n${'- '.repeat(1000)}x\n`,
    // An alias inside its own anchor: helm values that are a cycle (JSON.stringify threw).
    'apps:\n  - name: api\n    environment: production\n    helm: &h\n      values: *h\n',
  ],
  arbitrary: () => mutatedText(seeds, {
    syntax: 'yaml',
    keys: ['environments', 'apps', 'ignore', 'tools', 'repoURLs', 'discovery', 'kubeConfigs', 'name', 'context', 'path', 'renderer', 'helm', 'jsonPointers'],
  }),
  check(text) {
    const { config, problems } = parseConfig(text, FILE, ROOT);
    expect(config.file === FILE, `the config names ${show(config.file)}`);
    for (const problem of problems) {
      expect(problem.file === FILE, `a problem names ${show(problem.file)}, not the file`);
      expect(typeof problem.message === 'string' && problem.message !== '', `a problem without a message: ${show(problem)}`);
      expect(problem.line === undefined || (Number.isInteger(problem.line) && problem.line >= 1), `line ${show(problem.line)}`);
    }
    // What discovery and the CLI read off the config next.
    for (const environment of config.environments) expect(typeof environment.name === 'string', `environment ${show(environment)}`);
    for (const app of config.apps) expect(typeof app.name === 'string' && app.environments.every((e) => typeof e === 'string'), `app ${show(app)}`);
    for (const rule of config.ignoreRules) expect(rule.jsonPointers.every((p) => typeof p === 'string' && p.startsWith('/')), `ignore rule ${show(rule)}`);
    expect(config.repoURLs.every((url) => typeof url === 'string'), `repoURLs ${show(config.repoURLs)}`);
    JSON.stringify(config);
  },
});

export const targets: AnyTarget[] = [configTarget];
