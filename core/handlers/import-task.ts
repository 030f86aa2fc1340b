/**
 * Worker-thread task behind log.import: parse the uploaded bytes AND save them, off the main
 * thread. Saving is as heavy as parsing — a 16 MB netperf log is 28,000 runs, each a row with its
 * JSON and metrics, plus the raw bytes and the document — and done on the main thread it froze the
 * Electron main process or the HTTP server for seconds (3.8 s for 16 MB, measured).
 *
 * The worker opens the database itself (WAL: the main connection keeps reading meanwhile) and
 * saves in one transaction, so a failed or cancelled import leaves nothing behind. Cancel is a
 * shared flag the worker reads (commit-gate.ts), not a terminate: the worker decides at one commit
 * point whether the cancel came in time, and its answer says which. The runs stay
 * in their compact store while they are written (memory does not grow with their number); only
 * the first `uiRecords` travel back. Parse errors are returned as data, since a custom Error
 * subclass loses its name and fields crossing the thread boundary.
 */
import { DamagedStoreError, isCorruption } from '../store/damage.js';
import type { MessagePort } from 'node:worker_threads';
import type { ImportedFileSummary } from '../contract/index.js';
import { DETECT_BYTES, detectShape } from '../logs/detect.js';
import { importBytesRecords } from '../logs/import.js';
import { ImportAbortedError, LogParseError } from '../logs/errors.js';
import { cancelRequested, claimCommit, gateSignal } from './commit-gate.js';
import type { ImportDoc, LogRecord } from '../logs/types.js';
import { openStore } from '../store/db.js';
import { SaveCancelledError, saveImport } from '../store/imports.js';

export interface ImportTaskRequest {
  dbPath: string;
  name: string;
  bytes: Uint8Array;
  /** Runs sent back with the document; the store keeps them all. */
  uiRecords: number;
  /** Receives ImportProgress messages (transferred to the worker with the task). */
  port?: MessagePort;
  /** The commit gate (commit-gate.ts), shared with the thread that can cancel. */
  gate?: Int32Array;
}

/** Parsing counts bytes, saving counts runs; each phase goes from 0 to its total. */
export interface ImportProgress {
  phase: 'parse' | 'save';
  done: number;
  total: number;
  /**
   * The parse phase's share of the whole import, for one progress bar: saving a netperf log is
   * about two thirds of the work (a row per run), saving a profile almost nothing.
   */
  parseShare: number;
}

/** Posts at most one message per 1 % of a phase (a message per run would cost more than the run). */
function reporter(port: MessagePort | undefined, phase: ImportProgress['phase'], parseShare: number): ((done: number, total: number) => void) | undefined {
  if (port === undefined) return undefined;
  let next = 0;
  return (done, total) => {
    if (done < next && done < total) return;
    next = done + Math.max(1, Math.floor(total / 100));
    port.postMessage({ phase, done, total, parseShare } satisfies ImportProgress);
  };
}

/** Tools whose runs are saved one row each (the save is most of the work). */
function parseShareOf(bytes: Uint8Array): number {
  const tool = detectShape(bytes.subarray(0, DETECT_BYTES))?.tool;
  return tool === 'netperf' || tool === 'iperf3' || tool === 'flent' ? 0.3 : 0.9;
}

export interface ImportTaskSaved {
  file: ImportedFileSummary;
  runIds: number[];
  duplicate: boolean;
  /** The document with its first `uiRecords` runs, and `records_total` when there are more. */
  document: ImportDoc & { records_total?: number };
}

export type ImportTaskResponse =
  | { ok: true; saved: ImportTaskSaved }
  | { ok: false; file: string; line: number; message: string }
  /** Not the log's fault (the database refused the save, …): its message, as SQLite or Node gave it. */
  | { ok: false; failed: string }
  /** The cancel came before the commit: the transaction was rolled back. */
  | { ok: false; cancelled: true };

export function runImportTask(req: ImportTaskRequest): ImportTaskResponse {
  try {
    return parseAndSave(req);
  } catch (e) {
    if (e instanceof ImportAbortedError || e instanceof SaveCancelledError) return { ok: false, cancelled: true };
    // An error crossing the thread boundary keeps only its own enumerable fields (a SqliteError
    // arrived as {code} without its message), so it goes back as text.
    if (isCorruption(e)) return { ok: false, failed: new DamagedStoreError(req.dbPath, e).message };
    const code = (e as { code?: unknown } | null)?.code;
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, failed: typeof code === 'string' && !msg.includes(code) ? `${msg} (${code})` : msg };
  } finally {
    req.port?.close();
  }
}

function parseAndSave(req: ImportTaskRequest): ImportTaskResponse {
  const share = parseShareOf(req.bytes);
  let parsed;
  // The parser stops on an aborted signal; the shared gate is looked at as its progress is reported.
  const stop = gateSignal(req.gate);
  const report = reporter(req.port, 'parse', share);
  const onProgress = (done: number, total: number): void => {
    stop.poll();
    report?.(done, total);
  };
  try {
    parsed = importBytesRecords(req.name, req.bytes, { onProgress, signal: stop.signal });
  } catch (e) {
    if (e instanceof LogParseError) return { ok: false, file: e.file, line: e.line, message: e.message };
    throw e;
  }
  try {
    const db = openStore(req.dbPath);
    try {
      const onSaved = reporter(req.port, 'save', share);
      const gate = req.gate;
      const saved = saveImport(db, parsed, req.bytes, onSaved, gate && { cancelled: () => cancelRequested(gate), mayCommit: () => claimCommit(gate) });
      const first: LogRecord[] = [];
      if (req.uiRecords > 0) {
        for (const r of parsed.records) {
          first.push(r);
          if (first.length >= req.uiRecords) break;
        }
      }
      const total = parsed.records.count;
      const document = total > first.length ? { ...parsed.doc, records: first, records_total: total } : { ...parsed.doc, records: first };
      return { ok: true, saved: { file: saved.file, runIds: saved.runIds, duplicate: saved.duplicate, document } };
    } finally {
      db.close();
    }
  } finally {
    parsed.records.dispose();
  }
}
