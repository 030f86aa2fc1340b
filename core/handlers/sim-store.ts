/**
 * Where sim.run and sweep.run save and read their runs. A traced run (knob trace_ms) carries its run
 * over time: 10,000 intervals are 0.7 MB of JSON. Ten of them saved, read back and printed on the
 * thread that serves the API held the HTTP server's event loop for 116–165 ms at once (up to 300 ms
 * and more on a busy host; measured apart: each batch's save 20 ms, reading the ten back 55 ms,
 * printing the answer 95 ms). Large results are now saved and read by the store worker, and the
 * answer goes out as the JSON text the worker printed (json-text.ts): 23–64 ms at most. Small ones
 * stay here: copying them to a worker and back (and, with the service pool idle, starting its thread)
 * costs more than saving or reading a few kilobytes.
 */
import type { SimRunOutcome } from '../contract/index.js';
import { retryBusy } from '../store/busy.js';
import { getRuns } from '../store/runs.js';
import { saveResults } from '../sweep/engine.js';
import type { SweepOptions } from '../sweep/types.js';
import type { HandlerContext } from './context.js';
import { JsonText } from './json-text.js';
import { runsJsonOffThread, saveResultsOffThread } from './store-client.js';

/** Trace intervals in a batch from which the worker saves it: about 10 ms of JSON and inserts here. */
export const SAVE_OFF_THREAD_FROM_POINTS = 10_000;
/** Bytes of stored detail from which the worker reads and prints the runs: about 10 ms here. */
export const READ_OFF_THREAD_FROM_BYTES = 512 * 1024;

/** Intervals in a result's trace (RunResult.over_time); 0 without one. */
function tracePoints(result: unknown): number {
  const t = (result as { over_time?: { t_s?: unknown } } | null)?.over_time?.t_s;
  return Array.isArray(t) ? t.length : 0;
}

/** The sweep engine's save (SweepOptions.save): in the store worker when the batch is large. */
export function saveBatch(ctx: HandlerContext, signal: AbortSignal): NonNullable<SweepOptions['save']> {
  return (items, label) => {
    const large = items.reduce((n, i) => n + tracePoints(i.result), 0) >= SAVE_OFF_THREAD_FROM_POINTS;
    // busy: another connection holds the write lock past the worker's own wait; tried again, as here
    return retryBusy(() => (large ? saveResultsOffThread(ctx.dbPath, items, label) : saveResults(ctx.db, items, label)), { signal });
  };
}

/** sim.run's answer: runs whose details are large are read and printed by the store worker. */
export async function simRunOutcome(ctx: HandlerContext, ids: number[], cached: number): Promise<SimRunOutcome | JsonText<SimRunOutcome>> {
  // octet_length reads the length from the row's header, not the detail itself
  const bytes = ctx.db.prepare('SELECT coalesce(sum(octet_length(detail)), 0) FROM run WHERE id IN (SELECT value FROM json_each(?))').pluck().get(JSON.stringify(ids)) as number;
  if (bytes < READ_OFF_THREAD_FROM_BYTES) return { runs: getRuns(ctx.db, ids), cached };
  return new JsonText(`{"runs":${await runsJsonOffThread(ctx.dbPath, ids)},"cached":${cached}}`);
}
