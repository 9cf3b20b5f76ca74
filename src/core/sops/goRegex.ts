// Go regexps (as written in .sops.yaml and in sops metadata: encrypted_regex, path_regex...) matched as Go
// matches them, with RE2's syntax and its linear time: re2js is a port of RE2. A JavaScript RegExp would
// backtrack: a user's `(a+)+$` made the editor hang on a long key, where sops answers at once.
import { RE2JS } from 're2js';

export class GoRegexError extends Error {}

/** A compiled pattern: `test` is Go's MatchString (a match anywhere in the text). */
export interface GoRegex {
  test(text: string): boolean;
}

/** Compiles a Go regexp; `context` names where the pattern came from, for errors. */
export function compileGoRegex(pattern: string, context: string): GoRegex {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (err) {
    throw new GoRegexError(`${context}: invalid regular expression ${pattern}: ${(err as Error).message}`);
  }
  return { test: (text) => compiled.test(text) };
}
