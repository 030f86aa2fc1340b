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
