// While a refresh fetches remote sources (charts, Git repositories), a cancellable notification says which
// ("Driftline: fetching sources: chart podinfo 6.x from https://... (3 of 8 done)"); Cancel stops the refresh,
// and with it every fetch in flight (the refresh's signal reaches each request and git process). A failed fetch
// is logged naming its URL and the HTTP status or git error; the app's row says so too.
import * as vscode from 'vscode';
import type { SourceFetchEvent, SourceFetchProgress } from '../core/sources/fetchProgress';

export const FETCH_PROGRESS_TITLE = 'Driftline: fetching sources';

/** What the notification shows now, or undefined when none is shown (read by the tests, as a person reads the notification). */
export interface FetchProgressView {
  readonly message: string | undefined;
}

export function showFetchProgress(
  fetches: SourceFetchProgress, cancel: () => void, log: (line: string) => void,
): vscode.Disposable & FetchProgressView {
  let report: ((message: string) => void) | undefined;
  let close: (() => void) | undefined;
  let message: string | undefined;
  /** From the moment the notification is asked for until it closes (withProgress may start its task later). */
  let shown = false;
  let openings = 0;
  const open = (opening: number) => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: FETCH_PROGRESS_TITLE, cancellable: true },
    (progress, token) => new Promise<void>((resolve) => {
      // Every fetch ended (or another notification was asked for) before this one came up.
      if (!shown || opening !== openings) return resolve();
      report = (text) => progress.report({ message: text });
      if (message) report(message);
      const done = () => {
        if (close === done) report = close = undefined;
        resolve();
      };
      close = done;
      token.onCancellationRequested(() => {
        log('Fetching sources cancelled: the comparison stops');
        cancel();
        done();
      });
    }),
  );
  const subscription = fetches.onFetch((event: SourceFetchEvent) => {
    if (event.phase === 'failed') log(`Could not fetch ${event.what}: ${event.detail ?? ''}`);
    if (event.running === 0) {
      message = undefined;
      shown = false;
      close?.();
      return;
    }
    message = `${event.what} (${event.ended} of ${event.started} done)`;
    report?.(message);
    if (!shown) {
      shown = true;
      void open(++openings);
    }
  });
  return {
    get message() { return message; },
    dispose: () => {
      subscription.dispose();
      shown = false;
      message = undefined;
      close?.();
    },
  };
}
