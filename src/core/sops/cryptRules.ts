// Which leaves a file encrypts, decided as sops's Tree.shouldBeEncrypted does: suffix and regex rules look at
// every key of the path; comment regexes look at the comments above the value at each nesting level.
import { compileGoRegex } from './goRegex';
import { CryptRules } from './metadata';
import { LeafVisit } from './tree';

export type EncryptionDecider = (visit: LeafVisit) => boolean;

export function encryptionDecider(rules: CryptRules, context: string): EncryptionDecider {
  const compile = (pattern: string | undefined, field: string) =>
    pattern ? compileGoRegex(pattern, `${context}: ${field}`) : undefined;
  const unencryptedRegex = compile(rules.unencrypted_regex, 'unencrypted_regex');
  const encryptedRegex = compile(rules.encrypted_regex, 'encrypted_regex');
  const unencryptedCommentRegex = compile(rules.unencrypted_comment_regex, 'unencrypted_comment_regex');
  const encryptedCommentRegex = compile(rules.encrypted_comment_regex, 'encrypted_comment_regex');

  return ({ leaf, path, commentStack }) => {
    let encrypted = true;
    if (rules.unencrypted_suffix && path.some((k) => k.endsWith(rules.unencrypted_suffix!))) encrypted = false;
    if (rules.encrypted_suffix) encrypted = path.some((k) => k.endsWith(rules.encrypted_suffix!));
    if (unencryptedRegex && path.some((k) => unencryptedRegex.test(k))) encrypted = false;
    if (encryptedRegex) encrypted = path.some((k) => encryptedRegex.test(k));
    if (unencryptedCommentRegex && commentStack.some((level) => level.some((c) => unencryptedCommentRegex.test(c)))) {
      encrypted = false;
    }
    if (encryptedCommentRegex) {
      // A comment matching the regex stays readable itself; it marks what follows it.
      const skipLast = leaf.kind === 'comment';
      encrypted = commentStack.some((level, i) => level.some((c, j) =>
        !(skipLast && i === commentStack.length - 1 && j === level.length - 1) && encryptedCommentRegex.test(c)));
    }
    return encrypted;
  };
}
