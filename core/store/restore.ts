/**
 * Going back to a backup (`rxlab db restore`): the store file is replaced by a backup that passes
 * SQLite's integrity check and whose schema this rxlab can read. Nothing is deleted: the file being
 * replaced (with its -wal and -shm, which hold its last writes) is renamed to NAME.replaced-DATE.db
 * beside it, so a restore can itself be undone by renaming back.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupPaths, latestBackup } from './backup.js';
import { checkStore, openReadOnly, StorageError, type ReadOnlyStore } from './damage.js';
import { loadMigrations } from './migrate.js';

export interface RestoreResult {
  /** The store file, now holding the backup. */
  file: string;
  from: string;
  /** When the backup was written (its mtime). */
  fromAt: string;
  /** Where the replaced file went; null when there was none. */
  keptAs: string | null;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** The backup to go back to: the one named, else the newest automatic one, else the one before it. */
function pickSource(file: string, from: string | undefined): string {
  if (from !== undefined) {
    const src = resolve(from);
    if (!existsSync(src)) throw new Error(`${src}: no such file`);
    return src;
  }
  const newest = latestBackup(file);
  if (newest) return newest.file;
  const { previous } = backupPaths(file);
  if (existsSync(previous)) return previous;
  throw new Error(`${file}: no backup beside it (${backupPaths(file).newest}); name one with --from FILE`);
}

/**
 * Refuses while another connection (the app, rxlab serve, another command) has the store open: SQLite
 * lets a connection leave WAL mode only when it is the only one. (A -wal file is no sign either way:
 * read-only connections leave an empty one behind.) Leaving WAL also folds the last writes into the
 * file, so the replaced file is complete on its own. A file too damaged for that needs --force.
 */
function ensureNotInUse(file: string, force: boolean): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new Error(`${file} is open in another rxlab (the app, rxlab serve or another command); close it and run this again`);
    }
    if (!force) {
      throw new Error(
        `${file} could not be opened to make sure no other rxlab uses it (${e instanceof Error ? e.message : String(e)}); ` +
          'close every rxlab and run this again with --force',
      );
    }
  } finally {
    db?.close();
  }
}

export function restoreBackup(dbPath: string, opts: { from?: string; force?: boolean; now?: Date } = {}): RestoreResult {
  const file = resolve(dbPath);
  const from = pickSource(file, opts.from);
  if (from === file) throw new Error('a file cannot be restored over itself');
  // The backup must be sound and readable by this version before anything is moved. A backup in a folder
  // rxlab cannot write (a read-only mount, a snapshot) is read through a copy beside the store.
  const tmp = `${file}.restore-tmp`;
  rmSync(tmp, { force: true });
  let src: ReadOnlyStore;
  try {
    src = openReadOnly(from, `${file}.restore-src`);
  } catch (e) {
    throw new Error(`${from}: ${e instanceof StorageError ? e.reason : `not a readable SQLite database (${e instanceof Error ? e.message : String(e)})`}`);
  }
  try {
    let check;
    try {
      check = checkStore(src.db, { quick: false, max: 5 });
    } catch (e) {
      // not damage (checkStore reports that): the disk or the file system failed the read
      throw new Error(`${from}: cannot be read to check it (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!check.ok) throw new Error(`${from} is damaged too (${check.problems[0] ?? 'foreign-key check failed'}); try another backup with --from, or rxlab db salvage`);
    const version = src.db.pragma('user_version', { simple: true }) as number;
    const latest = loadMigrations().length;
    if (version === 0) throw new Error(`${from}: not an rxlab database (it has no rxlab schema)`);
    if (version > latest) throw new Error(`${from} has schema version ${version}, newer than this rxlab reads (${latest}); restore it with a newer rxlab`);
    // Only now touch the store: every refusal above leaves it exactly as it was.
    if (existsSync(file)) ensureNotInUse(file, opts.force ?? false);
    // The copy goes through SQLite (VACUUM INTO), not the file system: a source in WAL mode (a live store,
    // one that crashed, a .replaced-… file) keeps its last writes in its -wal, which a plain copy of the
    // main file would leave behind.
    src.db.prepare('VACUUM INTO ?').run(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    src.close();
  }
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd); // on disk before it takes the store's name
  } finally {
    closeSync(fd);
  }
  let keptAs: string | null = null;
  if (existsSync(file)) {
    // never over an earlier replaced file (two restores within one second)
    const base = `${file.replace(/\.db$/i, '')}.replaced-${stamp(opts.now ?? new Date())}`;
    keptAs = `${base}.db`;
    for (let n = 2; existsSync(keptAs); n++) keptAs = `${base}-${n}.db`;
    // A second name first, then the backup renamed over the store: the store's name never goes missing,
    // so a crash in between cannot leave a start that silently creates an empty store.
    try {
      linkSync(file, keptAs);
    } catch {
      copyFileSync(file, keptAs); // a file system without hard links
    }
    for (const side of ['-wal', '-shm']) if (existsSync(`${file}${side}`)) renameSync(`${file}${side}`, `${keptAs}${side}`);
  }
  renameSync(tmp, file);
  return { file, from, fromAt: statSync(from).mtime.toISOString(), keptAs };
}
