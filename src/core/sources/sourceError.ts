// A remote source that could not be fetched: the message names the URL and what went wrong there (the HTTP
// status, the timeout, the connection error), so the app's row says which source failed and why. It is no
// abort: a timed-out fetch fails its own app while every other app still compares.
export class SourceError extends Error {
  constructor(message: string, readonly url: string, readonly status?: number) {
    super(message);
    this.name = 'SourceError';
  }
}
