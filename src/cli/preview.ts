// `driftline preview --base REF [--head REF] [--live] ...`: what merging a branch would change, for CI and
// terminals. Git only by default (no cluster credentials needed); --live adds head vs live and live vs base.
// Exit status 0 no change, 1 changes, 2 error. The --env/--app/--context/--repo options are status's.
import { previewExitCode, type PreviewResult } from '../core/preview/model';
import { previewRevisions, type PreviewOptions } from '../core/preview/preview';
import { interruptible } from './interrupt';
import type { CliIO } from './io';
import { formatPreviewHtml } from './previewHtml';
import { DEFAULT_MAX_CHARS, formatPreviewMarkdown } from './previewMarkdown';
import { formatPreviewText } from './previewText';
import { engineFor, parseStatusArgs, STATUS_OPTIONS_HELP, UsageError } from './statusArgs';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `Usage: driftline preview --base REF [--head REF] [options]

Renders the repository at REF (a branch, tag or commit) and at the head, and shows what changes, object by
object. The head is the working tree unless --head names a revision, which is merged into the base first
(as merging the pull request would; in scratch worktrees: the checkout is never touched).

  --base REF          the revision the change goes into (a pull request's target branch)
  --head REF          the revision to preview (default: the working tree, uncommitted files too)
  --no-merge          with --head: compare the head as it is, not merged into the base
  --live              also compare both sides with the cluster: what applying would change, and today's drift
  --format FORMAT     text (default), json (docs/json-output.md), markdown (a pull request comment), html
  --max-chars N       markdown: the comment's size cap (default ${DEFAULT_MAX_CHARS}); the summary is always kept
  --skip-kinds K,..   leave out these kinds (Kind or Kind.group)
  --skip-crds         leave out CustomResourceDefinitions
  --skip-secrets      leave out Secrets
${STATUS_OPTIONS_HELP}
`;

interface PreviewArgs {
  preview: Omit<PreviewOptions, 'signal'>;
  format: Format;
  maxChars: number;
  rest: string[];
}

export async function runPreview(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(HELP);
    return 0;
  }
  let parsed: PreviewArgs;
  let status: ReturnType<typeof parseStatusArgs>;
  try {
    parsed = parsePreviewArgs(args);
    status = parseStatusArgs(parsed.rest, { json: false });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`driftline preview: ${error.message}\n${HELP}`);
    return 2;
  }
  const engine = engineFor(status);
  try {
    const result = await interruptible('preview', io, (signal) => previewRevisions(engine, { ...parsed.preview, ...status.filter, signal }));
    if (typeof result === 'number') return result;
    io.stdout.write(format(result, parsed));
    return previewExitCode(result);
  } finally {
    engine.close();
  }
}

function format(result: PreviewResult, args: PreviewArgs): string {
  switch (args.format) {
    case 'json': return `${JSON.stringify(result, null, 2)}\n`;
    case 'markdown': return formatPreviewMarkdown(result, args.maxChars);
    case 'html': return formatPreviewHtml(result);
    case 'text': return formatPreviewText(result);
  }
}

/** Takes preview's own options out of `args`; the rest (`rest`) are status's. */
function parsePreviewArgs(args: string[]): PreviewArgs {
  const parsed: PreviewArgs = { preview: { base: '', skip: {} }, format: 'text', maxChars: DEFAULT_MAX_CHARS, rest: [] };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const given = inline ?? args[++index];
      if (given === undefined || given === '' || (inline === undefined && given.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return given;
    };
    const noValue = (): true => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      return true;
    };
    switch (flag) {
      case '--base': parsed.preview.base = value(); break;
      case '--head': parsed.preview.head = value(); break;
      case '--no-merge': parsed.preview.merge = !noValue(); break;
      case '--live': parsed.preview.live = noValue(); break;
      case '--skip-crds': parsed.preview.skip!.crds = noValue(); break;
      case '--skip-secrets': parsed.preview.skip!.secrets = noValue(); break;
      case '--skip-kinds': parsed.preview.skip!.kinds = value().split(',').map((kind) => kind.trim()).filter(Boolean); break;
      case '--format': {
        const given = value();
        if (!FORMATS.includes(given as Format)) throw new UsageError(`--format takes ${FORMATS.join(', ')}; got "${given}"`);
        parsed.format = given as Format;
        break;
      }
      case '--max-chars': {
        const given = Number(value());
        if (!Number.isInteger(given) || given < 1000) throw new UsageError('--max-chars needs a whole number of at least 1000');
        parsed.maxChars = given;
        break;
      }
      default: parsed.rest.push(arg);
    }
  }
  if (!parsed.preview.base) throw new UsageError('--base needs a branch, tag or commit');
  if (parsed.preview.merge === false && parsed.preview.head === undefined) throw new UsageError('--no-merge needs --head (the working tree is never merged)');
  return parsed;
}
