// Limits on what the `yaml` package is given, and how its errors are read, for texts Driftline did not write.
//
// Nesting: its composer and toJS recurse once per level; past some hundreds of levels they run out of stack,
// and when that happens inside a regular expression's compilation, V8 is left broken: the next YAML parse in
// the process aborts it ("FATAL ERROR: RegExpCompiler Allocation failed"), taking the CLI or the extension
// host down. A 1 KB file of `[` did it. So every such parse first asks yamlNestingProblem. js-yaml has its own
// limit (maxDepth 100).
//
// Errors: with prettyErrors (the default) yaml adds the text of its line to every error, so a 50 KB line
// holding 25,000 errors (a run of `"`) took minutes. Parse with prettyErrors: false and word the first error
// with yamlErrorText.
import { Lexer, Parser, type LineCounter, type YAMLError } from 'yaml';

/** Deeper than this is refused. Real manifests nest a few dozen levels (CRD schemas the most). */
export const MAX_YAML_DEPTH = 256;

/**
 * For every parse of a user's YAML: the yaml package would print warnings (a mapping key that is a collection,
 * "Keys with collection values will be stringified") to stderr with process.emitWarning; errors are what we report.
 */
export const QUIET_YAML = { logLevel: 'error' } as const;

/**
 * A cheap upper bound of the depth: a flow level takes a `[` or `{`, a block level more indentation or one
 * more `-`, `?` or `:` indicator on its line (an indentless sequence takes neither, hence the factor 2).
 */
function depthBound(text: string): number {
  let flowOpeners = 0;
  let maxLine = 0;
  let lineStart = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) flowOpeners++;
    if (i === text.length || c === 0x0a) {
      let indent = 0;
      while (text.charCodeAt(lineStart + indent) === 0x20) indent++;
      let indicators = 0;
      for (let j = lineStart + indent; j < i; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x2d || d === 0x3f || d === 0x3a) indicators++;
      }
      maxLine = Math.max(maxLine, 2 * (indent + 1) + indicators);
      lineStart = i + 1;
    }
  }
  return flowOpeners + maxLine + 2;
}

/** Why `text` must not be given to the `yaml` package (nested deeper than MAX_YAML_DEPTH), or undefined. */
export function yamlNestingProblem(text: string): string | undefined {
  if (depthBound(text) <= MAX_YAML_DEPTH) return undefined;
  // The parser (not the composer) keeps its open collections on a stack of its own, without recursing.
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text)) {
    for (const _ of parser.next(lexeme)) { /* documents are not needed, only the depth */ }
    if (parser.stack.length > MAX_YAML_DEPTH) {
      const line = text.slice(0, parser.offset).split('\n').length;
      return `nested deeper than ${MAX_YAML_DEPTH} levels (at line ${line})`;
    }
  }
  return undefined;
}

/** An error of a parse without prettyErrors, worded as yaml's own first line of it: "... at line L, column C". */
export function yamlErrorText(error: YAMLError, lines: LineCounter): { line: number; text: string } {
  const { line, col } = lines.linePos(error.pos[0]);
  return { line, text: `${error.message.split('\n')[0]} at line ${line}, column ${col}` };
}
