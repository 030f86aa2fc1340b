import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultDbPath } from '../paths.js';
import { latestBackup } from './backup.js';
import { damageAdvice, faultCause, isCorruption, storageFault } from './damage.js';
import { DatabaseFromTheFutureError, loadMigrations, migrate } from './migrate.js';

export type Db = Database.Database;

export class StoreOpenError extends Error {
  constructor(file: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const fault = storageFault(cause);
    // A full disk or a read-only folder is no sign of damage: say the cause, and send nobody to a backup.
    if (fault !== null && fault !== 'damaged') {
      super(`${file}: cannot open the rxlab database: ${faultCause(fault, file)} (SQLite: ${why}). The file was not modified.`);
      this.name = 'StoreOpenError';
      return;
    }
    const what = isCorruption(cause) && (cause as { code?: string }).code !== 'SQLITE_NOTADB'
      ? damageAdvice(file) // pages are damaged but the file is SQLite: rows can still be copied out
      : 'If the file is damaged, restore a backup or pass --db with a new file.';
    // the desktop app has no command line beside it: name the backup a person can copy back
    const b = file === ':memory:' ? null : latestBackup(file);
    const backup = b
      ? ` The newest backup, from ${b.at}, is ${b.file}: \`rxlab --db ${JSON.stringify(file)} db restore\` goes back to it (keeping the damaged file beside it), as does copying it over the damaged file.`
      : '';
    super(`${file}: cannot open the rxlab database: ${why}. ${what}${backup} The file was not modified.`);
    this.name = 'StoreOpenError';
  }
}

/** Connections openStore made in this thread, until they are found closed. */
const opened = new Set<Db>();

/**
 * The store files this thread has open through openStore. A failure of the disk or the file system
 * reaches the API's error mapping as a bare SqliteError, which does not say which file it came from:
 * in a host that has one store open (the app, rxlab serve, a command) this names it.
 */
export function openStoreFiles(): string[] {
  for (const db of opened) if (!db.open) opened.delete(db);
  return [...new Set([...opened].map((db) => db.name))];
}

/**
 * Opens (creating if needed) and migrates the store. The Electron build of better-sqlite3 lives
 * beside the Node build: RXLAB_SQLITE_BINDING points at it (better-sqlite3's nativeBinding option),
 * so tests and the CLI keep using the Node ABI build.
 */
export function openStore(dbPath?: string, opts: { readonly?: boolean } = {}): Db {
  const file = resolve(dbPath ?? defaultDbPath());
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const nativeBinding = process.env['RXLAB_SQLITE_BINDING'];
  const migrations = loadMigrations();
  let db: Db;
  let version: number;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, ...(nativeBinding ? { nativeBinding } : {}) });
    // A damaged or foreign file only fails on first read, so read the header now.
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (e) {
    throw new StoreOpenError(file, e);
  }
  // Refuse a newer schema BEFORE any pragma writes to the file (WAL mode changes the header).
  if (version > migrations.length) {
    db.close();
    throw new DatabaseFromTheFutureError(version, migrations.length, file);
  }
  // A read-only connection cannot upgrade: say so, rather than SQLite's "attempt to write a readonly database".
  if (opts.readonly === true && version < migrations.length) {
    db.close();
    throw new Error(`${file}: schema version ${version}, older than this rxlab's ${migrations.length}; it is upgraded when rxlab opens it to write (the app, or e.g. rxlab notebook list), and nothing was changed`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    // A large import's transaction grows the -wal file to the size of what it wrote (715 MB beside a
    // 795 MB store after a 200 MiB log), and SQLite keeps that file at its largest until the last
    // connection closes: after each checkpoint, truncate it back to this.
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    migrate(db, migrations, file);
  } catch (e) {
    db.close();
    if (e instanceof Error && e.name === 'DatabaseFromTheFutureError') throw e;
    throw new StoreOpenError(file, e);
  }
  openStoreFiles(); // forgets the closed ones
  if (file !== ':memory:') opened.add(db);
  return db;
}

export function nowIso(): string {
  return new Date().toISOString();
}
