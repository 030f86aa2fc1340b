/**
 * Worker-thread task for store work that grows with the data: exporting and importing a .rxnb
 * notebook (its imported files and every run travel with it), building a report, and a stored log
 * as an Import cell shows it (every run id: 450,000 of them held the main thread 0.3–1.1 s), a page
 * of the stored-runs browser (counting or sorting 450,000 runs takes about as long), and a Slurm
 * sweep's result files read into the store (a whole document per run), and a traced simulation's
 * results saved and read back (a trace of 10,000 intervals is 0.7 MB of JSON a run). With one
 * 16 MB netperf import referenced, these took 5 s (export) and, before the reuse lookup was fixed,
 * minutes (import) on the thread that also serves the UI. The worker opens the database itself:
 * read-only for exports, reports and their tables and figures (WAL lets it read beside the main connection), read-write in
 * one transaction for imports. Errors come back as data (name + message), since an Error subclass
 * loses its class crossing threads; store-client.ts turns them back into the same classes.
 */
import type { StoreHealth, StoreRestore, StoreSalvage } from '../contract/index.js';
import { restoreBackup } from '../store/restore.js';
import { salvageStore } from '../store/salvage.js';
import { claimCommit, gateSignal } from './commit-gate.js';
import { backupIfDue, backupPaths, latestBackup, previousBackup } from '../store/backup.js';
import { checkStoreFile, damageAdvice, DamagedStoreError, isCorruption, type StoreCheck } from '../store/damage.js';
import { exportNotebook } from '../portable/export.js';
import { importNotebook } from '../portable/import.js';
import { renderReportHtml } from '../report/html.js';
import { buildReportModel } from '../report/model.js';
import type { ReportOptions } from '../report/types.js';
import { openStore } from '../store/db.js';
import { importedFileView } from '../store/imports.js';
import { queryRuns, type RunQuery } from '../store/run-query.js';
import { getRuns, listRuns, missingRun } from '../store/runs.js';
import { runsToCsv, runsToJson } from '../report/csv.js';
import { collect } from '../sweep/slurm.js';
import { saveResults, type SimResultToSave } from '../sweep/engine.js';
import { NotFoundError } from '../store/notebooks.js';
import { figureList, figureSvgExport, reportTables, tableExport } from './report-exports.js';

export type StoreTaskOp =
  | { op: 'notebook-export'; id: number }
  | { op: 'notebook-import'; text: string }
  /** The same from the raw bytes of an upload, decoded here (a 250 MB body had held the HTTP thread 1.2–1.7 s). */
  | { op: 'notebook-import-bytes'; bytes: Uint8Array }
  | { op: 'report-html'; id: number; opts: ReportOptions }
  | { op: 'report-index'; id: number }
  | { op: 'report-table'; id: number; tableId: string; format: 'csv' | 'json' }
  | { op: 'report-figure'; id: number; figure: string }
  | { op: 'import-view'; id: number; firstRecords: number }
  | { op: 'store-check'; quick: boolean; backupEveryMs: number }
  /** gate: the commit gate (commit-gate.ts) by which the caller cancels. */
  | { op: 'store-salvage'; out: string; gate?: Int32Array }
  | { op: 'runs-query'; query: RunQuery }
  /** Stored runs by id, as objects (runs.get) or as the CSV / JSON file of a download; every id must exist when `strict`. */
  | { op: 'runs-get'; ids: number[]; as: 'objects' | 'csv' | 'json'; strict: boolean }
  | { op: 'runs-list'; kind: 'simulated' | 'measured' | undefined; limit: number }
  /** A Slurm sweep's finished result files into the store (core/sweep/slurm.ts collect). */
  | { op: 'sweep-collect'; dir: string }
  /** Finished simulations into the store, in one transaction (core/sweep/engine.ts saveResults). */
  | { op: 'sim-save'; items: SimResultToSave[]; label: string }
  /** Stored runs by id as the JSON text of StoredRun[] (unknown ids skipped), for an answer sent as it is. */
  | { op: 'runs-json'; ids: number[] }
  | { op: 'store-restore'; which: 'newest' | 'previous' };

export type StoreTaskRequest = StoreTaskOp & { dbPath: string };

/** code: SQLite's (SQLITE_BUSY…), which the caller's retry and error mapping read. */
export type StoreTaskResponse = { ok: true; value: unknown } | { ok: false; name: string; message: string; code?: string };

/** The store's check, then the daily backup of a file that passed it. */
function checkFile(file: string, quick: boolean, backupEveryMs: number): StoreHealth {
  const t0 = performance.now();
  let r: StoreCheck;
  try {
    r = checkStoreFile(file, { quick, max: 20 });
  } catch (e) {
    r = { ok: false, problems: [e instanceof Error ? e.message : String(e)], orphans: {} };
  }
  let backup = latestBackup(file);
  let backupWritten = false;
  let backupError: string | null = null;
  if (r.ok && backupEveryMs > 0) {
    try {
      ({ backup, written: backupWritten } = backupIfDue(file, backupEveryMs));
    } catch (e) {
      backupError = e instanceof Error ? e.message : String(e); // a full disk: the check's answer still stands
    }
  }
  const advice = r.ok ? null : `${damageAdvice(file)}${backup ? ` The newest backup, from ${backup.at}, taken when the file last passed this check, is ${backup.file}; with rxlab closed, \`rxlab --db ${JSON.stringify(file)} db restore\` goes back to it.` : ''}`;
  return { file, ...r, advice, ms: Math.round(performance.now() - t0), backup, previousBackup: previousBackup(file), backupWritten, backupError };
}

function run(req: StoreTaskRequest): unknown {
  if (req.op === 'store-check') return checkFile(req.dbPath, req.quick, req.backupEveryMs);
  if (req.op === 'store-restore') return restoreBackup(req.dbPath, req.which === 'previous' ? { from: backupPaths(req.dbPath).previous } : {}) satisfies StoreRestore;
  if (req.op === 'store-salvage') {
    const t0 = performance.now();
    // The copy stops at its next batch once a cancel is seen; the finished file appears only if no
    // cancel won before the rename.
    const stop = gateSignal(req.gate);
    const gate = req.gate;
    const r = salvageStore(req.dbPath, req.out, {
      signal: stop.signal,
      onRows: stop.poll,
      mayCommit: () => claimCommit(gate),
    });
    return { out: r.out, tables: r.tables, repaired: r.repaired, check: r.check, ms: Math.round(performance.now() - t0) } satisfies StoreSalvage;
  }
  const db = openStore(req.dbPath, { readonly: req.op !== 'notebook-import' && req.op !== 'notebook-import-bytes' && req.op !== 'sweep-collect' && req.op !== 'sim-save' });
  try {
    switch (req.op) {
      case 'notebook-export':
        return exportNotebook(db, req.id);
      case 'notebook-import':
        return importNotebook(db, req.text);
      case 'notebook-import-bytes':
        return importNotebook(db, new TextDecoder().decode(req.bytes));
      case 'report-html': {
        const model = buildReportModel(db, req.id, req.opts);
        return { html: renderReportHtml(model, req.opts), title: model.title };
      }
      case 'report-index':
        return { tables: reportTables(db, req.id), figures: figureList(db, req.id) };
      case 'report-table':
        return tableExport(db, req.id, req.tableId, req.format);
      case 'report-figure':
        return figureSvgExport(db, req.id, req.figure);
      case 'import-view': {
        const v = importedFileView(db, req.id, req.firstRecords);
        if (v === undefined) throw new NotFoundError(`imported file ${req.id} does not exist`);
        return v;
      }
      case 'runs-query':
        return queryRuns(db, req.query);
      case 'runs-list':
        return listRuns(db, req.kind, req.limit);
      case 'runs-get': {
        const runs = getRuns(db, req.ids);
        const missing = req.strict ? missingRun(req.ids, runs) : undefined;
        if (missing !== undefined) throw new NotFoundError(`run ${missing} does not exist`);
        return req.as === 'csv' ? runsToCsv(runs) : req.as === 'json' ? runsToJson(runs) : runs;
      }
      case 'sim-save': {
        const { ids, keys } = saveResults(db, req.items, req.label);
        return { ids, keys };
      }
      case 'runs-json':
        return JSON.stringify(getRuns(db, req.ids));
      case 'sweep-collect': {
        // the caller re-reads the sweep from the store: the per-point summary need not cross threads
        const { points: _points, ...summary } = collect(db, req.dir);
        return summary;
      }
    }
  } finally {
    db.close();
  }
}

export function runStoreTask(req: StoreTaskRequest): StoreTaskResponse {
  try {
    return { ok: true, value: run(req) };
  } catch (caught) {
    const e = isCorruption(caught) ? new DamagedStoreError(req.dbPath, caught) : caught;
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      return { ok: false, name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
    }
    return { ok: false, name: 'Error', message: String(e) };
  }
}
