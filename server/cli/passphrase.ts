import { createInterface } from 'node:readline';
import { MIN_PASSPHRASE_CHARS } from '../config-data-protection.js';

/**
 * The backup passphrase: PARLEY_BACKUP_PASSPHRASE, or asked on the terminal without echo (twice
 * when it will encrypt). Without either, the command stops with what to do instead.
 */
export async function backupPassphrase(options: {
  configured: string | null;
  confirm: boolean;
}): Promise<string> {
  if (options.configured) return options.configured;
  if (!process.stdin.isTTY) {
    throw new Error(
      'No passphrase: set PARLEY_BACKUP_PASSPHRASE, run on a terminal to be asked, or use --recipient / --identity.',
    );
  }
  const first = await ask('Backup passphrase: ');
  if (first.length < MIN_PASSPHRASE_CHARS)
    throw new Error(`The passphrase must be at least ${MIN_PASSPHRASE_CHARS} characters.`);
  if (options.confirm && (await ask('Repeat the passphrase: ')) !== first)
    throw new Error('The two passphrases differ.');
  return first;
}

export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const answer = await ask(`${question} [y/N] `, true);
  return /^y(es)?$/i.test(answer.trim());
}

function ask(prompt: string, echo = false): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    process.stderr.write(prompt);
    if (!echo) {
      // Keep typed characters off the screen.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    rl.question('', (answer) => {
      rl.close();
      if (!echo) process.stderr.write('\n');
      resolve(answer);
    });
  });
}
