/**
 * measured.tables: Tables IV, V and VII from imported netperf + opreport files, with the arithmetic.
 * The documents are read, parsed and summed in the worker pool (measured-task.ts): they grow with the
 * import, and the main thread must never stall on them.
 */
import { runMany } from '../sim/pool.js';
import { NotFoundError } from '../store/notebooks.js';
import type { PartialHandlers } from './context.js';
import type { MeasuredTaskRequest, MeasuredTaskResponse } from './measured-task.js';

export const measuredHandlers: PartialHandlers<'measured.tables'> = {
  'measured.tables': async (ctx, input) => {
    const signal = ctx.jobSignal(input.jobId);
    const req: MeasuredTaskRequest = {
      dbPath: ctx.dbPath,
      fileIds: input.fileIds,
      options: { ...(input.system ? { system: input.system } : {}), ...(input.clockEvent ? { clockEvent: input.clockEvent } : {}) },
    };
    const [res] = await runMany<MeasuredTaskRequest, MeasuredTaskResponse>('measured-tables', [req], {
      signal,
      onProgress: (done, total) => ctx.progress(input.jobId, done, total, 'measured tables'),
    });
    if (!res) throw new Error('measured-tables worker returned nothing');
    if (!res.ok) throw new NotFoundError(`imported file ${res.missingFileId} does not exist`);
    return res.tables;
  },
};
