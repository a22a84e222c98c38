// The one quoting helper: where a transport needs a single command line (SSH exec, `script -c`),
// each argv word is quoted for a POSIX shell so the remote shell sees exactly that argv.
import { DeskError } from '../../core/errors';

/** Words made only of these characters mean the same to a POSIX shell quoted or not. */
const PLAIN = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** Quotes one word POSIX style: inside single quotes nothing is special, and `'` becomes `'\''`. */
export function quoteWord(word: string): string {
  if (word.includes('\0')) {
    throw new DeskError('BadRequest', 'a command argument contains a NUL byte, which no command line can carry — remove it');
  }
  // `~`, `*`, `$`, quotes, blanks and the like never get here unquoted
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quotes a whole argv into one command line for `sh -c` (or sshd's login shell). */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new DeskError('BadRequest', 'empty command — give at least the program to run');
  return argv.map(quoteWord).join(' ');
}
