import Database from 'better-sqlite3';
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
 * openStore). Throws only when the file cannot be opened at all.
 */
export function checkStoreFile(file: string, opts: { quick?: boolean; max?: number } = {}): StoreCheck {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return checkStore(db, opts);
  } finally {
    db.close();
  }
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
