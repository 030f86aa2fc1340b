/**
 * `rxlab import`'s save, cancellable by Ctrl+C.
 *
 * saveImport (core/store/imports.ts) is one synchronous transaction: on the CLI's own thread no
 * SIGINT handler can run until it returns, so Ctrl+C while saving 248,508 runs went unheard for
 * 15 s and the file was saved (exit 0). The app saves in a worker and cancels through a commit
 * gate (core/handlers/commit-gate.ts); the CLI has no worker, so here the same single transaction
 * is opened by hand and the runs go in by chunks, with a turn of the event loop between chunks
 * (where the SIGINT handler aborts the signal) and a look at the signal after each. A cancel rolls
 * the whole transaction back: nothing of the file is stored.
 *
 * The file row and the document are written by saveImport itself, inside this transaction (it
 * nests as a savepoint), given the runs' count but not the runs; the runs are then inserted as
 * saveImport inserts them (save-cancellable.test.ts compares the two stores row by row).
 */
import { nowIso, type Db } from '../store/db.js';
import { insertImportedRun, SaveCancelledError, saveImport, type ImportToSave } from '../store/imports.js';

/** Runs inserted between two turns of the event loop (≈ 10–60 ms of work each). */
const CHUNK = 1024;

type Saved = ReturnType<typeof saveImport>;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * saveImport, stopping with SaveCancelledError (and nothing stored) when `signal` aborts before
 * the commit. Throws SQLITE_BUSY, having written nothing, when another connection holds the write
 * lock (callers retry, as they retry saveImport).
 */
export async function saveImportCancellable(db: Db, r: ImportToSave, bytes: Uint8Array, signal: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<Saved> {
  if (signal.aborted) throw new SaveCancelledError(r.fileName);
  const records = r.records;
  const total = records !== undefined ? records.count : r.doc.records.length;
  db.exec('BEGIN IMMEDIATE');
  try {
    // Profiles (oprofile, perf: a handful of runs) and documents that hold their records are
    // saved whole by saveImport; only the records of a streamed import can be many.
    const streamed = records !== undefined && total > 0;
    const head = saveImport(db, streamed ? { ...r, records: { count: total, [Symbol.iterator]: () => [][Symbol.iterator]() } } : r, bytes, streamed ? undefined : onProgress);
    if (head.duplicate || !streamed) {
      if (signal.aborted) throw new SaveCancelledError(r.fileName);
      db.exec('COMMIT');
      return head;
    }
    const runIds: number[] = [];
    const createdAt = nowIso();
    onProgress?.(0, total);
    let i = 0;
    for (const item of records) {
      runIds.push(insertImportedRun(db, r, head.fileId, item, i, createdAt));
      i++;
      if (i % CHUNK === 0) {
        onProgress?.(i, total);
        await turn();
        if (signal.aborted) throw new SaveCancelledError(r.fileName);
      }
    }
    onProgress?.(i, total);
    // The last look: a Ctrl+C up to here undoes the save; after the COMMIT it is saved.
    await turn();
    if (signal.aborted) throw new SaveCancelledError(r.fileName);
    db.exec('COMMIT');
    return { ...head, runIds, runCount: runIds.length };
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}
