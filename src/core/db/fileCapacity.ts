/**
 * Room for the database file to grow without being copied.
 *
 * sql.js keeps the database file in Emscripten's MEMFS as one Uint8Array and grows it by 1.125x,
 * copying the whole file into freshly allocated memory each time: 70–80 % of a wide-row build
 * (guides/sqljs-performance.md §1), and first-touch memory is slow on this class of machine. MEMFS
 * has no API to size that array, but a Database created from an image stores `image.slice(0, n)`
 * as the file's contents. An image whose full slice is a view over a larger buffer therefore gives
 * the file spare capacity, and writes within it never reallocate. Untouched capacity is zero pages
 * the OS has not committed yet, so a generous reserve costs address space, not resident memory.
 *
 * Should a later sql.js stop calling slice(), MEMFS copies the image as before: slower, never wrong.
 */
import { openIfExists } from './atomicWrite';
import type { SqlJsDatabase, SqlJsStatic } from './sqljs';

/** Spare room given to every opened database: a cold index of a 1,000-run batch stays within it. */
export const DEFAULT_HEADROOM_BYTES = 1024 * 1024 * 1024;

/** MEMFS computes capacities with `>>> 0` and typed arrays stop at 4 GiB (guide §2): stay below both. */
const MAX_CAPACITY_BYTES = 3.5 * 1024 * 1024 * 1024;

class ImageWithCapacity extends Uint8Array<ArrayBuffer> {
  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    const whole = (start ?? 0) === 0 && (end ?? this.length) === this.length;
    return whole ? new Uint8Array(this.buffer) : super.slice(start, end);
  }
}

export function capacityFor(imageBytes: number, headroom = DEFAULT_HEADROOM_BYTES): number {
  return Math.max(imageBytes, Math.min(imageBytes + headroom, MAX_CAPACITY_BYTES));
}

/** An image of `length` bytes, to be filled by the caller, whose database file will have `capacity` bytes of room. */
function emptyImage(length: number, capacity: number): Uint8Array {
  return new ImageWithCapacity(new ArrayBuffer(capacity), 0, length);
}

/** Opens a copy of `image` as a database whose file can grow by `headroom` bytes without a copy. */
export function openWithCapacity(SQL: SqlJsStatic, image: Uint8Array, headroom = DEFAULT_HEADROOM_BYTES): SqlJsDatabase {
  const roomy = emptyImage(image.length, capacityFor(image.length, headroom));
  roomy.set(image);
  return new SQL.Database(roomy);
}

/**
 * Reads a database file straight into an image with room to grow (one read, no copy on open);
 * undefined when there is no such file. Pass the result to `new SQL.Database()` as it is.
 */
export async function readImageWithCapacity(file: string, headroom = DEFAULT_HEADROOM_BYTES): Promise<Uint8Array | undefined> {
  const handle = await openIfExists(file);
  if (!handle) return undefined;
  try {
    const size = (await handle.stat()).size;
    const image = emptyImage(size, capacityFor(size, headroom));
    for (let done = 0; done < size; ) {
      const { bytesRead } = await handle.read(image, done, size - done, done);
      if (bytesRead === 0) return image.subarray(0, done); // the file shrank while we read it
      done += bytesRead;
    }
    return image;
  } finally {
    await handle.close();
  }
}
