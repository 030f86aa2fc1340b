import type { ImportOutcome, RunQueryPage, StoreHealth, StoreRestore, StoreSalvage } from '../contract/index.js';
import type { RunQuery } from '../store/run-query.js';
import type { CollectReport } from '../sweep/slurm.js';
import type { SimResultToSave } from '../sweep/engine.js';
import { RxnbError, type ImportReport } from '../portable/import.js';
import type { ReportOptions } from '../report/types.js';
import { runMany } from '../sim/pool.js';
import { NotFoundError } from '../store/notebooks.js';
import { removeSalvageLeftovers } from '../store/salvage.js';
import type { StoreTaskOp, StoreTaskRequest, StoreTaskResponse } from './store-task.js';
import { withCommitGate } from './commit-gate.js';

/** Runs a store task (store-task.ts) in the worker pool; failures come back as the same error classes. */
async function inWorker(dbPath: string, op: StoreTaskOp, transfer?: ArrayBuffer[]): Promise<unknown> {
  const [res] = await runMany<StoreTaskRequest, StoreTaskResponse>('store', [{ ...op, dbPath }], transfer ? { transfer: () => transfer } : {});
  if (!res) throw new Error('store worker returned nothing');
  if (res.ok) return res.value;
  if (res.name === 'NotFoundError') throw new NotFoundError(res.message);
  if (res.name === 'RxnbError') throw new RxnbError(res.message);
  // SQLite's code too: a write that found the store busy is retried (core/store/busy.ts), a full disk named
  throw Object.assign(new Error(res.message), { name: res.name, ...(res.code === undefined ? {} : { code: res.code }) });
}

/** The .rxnb text of a notebook, built off the calling thread. */
export async function exportNotebookOffThread(dbPath: string, id: number): Promise<string> {
  return (await inWorker(dbPath, { op: 'notebook-export', id })) as string;
}

/** Imports .rxnb text as a new notebook, off the calling thread, in one transaction. */
export async function importNotebookOffThread(dbPath: string, text: string): Promise<ImportReport> {
  return (await inWorker(dbPath, { op: 'notebook-import', text })) as ImportReport;
}

/**
 * Imports an uploaded .rxnb's raw bytes, decoded as UTF-8 in the worker: the bytes are moved there, not
 * copied, so the caller must not use them afterwards.
 */
export async function importNotebookBytesOffThread(dbPath: string, bytes: Uint8Array): Promise<ImportReport> {
  return (await inWorker(dbPath, { op: 'notebook-import-bytes', bytes }, [bytes.buffer as ArrayBuffer])) as ImportReport;
}

/** The report HTML of a notebook and its title, built off the calling thread. */
export async function reportHtmlOffThread(dbPath: string, id: number, opts: ReportOptions): Promise<{ html: string; title: string }> {
  return (await inWorker(dbPath, { op: 'report-html', id, opts })) as { html: string; title: string };
}

/** The report's tables and figures (ids and titles), off the calling thread. */
export async function reportIndexOffThread(dbPath: string, id: number): Promise<{ tables: { id: string; title: string }[]; figures: { id: string; number: number; title: string; runIds: number[] }[] }> {
  return (await inWorker(dbPath, { op: 'report-index', id })) as Awaited<ReturnType<typeof reportIndexOffThread>>;
}

/** One report table as CSV or JSON (null: no such table), off the calling thread. */
export async function reportTableOffThread(dbPath: string, id: number, tableId: string, format: 'csv' | 'json'): Promise<string | null> {
  return (await inWorker(dbPath, { op: 'report-table', id, tableId, format })) as string | null;
}

/** One report figure as SVG (null: no such figure), off the calling thread. */
export async function reportFigureOffThread(dbPath: string, id: number, figure: string): Promise<{ svg: string; title: string } | null> {
  return (await inWorker(dbPath, { op: 'report-figure', id, figure })) as { svg: string; title: string } | null;
}

/** A stored import as an Import cell shows it (imports.get), read off the calling thread. */
export async function importViewOffThread(dbPath: string, id: number, firstRecords: number): Promise<ImportOutcome> {
  return (await inWorker(dbPath, { op: 'import-view', id, firstRecords })) as ImportOutcome;
}

/** One page of the stored-runs browser (runs.query), counted and sorted off the calling thread. */
export async function queryRunsOffThread(dbPath: string, query: RunQuery): Promise<RunQueryPage> {
  return (await inWorker(dbPath, { op: 'runs-query', query })) as RunQueryPage;
}

/**
 * Stored runs by id, read (and printed as a file) in a worker: 10,000 runs are tens of MB of JSON and
 * held the thread that serves the UI for over a second. Small requests stay on the calling thread,
 * where they do not wait behind simulations queued in the pool.
 */
export const RUNS_OFF_THREAD_FROM = 500;
export async function runsOffThread(dbPath: string, ids: number[], as: 'objects' | 'csv' | 'json', strict: boolean): Promise<unknown> {
  return inWorker(dbPath, { op: 'runs-get', ids, as, strict });
}

export async function listRunsOffThread(dbPath: string, kind: 'simulated' | 'measured' | undefined, limit: number): Promise<unknown> {
  return inWorker(dbPath, { op: 'runs-list', kind, limit });
}

/** Back to the newest backup, in a worker (it reads the whole backup for its integrity check, then copies it). */
export async function storeRestoreOffThread(dbPath: string, which: 'newest' | 'previous' = 'newest'): Promise<StoreRestore> {
  return (await inWorker(dbPath, { op: 'store-restore', which })) as StoreRestore;
}

/** SQLite's check of the whole file reads every page: seconds for a large store, so never on the calling thread. */
export async function storeCheckOffThread(dbPath: string, quick: boolean, backupEveryMs: number): Promise<StoreHealth> {
  return (await inWorker(dbPath, { op: 'store-check', quick, backupEveryMs })) as StoreHealth;
}

/**
 * Salvage into `out` in a worker. A cancel goes through the commit gate, not to the pool: a worker
 * stopped from outside could be stopped after its rename, and "cancelled" would then be said of a
 * finished file. A cancel that comes after the rename was claimed is too late, and the salvage's
 * report is the answer. Leftovers of a failed salvage (NAME.partial, never the finished name) are
 * removed here too.
 */
export async function storeSalvageOffThread(dbPath: string, out: string, signal?: AbortSignal): Promise<StoreSalvage> {
  try {
    return await withCommitGate(signal, async (gate) => (await inWorker(dbPath, { op: 'store-salvage', out, gate })) as StoreSalvage);
  } catch (e) {
    removeSalvageLeftovers(out);
    throw e;
  }
}

/** A Slurm sweep's finished result files read into the store (`rxlab sweep collect`), off the calling thread. */
export async function collectSweepOffThread(dbPath: string, dir: string): Promise<Omit<CollectReport, 'points'>> {
  return (await inWorker(dbPath, { op: 'sweep-collect', dir })) as Omit<CollectReport, 'points'>;
}

/** Finished simulations saved in one transaction by a worker: their run ids and cache keys, in order. */
export async function saveResultsOffThread(dbPath: string, items: SimResultToSave[], label: string): Promise<{ ids: number[]; keys: string[] }> {
  return (await inWorker(dbPath, { op: 'sim-save', items, label })) as { ids: number[]; keys: string[] };
}

/** Stored runs by id as the JSON text of StoredRun[], read and printed by a worker. */
export async function runsJsonOffThread(dbPath: string, ids: number[]): Promise<string> {
  return (await inWorker(dbPath, { op: 'runs-json', ids })) as string;
}
