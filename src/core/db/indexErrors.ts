/**
 * Why an index file was not opened or written. Two families, which the CLI maps to exit codes:
 * RefusedFileError (2): a file we will not touch, left exactly as it was; IndexUnavailableError
 * (1): the index cannot answer until it is (re)built.
 */
/** A file we refuse to touch (the CLI exits with status 2). The file is left as it was. */
export class RefusedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedFileError';
  }
}

/** Thrown instead of touching a database that Scenario Lab's runner (not this extension) owns. */
export class ForeignDatabaseError extends RefusedFileError {
  constructor(readonly file: string) {
    super(
      `${file} looks like Scenario Lab's own database (it has Scenario Lab's tables but no schema_version table); ` +
        'it was left untouched; choose another file for the index.',
    );
    this.name = 'ForeignDatabaseError';
  }
}

/** Thrown instead of touching a file that is not an index of ours (and not empty). */
export class NotAnIndexError extends RefusedFileError {
  constructor(readonly file: string, reason: string) {
    super(`${file} is not a Scenario Lab index (${reason}); it was left untouched. Choose another file for the index.`);
    this.name = 'NotAnIndexError';
  }
}

/** Thrown instead of replacing an index file whose permissions say it must not be written. */
export class ReadOnlyIndexError extends RefusedFileError {
  constructor(readonly file: string) {
    super(`${file} is read-only (no write permission is set on it), so Scenario Lab does not replace it. Make it writable (chmod u+w) or choose another file.`);
    this.name = 'ReadOnlyIndexError';
  }
}

/** The index cannot answer (missing, empty, damaged or from another schema): it must be (re)built. The CLI exits with 1. */
export class IndexUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexUnavailableError';
  }
}

/** Thrown by backupIndex when the destination exists and replacing it was not asked for. */
export class DestinationExistsError extends RefusedFileError {
  constructor(readonly file: string) {
    super(`${file} already exists; it was left untouched. Choose a new file, or replace an earlier backup of the index with --force.`);
    this.name = 'DestinationExistsError';
  }
}
