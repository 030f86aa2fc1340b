/** A log that cannot be read as any supported shape. The message is `FILE:LINE: what is wrong`. */
export class LogParseError extends Error {
  readonly file: string;
  readonly line: number;
  readonly detail: string;
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'LogParseError';
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}

/** Thrown when ImportOptions.signal aborts; distinct so callers don't report it as a damaged file. */
export class ImportAbortedError extends Error {
  constructor(file: string) {
    super(`${file}: import cancelled`);
    this.name = 'ImportAbortedError';
  }
}

/**
 * The temporary folder filled up while a big log's runs were kept there (record-spill.ts): the
 * machine's trouble, not the log's, so not a LogParseError (it read "FILE:533774: cannot read this
 * line: ENOSPC", as if the log were damaged there).
 */
export class TempSpaceError extends Error {
  constructor(file: string, folder: string, code: string) {
    super(`${file}: not imported: the temporary folder ${folder} ran out of space (${code}) while this log's runs were kept there; free space there, or set TMPDIR to a folder with more, and import it again (nothing was saved)`);
    this.name = 'TempSpaceError';
  }
}
