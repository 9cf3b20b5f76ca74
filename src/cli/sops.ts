// `driftline sops decrypt|encrypt|updatekeys FILE`: the native SOPS implementation from a terminal.
// Plaintext only ever goes to stdout; --in-place writes ciphertext atomically.
import * as fs from 'node:fs';
import {
  decryptFile, encryptText, findCreationRule, formatForPath, SopsError, SopsOptions, updateKeys, writeFileAtomic,
} from '../core/sops';
import { messageOf } from '../core/errors';
import { FlagError, parseFlags, stringFlag } from './flags';
import type { CliIO } from './io';

const USAGE = [
  'Usage: driftline sops <command> FILE [options]',
  '',
  'Commands:',
  '  decrypt FILE                 print the decrypted document (MAC verified)',
  '  encrypt FILE [--in-place]    encrypt with the .sops.yaml creation rule for FILE',
  '  updatekeys FILE              re-wrap the data key for the keys of FILE\'s creation rule',
  '',
  'Options:',
  '  --age-key-file PATH          an age identity file, tried before SOPS_AGE_KEY(_FILE) and ~/.config/sops/age/keys.txt',
  '',
].join('\n');

export async function runSopsCommand(args: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.stdout : io.stderr).write(USAGE);
    return command ? 0 : 2;
  }
  const file = rest.find((arg) => !arg.startsWith('--'));
  try {
    const flags = parseFlags(rest.filter((arg) => arg !== file), {
      values: ['age-key-file'],
      switches: command === 'encrypt' ? ['in-place'] : [],
    });
    if (!['decrypt', 'encrypt', 'updatekeys'].includes(command)) throw new FlagError(`unknown command "${command}"`);
    if (!file) throw new FlagError(`${command} needs a FILE`);
    const opts: SopsOptions = { ageKeyFile: stringFlag(flags, 'age-key-file') };
    if (command === 'decrypt') {
      io.stdout.write((await decryptFile(file, opts)).plaintext);
    } else if (command === 'encrypt') {
      await encrypt(file, flags['in-place'] === true, opts, io);
    } else {
      const result = await updateKeys(file, opts);
      io.stdout.write(result.changed
        ? `${file}: keys updated${describeChange('added', result.added)}${describeChange('removed', result.removed)}\n`
        : `${file}: keys already match the creation rule\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof FlagError) {
      io.stderr.write(`driftline sops: ${error.message}\n\n${USAGE}`);
    } else {
      io.stderr.write(`driftline sops ${command}: ${messageOf(error)}\n`);
    }
    return 2;
  }
}

async function encrypt(file: string, inPlace: boolean, opts: SopsOptions, io: CliIO): Promise<void> {
  let plaintext: string;
  try {
    plaintext = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SopsError(`${file}: cannot read the file: ${(error as Error).message}`);
  }
  const rule = findCreationRule(file);
  if (!rule) throw new SopsError(`${file}: no .sops.yaml creation rule matches this file`, 'no-creation-rule');
  const ciphertext = await encryptText(plaintext, formatForPath(file), { ...opts, rule, filePath: file, fileName: file });
  if (inPlace) writeFileAtomic(file, ciphertext);
  else io.stdout.write(ciphertext);
}

function describeChange(label: string, keys: string[]): string {
  return keys.length > 0 ? `; ${label} ${keys.join(', ')}` : '';
}
