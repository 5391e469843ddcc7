/**
 * The CLI's output streams, safe for pipes. Node writes to a pipe asynchronously once the pipe's
 * buffer (64 KiB on Linux) is full, so exiting right after a write cuts the output there: the
 * process ends only after stdout and stderr have flushed. A reader that goes away (`| head`) ends
 * the command quietly with status 0, as the output was taken as far as it was wanted.
 */
import { nonFiniteAsText } from '../core/db/encoding';
import { terminalJson, terminalText } from '../core/text/terminalText';

let exiting = false;

/** Installs the broken-pipe handling; call once at start. */
export function endQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      exiting = true;
      process.exit(0);
    });
  }
}

/** A line of human-readable output: control characters in it are shown escaped. */
export function print(text: string): void {
  write(process.stdout, `${terminalText(text, { keepLines: true })}\n`);
}

/** Output that is exact by format (JSON, CSV): written as is. */
export function printRaw(text: string): void {
  write(process.stdout, text);
}

/**
 * Data (CSV) that goes exact into pipes and files, and with control characters escaped when
 * stdout is a terminal, where a person reads it and the terminal would obey them.
 */
export function printData(text: string): void {
  // CSV's CRLF record ends read as line ends; a lone CR (which would overwrite a line) stays visible.
  write(process.stdout, process.stdout.isTTY ? terminalText(text.replace(/\r\n/g, '\n'), { keepLines: true }) : text);
}

/**
 * `value` as indented JSON: exact, with characters a terminal would obey written as \u escapes.
 * JSON has no Infinity: a stored ±Infinity prints as the string "Infinity" / "-Infinity" (see README).
 */
export function printJson(value: unknown): void {
  printRaw(`${terminalJson(JSON.stringify(value, nonFiniteAsText, 2))}\n`);
}

/** A message on stderr, prefixed with the command's name; control characters escaped. */
export function warn(text: string): void {
  write(process.stderr, `scenario-lab: ${terminalText(text, { keepLines: true })}\n`);
}

/** A note for the person at the terminal, on stderr (stdout stays data). */
export function note(text: string): void {
  write(process.stderr, `${terminalText(text, { keepLines: true })}\n`);
}

/** A progress line on stderr, overwriting the previous one in place. */
export function progress(text: string): void {
  write(process.stderr, `\r${terminalText(text)}   `);
}

/** Ends a run of progress lines. */
export function endProgress(): void {
  write(process.stderr, '\n');
}

function write(stream: NodeJS.WriteStream, text: string): void {
  if (!exiting) stream.write(text);
}

/** Exits with `code` once everything written to stdout and stderr has reached its reader. */
export async function exitAfterOutput(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  // A write's callback runs once it and every earlier write have been handed to the reader.
  return new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
}
