/**
 * Reading a folder's entries when some names are not valid UTF-8 (a zip made on Windows and
 * unpacked on Linux keeps cp437/cp1252 bytes in names). Node turns such bytes into U+FFFD in a
 * string name, and a path built from that string names no file; those entries are reported, not
 * silently dropped or misread.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';

export interface FolderEntries {
  /** Entries whose names decode, as readdir gives them. */
  entries: fs.Dirent[];
  /** Names that are not valid UTF-8, shown with each bad byte as \xNN, and whether each is a folder. */
  undecodable: Array<{ shown: string; folder: boolean }>;
}

/**
 * The entries of `dir`. Names are read as strings (fast path); only when one holds U+FFFD is the
 * folder read again as bytes, to tell a name that really holds U+FFFD from one that does not decode.
 * Throws what readdir throws.
 */
export function readEntries(dir: string): FolderEntries {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (!entries.some((e) => e.name.includes('\ufffd'))) return { entries, undecodable: [] };
  const raw = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
  const undecodable = raw.filter((e) => !isUtf8(e.name)).map((e) => ({ shown: escapedName(e.name), folder: e.isDirectory() }));
  const valid = new Set(raw.filter((e) => isUtf8(e.name)).map((e) => e.name.toString('utf8')));
  return { entries: entries.filter((e) => valid.has(e.name)), undecodable: undecodable.sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0)) };
}

/** A name with its valid UTF-8 runs as text and every other byte as \xNN, so the user can find it. */
export function escapedName(name: Buffer): string {
  let out = '';
  for (let i = 0; i < name.length; ) {
    const length = sequenceLength(name, i);
    if (length > 0) {
      out += name.subarray(i, i + length).toString('utf8');
      i += length;
    } else {
      out += `\\x${name[i].toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
  return length > 0 && i + length <= bytes.length && isUtf8(bytes.subarray(i, i + length)) ? length : 0;
}
