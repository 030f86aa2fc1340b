import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { importBytesSync, PARSER_VERSION } from '../logs/import.js';
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import { resolve } from 'node:path';
import { faultCause, isCorruption, openReadOnly, StorageError, storageFault } from './damage.js';
import { nowIso, openStore, type Db } from './db.js';
import { DatabaseFromTheFutureError, loadMigrations } from './migrate.js';

/** What a cancelled salvage throws: the service answers an AbortError with code 'cancelled'. */
function cancelled(): Error {
  return Object.assign(new Error('cancelled'), { name: 'AbortError' });
}

/** What salvage copied from one table, and what it could not. */
export interface TableSalvage {
  table: string;
  copied: number;
  /** Key ranges the source could not read ("ids 2049–4095"); rows there may or may not have existed. */
  unreadable: string[];
  /** Rows read but refused by the new file's constraints (a damaged page can yield garbage rows). */
  rejected: number;
  firstRejection?: string;
}

export interface SalvageReport {
  source: string;
  out: string;
  tables: TableSalvage[];
  /** How rows whose parent was lost were kept (or, for results of a lost run, dropped). */
  repaired: string[];
  /** integrity_check of the new file: "ok" or its first finding. */
  check: string;
}

/** Parents before children, so the report reads in the order a person thinks of the data. */
const TABLE_ORDER = ['notebook', 'cell', 'imported_file', 'run', 'result', 'parameter_set'];
const BATCH = 500;

function q(id: string): string {
  return `"${id.replaceAll('"', '""')}"`;
}

interface Cursor {
  /** SELECT of every column after the key `k` (undefined = from the start). */
  rowsAfter(k: unknown[] | undefined): IterableIterator<Record<string, unknown>>;
  /**
   * Every column from the key `k` on, inclusive. After a seek past damage the walk restarts here, not
   * "after the key below": SQLite finds "after k − 1" by descending towards k − 1, often into the very
   * page that is damaged, while a descent towards k goes straight to the page that holds it.
   */
  rowsFrom(k: unknown[]): IterableIterator<Record<string, unknown>>;
  key(row: Record<string, unknown>): unknown[];
  /** The first readable key at or after the integer `from` in the leading key column, or null at the end. */
  seek(from: number): unknown[] | null;
  label: string;
}

/**
 * Reads a table in key order: rowid for ordinary tables, the primary key for WITHOUT ROWID ones (whose
 * first key column is an integer here: result.run_id). Ordering by the key walks the table's own b-tree,
 * so a damaged index does not stop it.
 */
function cursorFor(src: Db, table: string, cols: string[], withoutRowid: boolean, pk: string[]): Cursor {
  const colList = cols.map(q).join(', ');
  if (!withoutRowid) {
    const after = src.prepare(`SELECT rowid AS __rx_key, ${colList} FROM ${q(table)} WHERE rowid > ? ORDER BY rowid`);
    const from = src.prepare(`SELECT rowid AS __rx_key, ${colList} FROM ${q(table)} WHERE rowid >= ? ORDER BY rowid`);
    const first = src.prepare(`SELECT rowid AS __rx_key, ${colList} FROM ${q(table)} ORDER BY rowid`);
    const seek = src.prepare(`SELECT rowid AS k FROM ${q(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1`);
    return {
      rowsAfter: (k) => (k ? after.iterate(k[0]) : first.iterate()) as IterableIterator<Record<string, unknown>>,
      rowsFrom: (k) => from.iterate(k[0]) as IterableIterator<Record<string, unknown>>,
      key: (row) => [row['__rx_key']],
      seek: (at) => {
        const r = seek.get(at) as { k: number } | undefined;
        return r ? [r.k] : null;
      },
      label: 'rowids',
    };
  }
  const keyList = pk.map(q).join(', ');
  const marks = pk.map(() => '?').join(', ');
  const after = src.prepare(`SELECT ${colList} FROM ${q(table)} WHERE (${keyList}) > (${marks}) ORDER BY ${keyList}`);
  const fromKey = src.prepare(`SELECT ${colList} FROM ${q(table)} WHERE (${keyList}) >= (${marks}) ORDER BY ${keyList}`);
  const first = src.prepare(`SELECT ${colList} FROM ${q(table)} ORDER BY ${keyList}`);
  const lead = pk[0] ?? '';
  const seek = src.prepare(`SELECT ${keyList} FROM ${q(table)} WHERE ${q(lead)} >= ? ORDER BY ${keyList} LIMIT 1`);
  return {
    rowsAfter: (k) => (k ? after.iterate(...k) : first.iterate()) as IterableIterator<Record<string, unknown>>,
    rowsFrom: (k) => fromKey.iterate(...k) as IterableIterator<Record<string, unknown>>,
    key: (row) => pk.map((c) => row[c]),
    seek: (at) => {
      const r = seek.get(at) as Record<string, unknown> | undefined;
      return r ? pk.map((c) => r[c]) : null;
    },
    label: `${lead} values`,
  };
}

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function copyTable(src: Db, dst: Db, table: string, signal?: AbortSignal, onRows?: (table: string, copied: number) => void): TableSalvage {
  if (signal?.aborted) throw cancelled();
  const out: TableSalvage = { table, copied: 0, unreadable: [], rejected: 0 };
  const dstInfo = dst.pragma(`table_info(${q(table)})`) as { name: string; pk: number }[];
  let srcCols: string[];
  try {
    srcCols = (src.pragma(`table_info(${q(table)})`) as { name: string }[]).map((c) => c.name);
  } catch {
    srcCols = dstInfo.map((c) => c.name); // the source's schema is unreadable: assume the current one
  }
  if (srcCols.length === 0) return out; // an older file without this table
  const cols = dstInfo.map((c) => c.name).filter((c) => srcCols.includes(c));
  const pk = dstInfo.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const withoutRowid = /WITHOUT\s+ROWID/i.test((dst.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(table) as string | undefined) ?? '');
  const insert = dst.prepare(`INSERT INTO ${q(table)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  const cur = cursorFor(src, table, cols, withoutRowid, pk);
  const flush = dst.transaction((rows: Record<string, unknown>[]) => {
    for (const r of rows) {
      try {
        insert.run(...cols.map((c) => r[c]));
        out.copied++;
      } catch (e) {
        // A full disk or a failed write is no fault of the row; SQLite has rolled the batch back, so
        // counting on would report every later row as refused and then fail with "no transaction is active".
        if (storageFault(e) !== null) throw e;
        out.rejected++;
        out.firstRejection ??= e instanceof Error ? e.message : String(e);
      }
    }
  });
  let last: unknown[] | undefined;
  let resume: unknown[] | undefined; // where to restart, inclusive, after a seek past damage
  let prevFrom = -Infinity;
  for (;;) {
    const pending: Record<string, unknown>[] = [];
    try {
      const rows = resume ? cur.rowsFrom(resume) : cur.rowsAfter(last);
      resume = undefined;
      for (const row of rows) {
        const k = cur.key(row);
        if (!Number.isFinite(Number(k[0]))) {
          out.rejected++;
          out.firstRejection ??= `a row whose key is not a number (${String(k[0])})`;
          continue;
        }
        // a damaged tree can hand rows back out of order: never step backwards (the walk could loop)
        if (last && compareKeys(k, last) <= 0) continue;
        pending.push(row);
        last = k;
        if (pending.length >= BATCH) {
          if (signal?.aborted) throw cancelled();
          flush(pending.splice(0));
          onRows?.(table, out.copied);
        }
      }
      flush(pending);
      return out;
    } catch (e) {
      flush(pending);
      if (!isCorruption(e)) throw e;
      // Step over the damage: seek keys ever further on until one reads (at most ~53 tries). A second
      // failure at the same place gives that key up, so the walk always moves forward.
      let from = Number(last?.[0] ?? 0) + 1;
      if (from <= prevFrom) {
        // its key reads but its row does not (a damaged overflow page of a large value)
        out.unreadable.push(`${cur.label} ${prevFrom}`);
        from = prevFrom + 1;
      }
      prevFrom = from;
      const hit: { key: unknown[] | null } = { key: null }; // set only by a seek that reads
      let readable = false;
      const trySeek = (at: number): boolean => {
        try {
          hit.key = cur.seek(at);
          return true;
        } catch (e2) {
          if (!isCorruption(e2)) throw e2;
          return false;
        }
      };
      let step = 1;
      for (; step < 2 ** 53; step *= 2) {
        if (trySeek(from + step - 1)) {
          readable = true;
          break;
        }
      }
      if (readable && step > 1) {
        // The doubling overshot by up to half its last step: the rows between the last start that failed
        // and the first that read may read too. Bisect back to the lowest start that reads.
        let bad = from + step / 2 - 1;
        let good = from + step - 1;
        // hit.key is only set by a seek that reads, so it always belongs to `good`
        while (good - bad > 1) {
          const mid = Math.floor((bad + good) / 2);
          if (trySeek(mid)) good = mid;
          else bad = mid;
        }
      }
      // the keys from `from` up to the one below the first readable key are lost
      const found = hit.key;
      const to = found ? Number(found[0]) - 1 : null;
      if (to === null) out.unreadable.push(`${cur.label} from ${from} on`);
      else if (to >= from) out.unreadable.push(to > from ? `${cur.label} ${from}–${to}` : `${cur.label} ${from}`);
      if (!readable || !found) return out;
      // a key just below the found one (so the walk never steps back), and the walk restarts at it
      last = [Number(found[0]) - 1, ...found.slice(1).map(() => '\uffff')];
      resume = found;
    }
  }
}

/**
 * Keeps rows whose parent was lost where the data model allows it: cells get a placeholder notebook,
 * measured runs lose only the link to their raw log (they keep its SHA-256 in input_sha256); results of
 * a lost run mean nothing without it and are dropped.
 */
function repairOrphans(dst: Db): string[] {
  const notes: string[] = [];
  const lostNotebooks = dst.prepare('SELECT DISTINCT notebook_id FROM cell WHERE notebook_id NOT IN (SELECT id FROM notebook)').pluck().all() as number[];
  const now = nowIso();
  for (const id of lostNotebooks) {
    dst.prepare('INSERT INTO notebook (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, `Recovered notebook ${id}`, now, now);
  }
  if (lostNotebooks.length) notes.push(`${lostNotebooks.length} notebook(s) were unreadable but their cells were not: the cells are in "Recovered notebook N"`);
  const unlinked = dst.prepare('UPDATE run SET imported_file_id = NULL WHERE imported_file_id IS NOT NULL AND imported_file_id NOT IN (SELECT id FROM imported_file)').run().changes;
  if (unlinked) notes.push(`${unlinked} measured run(s) kept without their raw log, which was unreadable (input_sha256 still names it)`);
  const dropped = dst.prepare('DELETE FROM result WHERE run_id NOT IN (SELECT id FROM run)').run().changes;
  if (dropped) notes.push(`${dropped} metric value(s) dropped: their run was unreadable`);
  return notes;
}

/**
 * A log whose records are kept as its runs (record_count, migration 0003) but lost some of them to the
 * damage could never be read again ("holds 17 of the 18 runs"), and importing it again only finds it
 * by its SHA-256. Its raw bytes survived with it: its records are read from them again into its
 * document (record_count NULL, as before migration 0003), so its tables are whole again.
 */
function repairImports(dst: Db): string[] {
  const notes: string[] = [];
  const short = dst
    .prepare(
      `SELECT f.id, f.file_name AS name, f.record_count AS want,
              (SELECT count(*) FROM run r WHERE r.imported_file_id = f.id AND r.detail IS NOT NULL) AS have
         FROM imported_file f WHERE f.record_count IS NOT NULL`,
    )
    .all() as { id: number; name: string; want: number; have: number }[];
  for (const f of short.filter((x) => x.have !== x.want)) {
    const row = dst.prepare('SELECT bytes, sha256 FROM imported_file WHERE id = ?').get(f.id) as { bytes: Buffer; sha256: string };
    const what = `imported file ${f.id} (${f.name}): ${f.want - f.have} of its ${f.want} record runs were unreadable`;
    if (createHash('sha256').update(row.bytes).digest('hex') !== row.sha256) {
      notes.push(`${what}, and its raw bytes no longer match their SHA-256: it cannot be read; delete it (rxlab import --delete ${f.id}) and import the log again`);
      continue;
    }
    try {
      const doc = importBytesSync(f.name, row.bytes).doc;
      dst.prepare('UPDATE imported_file SET document = ?, record_count = NULL, parser_version = ? WHERE id = ?').run(JSON.stringify(doc), PARSER_VERSION, f.id);
      notes.push(`${what}; its ${doc.records.length} records were read again from its raw bytes (parser ${PARSER_VERSION}), so its tables are whole (the lost runs' ids are not back)`);
    } catch (e) {
      notes.push(`${what}, and reading its raw bytes again failed (${e instanceof Error ? e.message : String(e)}): delete it (rxlab import --delete ${f.id}) and import the log again`);
    }
  }
  return notes;
}

/**
 * Every temporary file a salvage into `out` may leave: the new store under NAME.partial and the padded
 * copy of a file cut short, each with its WAL files. Also for a host that stopped the salvage's thread.
 */
export function removeSalvageLeftovers(out: string): void {
  const partial = `${resolve(out)}.partial`;
  for (const base of [partial, `${partial}.source`]) for (const f of [base, `${base}-wal`, `${base}-shm`]) rmSync(f, { force: true });
}

/**
 * A file cut short (a copy or a disk that stopped mid-write) is shorter than its header's page count,
 * and SQLite then refuses even page 1. A copy padded with zero pages to that length opens, and the
 * missing pages read as damaged ones, which the walk steps over. Returns the copy's path, or null
 * when the file is whole (then it is read in place). The WAL, if any, travels with the copy.
 */
function paddedCopy(file: string, copy: string): string | null {
  const head = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 100 || head.toString('latin1', 0, 15) !== 'SQLite format 3') return null;
  const rawSize = head.readUInt16BE(16);
  const pageSize = rawSize === 1 ? 65536 : rawSize;
  const want = pageSize * head.readUInt32BE(28);
  if (statSync(file).size >= want) return null;
  copyFileSync(file, copy);
  truncateSync(copy, want);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
  return copy;
}

/**
 * Copies every readable row of a damaged rxlab database into a new file with the current schema. The
 * source is opened read-only and never changed; the new file appears under its name only when complete
 * (written as NAME.partial, then renamed), so an interrupted salvage leaves nothing half-made.
 */
export function salvageStore(
  source: string,
  outPath: string,
  opts: {
    signal?: AbortSignal;
    onTable?: (t: TableSalvage) => void;
    onRows?: (table: string, copied: number) => void;
    /** Asked last, before the rename that makes the file appear (core/handlers/commit-gate.ts): false cancels. */
    mayCommit?: () => boolean;
  } = {},
): SalvageReport {
  const srcFile = resolve(source);
  const out = resolve(outPath);
  if (!existsSync(srcFile)) throw new Error(`${srcFile}: no such file`);
  if (out === srcFile) throw new Error('--out must be a new file, not the damaged database itself');
  if (existsSync(out)) throw new Error(`${out}: already exists; salvage writes a new file and never overwrites one`);
  const partial = `${out}.partial`;
  removeSalvageLeftovers(out);
  const padded = paddedCopy(srcFile, `${partial}.source`);
  const cleanup = (): void => removeSalvageLeftovers(out);
  let src: Db;
  let version: number;
  try {
    // a padded copy is beside the new file already; a file in a folder rxlab cannot write is read
    // through a copy made there (openReadOnly)
    src = padded ? new Database(padded, { readonly: true, fileMustExist: true }) : openReadOnly(srcFile, `${partial}.source`).db;
    version = src.pragma('user_version', { simple: true }) as number;
  } catch (e) {
    cleanup();
    if (e instanceof StorageError) throw e; // the file system's doing, not the file's: it says why
    throw new Error(`${srcFile}: cannot be read as an SQLite database (${e instanceof Error ? e.message : String(e)}); its first page is gone, so no row can be found in it`);
  }
  // A newer rxlab's file may hold tables and columns this one does not know: a salvage here would drop
  // them without a word, so it is refused as opening the file is.
  const known = loadMigrations().length;
  if (version > known) {
    src.close();
    cleanup();
    throw new DatabaseFromTheFutureError(version, known, srcFile);
  }
  const dst = openStore(partial);
  try {
    dst.pragma('foreign_keys = OFF');
    let names: string[];
    try {
      names = src.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    } catch {
      names = TABLE_ORDER; // the schema page is damaged: try the tables this rxlab knows
    }
    const tables = TABLE_ORDER.filter((t) => names.includes(t));
    const report: SalvageReport = { source: srcFile, out, tables: [], repaired: [], check: '' };
    for (const t of tables) {
      const r = copyTable(src, dst, t, opts.signal, opts.onRows);
      report.tables.push(r);
      opts.onTable?.(r);
    }
    report.repaired = [...repairOrphans(dst), ...repairImports(dst)];
    dst.pragma('foreign_keys = ON');
    report.check = String(dst.pragma('integrity_check(1)', { simple: true }));
    dst.close();
    src.close();
    if (opts.mayCommit && !opts.mayCommit()) throw cancelled();
    renameSync(partial, out);
    cleanup();
    return report;
  } catch (e) {
    if (dst.open) dst.close();
    if (src.open) src.close();
    cleanup();
    throw salvageError(e, srcFile, out);
  }
}

/**
 * What a salvage that stopped says. The source is only read, so a full disk, a failed write or a
 * read-only folder is about the new file; damage the walk cannot step over (a table whose columns cannot
 * even be looked up) is about the source.
 */
function salvageError(e: unknown, srcFile: string, out: string): unknown {
  const fault = storageFault(e);
  if (fault === 'damaged') {
    const why = e instanceof Error ? e.message : String(e);
    return new Error(`${srcFile}: the salvage stopped at damage it cannot step over (SQLite: ${why}), most likely in the schema on its first page, without which no table can be found; ${out} was not written`);
  }
  if (fault === 'full' || fault === 'write' || fault === 'io' || fault === 'read-only' || fault === 'cannot-open') {
    return new StorageError(out, e, `the salvaged copy could not be written: ${faultCause(fault, out)} (SQLite: ${e instanceof Error ? e.message : String(e)}). Its partial file was removed; ${srcFile} was only read.`);
  }
  return e;
}
