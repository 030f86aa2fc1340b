import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Db } from './db.js';

/**
 * SQLite reports a damaged file (a flipped bit on disk, a file cut short, a copy taken mid-write) only
 * when a statement touches the bad page: SQLITE_CORRUPT (and its extended codes) or SQLITE_NOTADB.
 */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** What the user can do about a damaged store; shared by the API error, the CLI and the notebook's banner. */
export function damageAdvice(file: string, opts: { listCheck?: boolean } = {}): string {
  const q = JSON.stringify(file);
  const salvage = `copy every readable notebook, run and log into a new file with \`rxlab --db ${q} db salvage --out NEW.db\`, then use that file (the damaged one is only read).`;
  return opts.listCheck === false ? `To keep what is readable, ${salvage}` : `List the damage with \`rxlab --db ${q} db check\`; ${salvage}`;
}

/** A statement hit a damaged page. Transactions roll back, so the request that met it wrote nothing. */
export class DamagedStoreError extends Error {
  constructor(file: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`${file}: the database file is damaged (SQLite: ${why}); this request wrote nothing. ${damageAdvice(file)}`);
    this.name = 'DamagedStoreError';
  }
}

export interface StoreCheck {
  ok: boolean;
  /** SQLite's own findings ("Tree 11 page 66 cell 83: invalid page number …"), at most `max`. */
  problems: string[];
  /** Rows whose parent row is missing (PRAGMA foreign_key_check), per table. */
  orphans: Record<string, number>;
}

/**
 * PRAGMA integrity_check (every page, every index against its table) or quick_check (pages only, about
 * twice as fast), then foreign_key_check. Read-only: safe on a damaged file.
 */
export function checkStore(db: Db, opts: { quick?: boolean; max?: number } = {}): StoreCheck {
  const max = Math.max(1, Math.min(opts.max ?? 100, 10_000));
  const pragma = opts.quick ? 'quick_check' : 'integrity_check';
  let problems: string[];
  try {
    const rows = db.pragma(`${pragma}(${max})`) as Record<string, string>[];
    // SQLite packs the first finding with a "*** in database main ***" header into one row
    problems = rows
      .flatMap((r) => String(Object.values(r)[0] ?? '').split('\n'))
      .filter((l) => l !== 'ok' && l !== '' && !l.startsWith('*** in database'));
  } catch (e) {
    // Only damage is reported as damage: a file SQLite cannot open or read for another reason (its folder
    // is read-only, the disk fails) is not known to be damaged, and the caller says why instead.
    if (!isCorruption(e)) throw e;
    // SQLite's check stops at some damage (a zeroed page) with an error instead of findings: then read
    // each table row by row to say which ones are hit and where
    problems = [e instanceof Error ? e.message : String(e), ...scanTables(db)];
  }
  const orphans: Record<string, number> = {};
  if (problems.length === 0) {
    for (const r of db.pragma('foreign_key_check') as { table: string }[]) orphans[r.table] = (orphans[r.table] ?? 0) + 1;
  }
  return { ok: problems.length === 0 && Object.keys(orphans).length === 0, problems: problems.slice(0, max), orphans };
}

/**
 * checkStore on a connection of its own, read-only and without migrating (the file may be too damaged for
 * openStore). A sound file in a folder rxlab cannot write is checked through a copy (openReadOnly). Throws
 * only when the file cannot be read at all, with why (its callers name the file).
 */
export function checkStoreFile(file: string, opts: { quick?: boolean; max?: number } = {}): StoreCheck {
  const scratch = mkdtempSync(join(tmpdir(), 'rxlab-check-'));
  let src: ReadOnlyStore | undefined;
  try {
    src = openReadOnly(file, join(scratch, 'copy.db'));
    return checkStore(src.db, opts);
  } catch (e) {
    throw e instanceof StorageError ? new Error(e.reason) : e;
  } finally {
    src?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface ReadOnlyStore {
  db: Db;
  /** The copy read instead of the file (see openReadOnly), or null when the file itself is read. */
  copy: string | null;
  /** Closes the connection and removes the copy. */
  close(): void;
}

/** Whether the file's header says WAL mode (read and write versions 2), as every rxlab store is. */
function isWalMode(file: string): boolean {
  const head = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, 20, 0) === 20 && head.toString('latin1', 0, 15) === 'SQLite format 3' && head[18] === 2 && head[19] === 2;
  } finally {
    closeSync(fd);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Opens a store file read-only, to read all of it (db check, the source of a restore or a salvage). Even
 * to read a WAL-mode file SQLite must open its -wal and -shm beside it, creating them when missing; in a
 * folder it cannot write (a read-only mount, a snapshot, another user's folder) the first read of a sound
 * file then fails with SQLITE_CANTOPEN. (SQLite's `immutable=1` URI would skip them, but better-sqlite3
 * accepts URIs only when SQLITE_USE_URI=1 is set before it loads.) Such a file is read through a copy at
 * `copyTo`, made with its -wal, which holds its last writes. The probe reads only the header: a damaged
 * file opens, and its damage is met, and reported, by what reads it next.
 */
export function openReadOnly(file: string, copyTo: string): ReadOnlyStore {
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new StorageError(file, e);
  }
  try {
    db.pragma('user_version');
    return { db, copy: null, close: () => db.close() };
  } catch (e) {
    if (isCorruption(e)) return { db, copy: null, close: () => db.close() };
    db.close();
    const fault = storageFault(e);
    if ((fault !== 'cannot-open' && fault !== 'read-only') || !isWalMode(file)) throw new StorageError(file, e);
  }
  const sides = ['', '-wal', '-shm'];
  const removeCopy = (): void => sides.forEach((s) => rmSync(`${copyTo}${s}`, { force: true }));
  try {
    removeCopy();
    copyFileSync(file, copyTo);
    if (isFile(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copyTo}-wal`);
  } catch (e) {
    removeCopy();
    const why = accessProblem(file) ?? 'SQLite could not create its -wal and -shm files beside it';
    throw new StorageError(file, e, `cannot be read in place (${why}), and a copy to read instead could not be made at ${copyTo}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const copy = new Database(copyTo, { readonly: true, fileMustExist: true });
  return {
    db: copy,
    copy: copyTo,
    close: () => {
      copy.close();
      removeCopy();
    },
  };
}

/** Reads every row of every table; for each that fails, where (after which rowid) and why. */
function scanTables(db: Db): string[] {
  let tables: { name: string; sql: string }[];
  try {
    tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
  } catch (e) {
    return [`the schema (page 1) cannot be read: ${e instanceof Error ? e.message : String(e)}`];
  }
  const out: string[] = [];
  for (const t of tables) {
    const rowid = !/WITHOUT\s+ROWID/i.test(t.sql);
    let last: unknown = null;
    let n = 0;
    try {
      const stmt = db.prepare(`SELECT ${rowid ? 'rowid AS __k, ' : ''}* FROM "${t.name.replaceAll('"', '""')}"`);
      for (const row of stmt.iterate() as IterableIterator<{ __k?: unknown }>) {
        last = row.__k ?? null;
        n++;
      }
    } catch (e) {
      const where = n === 0 ? 'from its first row' : rowid ? `after rowid ${String(last)} (${n} rows read)` : `after ${n} rows`;
      out.push(`table ${t.name}: unreadable ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

/**
 * How the disk or the file system let a statement down: the SQLite result code of a failure that is
 * not the request's fault. SQLITE_FULL is also what a file size limit (`ulimit -f`) gives when a write
 * is cut short; the errno behind an I/O error is not passed on by better-sqlite3.
 */
export type StorageFault = 'full' | 'write' | 'read' | 'io' | 'read-only' | 'moved' | 'cannot-open' | 'damaged';

/** SQLite's own text for each primary code, as sqlite3_errstr gives it. */
const SQLITE_TEXT: Record<string, string> = {
  'database or disk is full': 'SQLITE_FULL',
  'disk I/O error': 'SQLITE_IOERR',
  'attempt to write a readonly database': 'SQLITE_READONLY',
  'unable to open database file': 'SQLITE_CANTOPEN',
  'database disk image is malformed': 'SQLITE_CORRUPT',
  'file is not a database': 'SQLITE_NOTADB',
};

/**
 * The SQLite result code of an error. An error from a worker thread comes as text: import-task.ts ends
 * its message with the code in parentheses, store-client.ts rebuilds it as a plain Error named
 * SqliteError with SQLite's message.
 */
export function sqliteCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  if (!(e instanceof Error)) return null;
  const tail = /\((SQLITE_[A-Z_]+)\)$/.exec(e.message);
  if (tail?.[1]) return tail[1];
  return e.name === 'SqliteError' ? (SQLITE_TEXT[e.message] ?? null) : null;
}

export function storageFault(e: unknown): StorageFault | null {
  const c = sqliteCode(e);
  if (c === null) return null;
  if (c === 'SQLITE_FULL') return 'full';
  if (c === 'SQLITE_READONLY_DBMOVED') return 'moved';
  if (c.startsWith('SQLITE_READONLY')) return 'read-only';
  if (c.startsWith('SQLITE_CANTOPEN')) return 'cannot-open';
  if (c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB') return 'damaged';
  if (['SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_DIR_FSYNC', 'SQLITE_IOERR_TRUNCATE'].includes(c)) return 'write';
  if (c === 'SQLITE_IOERR_READ' || c === 'SQLITE_IOERR_SHORT_READ') return 'read';
  if (c.startsWith('SQLITE_IOERR')) return 'io';
  return null;
}

/**
 * Why this process may not use the file, as far as the file system tells: its folder is gone or
 * read-only, or the permissions forbid it. Null when nothing is wrong that way.
 */
export function accessProblem(file: string): string | null {
  const dir = dirname(file);
  if (!existsSync(dir)) return `its folder ${dir} does not exist`;
  const denied = (path: string, mode: number): NodeJS.ErrnoException | null => {
    try {
      accessSync(path, mode);
      return null;
    } catch (e) {
      return e as NodeJS.ErrnoException;
    }
  };
  if (existsSync(file) && denied(file, constants.R_OK)) return 'this user may not read it (its file permissions)';
  const dirErr = denied(dir, constants.W_OK);
  // SQLite writes the -wal and -shm files beside the database, even to read a WAL-mode one
  if (dirErr) return `its folder ${dir} ${dirErr.code === 'EROFS' ? 'is on a read-only file system (a read-only mount or snapshot)' : 'may not be written by this user'}, and SQLite keeps its -wal and -shm files there`;
  if (existsSync(file) && denied(file, constants.W_OK)) return 'the file itself is read-only (its file permissions)';
  return null;
}

const KEPT = 'The change was rolled back: nothing of it was saved, and everything saved before is intact.';

/** The likely cause of a fault other than damage, as a clause ("the disk it is on is full …"). */
export function faultCause(fault: Exclude<StorageFault, 'damaged'>, file: string | null): string {
  const access = (): string =>
    (file === null ? null : accessProblem(file)) ??
    'the file, or the folder that holds it and its -wal and -shm files, is read-only or not this user\'s (a read-only mount or snapshot, or files of another user)';
  switch (fault) {
    case 'full':
      return 'the disk it is on is full, or a quota or a file size limit (`ulimit -f`) was reached';
    case 'write':
    case 'io':
      return 'the disk or the file system failed a write or a lock on it or its -wal and -shm files: a file size limit (`ulimit -f`), a quota, or a failing disk or network file system';
    case 'read':
      return 'the disk or the network file system failed a read';
    case 'read-only':
    case 'cannot-open':
      return access();
    case 'moved':
      return 'the file was moved, renamed or deleted while rxlab had it open';
  }
}

/** What went wrong, where, and what to do, for a failure the disk or the file system caused. */
function explain(fault: StorageFault, file: string | null, sqlite: string): string {
  if (fault === 'damaged') {
    return `the database file is damaged (SQLite: ${sqlite}); this request wrote nothing. ${file === null ? '`rxlab db check` lists the damage.' : damageAdvice(file)}`;
  }
  const cause = faultCause(fault, file);
  switch (fault) {
    case 'full':
      return `the change could not be saved: ${cause} (SQLite: ${sqlite}). ${KEPT} Free some space and try again.`;
    case 'write':
    case 'io':
      return `${cause} (SQLite: ${sqlite}). ${KEPT}`;
    case 'read':
      return `reading it failed: ${cause} (SQLite: ${sqlite}). Nothing was written. If it happens again, \`rxlab${file === null ? '' : ` --db ${JSON.stringify(file)}`} db check\` tells whether the file is damaged.`;
    case 'read-only':
      return `cannot be written: ${cause} (SQLite: ${sqlite}). Nothing was written, and everything saved before is intact. Make it writable, or copy it to a writable folder and use the copy (--db).`;
    case 'cannot-open':
      return `cannot be opened: ${cause} (SQLite: ${sqlite}). Nothing was written.`;
    case 'moved':
      return `${cause} (SQLite: ${sqlite}). Nothing was written; restart rxlab so that it opens the file where it is now.`;
  }
}

/**
 * SQLite's text apart from what a worker put before it ("a.log: not imported: database or disk is full
 * (SQLITE_FULL)"): that context leads the message, SQLite's own words go in the parentheses.
 */
function splitCause(msg: string): { context: string; sqlite: string } {
  const bare = msg.replace(/ \(SQLITE_[A-Z_]+\)$/, '');
  for (const text of Object.keys(SQLITE_TEXT)) {
    if (bare.endsWith(`: ${text}`)) return { context: bare.slice(0, bare.length - text.length), sqlite: text };
  }
  return { context: '', sqlite: bare };
}

/** A statement failed because of the disk or the file system (or damage), said with the file and the likely cause. */
export class StorageError extends Error {
  readonly fault: StorageFault | null;
  /** The message without the file name in front. */
  readonly reason: string;
  constructor(
    readonly file: string | null,
    cause: unknown,
    reason?: string,
  ) {
    const { context, sqlite } = splitCause(cause instanceof Error ? cause.message : String(cause));
    const fault = storageFault(cause);
    const r = reason ?? (fault ? explain(fault, file, sqlite) : sqlite);
    super(`${context}${file ?? 'the rxlab database'}: ${r}`);
    this.name = 'StorageError';
    this.fault = fault;
    this.reason = r;
  }
}

/** The error a person can act on, for a failure of the disk, the file system or the file; null for any other. */
export function explainStorageError(e: unknown, file: string | null): StorageError | null {
  if (e instanceof StorageError || (e instanceof Error && (e.name === 'DamagedStoreError' || e.name === 'StoreOpenError'))) return null; // already said
  return storageFault(e) === null ? null : new StorageError(file, e);
}
