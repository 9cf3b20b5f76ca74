/** A preview that cannot run: a revision that does not exist, a branch that cannot merge, a filter naming nothing. */
export class PreviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewError';
  }
}
