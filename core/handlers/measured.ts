/**
 * measured.tables: Tables IV, V and VII from imported netperf + opreport files, with the arithmetic.
 * The documents are read, parsed and summed in the worker pool (measured-task.ts): they grow with the
 * import, and the main thread must never stall on them.
 */
import { runMany } from '../sim/pool.js';
import { NotFoundError } from '../store/notebooks.js';
import type { PartialHandlers } from './context.js';
import type { MeasuredTables } from '../logs/measured/tables.js';
import type { MeasuredTaskRequest, MeasuredTaskResponse } from './measured-task.js';

/** Measured tables of some imported files, derived in the worker pool; an unknown file id is NotFoundError. */
export async function measuredTablesOffThread(
  dbPath: string,
  fileIds: number[],
  options: MeasuredTaskRequest['options'],
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<MeasuredTables> {
  const [res] = await runMany<MeasuredTaskRequest, MeasuredTaskResponse>('measured-tables', [{ dbPath, fileIds, options }], opts);
  if (!res) throw new Error('measured-tables worker returned nothing');
  if (!res.ok) throw new NotFoundError(`imported file ${res.missingFileId} does not exist`);
  return res.tables;
}

export const measuredHandlers: PartialHandlers<'measured.tables'> = {
  'measured.tables': async (ctx, input) =>
    measuredTablesOffThread(
      ctx.dbPath,
      input.fileIds,
      { ...(input.system ? { system: input.system } : {}), ...(input.clockEvent ? { clockEvent: input.clockEvent } : {}), ...(input.sizes ? { sizes: input.sizes } : {}) },
      { signal: ctx.jobSignal(input.jobId), onProgress: (done, total) => ctx.progress(input.jobId, done, total, 'measured tables') },
    ),
};
