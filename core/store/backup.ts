import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** The newest automatic backup sits beside the database; the one before it keeps the suffix ".1". */
export function backupPaths(dbPath: string): { newest: string; previous: string } {
  const file = resolve(dbPath);
  return { newest: `${file}.backup`, previous: `${file}.backup.1` };
}

export interface BackupInfo {
  file: string;
  /** When it was written (ISO); the file's mtime. */
  at: string;
  bytes: number;
}

/** A backup file's info, or null when there is none. */
function backupAt(file: string): BackupInfo | null {
  if (!existsSync(file)) return null;
  const st = statSync(file);
  return { file, at: st.mtime.toISOString(), bytes: st.size };
}

export function latestBackup(dbPath: string): BackupInfo | null {
  return backupAt(backupPaths(dbPath).newest);
}

/** The automatic backup before the newest (backup.1), if there is one. */
export function previousBackup(dbPath: string): BackupInfo | null {
  return backupAt(backupPaths(dbPath).previous);
}

/**
 * A consistent copy of the whole store, written with SQLite's VACUUM INTO (a snapshot of one read
 * transaction, compacted, in rollback-journal mode so it is a single file). It is written under a
 * temporary name and renamed, so a crash mid-copy never replaces a good backup with half of one.
 */
export function writeBackup(dbPath: string, out: string, opts: { overwrite?: boolean } = {}): BackupInfo {
  const src = resolve(dbPath);
  const dest = resolve(out);
  if (dest === src) throw new Error('a backup cannot be written over the database itself');
  if (!opts.overwrite && existsSync(dest)) throw new Error(`${dest}: already exists; choose a new name (a backup never overwrites a file)`);
  const tmp = `${dest}.tmp`;
  rmSync(tmp, { force: true });
  const db = new Database(src, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    db.close();
  }
  renameSync(tmp, dest);
  const st = statSync(dest);
  return { file: dest, at: st.mtime.toISOString(), bytes: st.size };
}

/**
 * The automatic backup at start: only of a file that has just passed its check (a damaged file must
 * never replace a good backup), and only when the newest backup is older than `everyMs`. The newest
 * becomes the previous one, so one bad day cannot cost both.
 */
export function backupIfDue(dbPath: string, everyMs: number, now = Date.now()): { backup: BackupInfo | null; written: boolean } {
  const { newest, previous } = backupPaths(dbPath);
  const last = latestBackup(dbPath);
  if (last && now - Date.parse(last.at) < everyMs) return { backup: last, written: false };
  const tmpNewest = `${newest}.new`;
  const info = writeBackup(dbPath, tmpNewest, { overwrite: true }); // a leftover of a crashed run
  if (existsSync(newest)) renameSync(newest, previous);
  renameSync(tmpNewest, newest);
  return { backup: { ...info, file: newest }, written: true };
}
