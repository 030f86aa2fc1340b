/** measured.tables: Tables IV, V and VII from imported netperf + opreport files, with the arithmetic. */
import { measuredTables } from '../logs/measured/tables.js';
import type { ImportDoc } from '../logs/types.js';
import { NotFoundError } from '../store/notebooks.js';
import type { PartialHandlers } from './context.js';

export const measuredHandlers: PartialHandlers<'measured.tables'> = {
  'measured.tables': (ctx, input) => {
    const stmt = ctx.db.prepare('SELECT document FROM imported_file WHERE id = ?').pluck();
    const docs = input.fileIds.map((id) => {
      const text = stmt.get(id) as string | undefined;
      if (text === undefined) throw new NotFoundError(`imported file ${id} does not exist`);
      return JSON.parse(text) as ImportDoc;
    });
    return measuredTables(
      { netperf: docs.filter((d) => d.tool === 'netperf'), oprofile: docs.filter((d) => d.tool === 'oprofile' || d.tool === 'perf') },
      { ...(input.system ? { system: input.system } : {}), ...(input.clockEvent ? { clockEvent: input.clockEvent } : {}) },
    );
  },
};
