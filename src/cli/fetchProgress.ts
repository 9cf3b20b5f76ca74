// Remote source fetches on stderr, never on stdout (so `--json` and YAML output stay clean). On a terminal, one
// line rewritten in place while fetches run ("fetching chart podinfo 6.x from https://... (3 of 8 done)") and
// cleared when the last one ends; a failure stays as a line of its own. Elsewhere (CI logs, pipes), one line per
// fetch as it ends, saying what it resolved to or why it failed.
import type { SourceFetchEvent, SourceFetchProgress } from '../core/sources/fetchProgress';

const CLEAR_LINE = '\r\x1b[K';

export function reportFetches(progress: SourceFetchProgress, stderr: NodeJS.WritableStream): { dispose(): void } {
  const terminal = stderr as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  const write = (text: string) => { stderr.write(text); };
  if (!terminal.isTTY) return progress.onFetch((event) => { if (event.phase !== 'started') write(`${endedLine(event)}\n`); });
  let shown = false;
  const subscription = progress.onFetch((event) => {
    if (shown) write(CLEAR_LINE);
    shown = false;
    if (event.phase === 'failed') write(`${endedLine(event)}\n`);
    if (event.running === 0) return;
    const line = `fetching ${event.what} (${event.ended} of ${event.started} done)`;
    const width = Math.max(20, (terminal.columns ?? 100) - 1);
    write(line.length > width ? `${line.slice(0, width - 3)}...` : line);
    shown = true;
  });
  return {
    dispose: () => {
      subscription.dispose();
      if (shown) write(CLEAR_LINE);
    },
  };
}

function endedLine(event: SourceFetchEvent): string {
  const took = event.ms !== undefined ? ` (${event.ms} ms)` : '';
  switch (event.phase) {
    case 'failed': return `could not fetch ${event.what}: ${event.detail ?? 'unknown error'}`;
    case 'stopped': return `stopped fetching ${event.what}${took}`;
    default: return `fetched ${event.what}: ${event.detail ?? ''}${took}`;
  }
}
