import { LogParseError } from '../logs/errors.js';
import { runMany } from '../sim/pool.js';
import { saveImport } from '../store/imports.js';
import type { PartialHandlers } from './context.js';
import type { ImportTaskRequest, ImportTaskResponse } from './import-task.js';

/**
 * Runs sent back to the caller with the import. The whole document is in the store (measured.tables
 * and exports read it there); a notebook cell shows the first runs, and a log of 450,000 runs must
 * not travel to the renderer as one JSON value.
 */
export const UI_RECORDS = 500;

export const logHandlers: PartialHandlers<'log.import'> = {
  'log.import': async (ctx, input) => {
    const signal = ctx.jobSignal(input.jobId);
    const bytes = Buffer.from(input.dataBase64, 'base64');
    if (bytes.length === 0) throw new LogParseError(input.fileName, 1, 'empty file');
    ctx.progress(input.jobId, 0, 1, `parsing ${input.fileName}`);
    const [res] = await runMany<ImportTaskRequest, ImportTaskResponse>('import', [{ name: input.fileName, bytes }], { signal });
    if (!res) throw new Error('import worker returned nothing');
    if (!res.ok) throw new LogParseError(res.file, res.line, res.message.replace(`${res.file}:${res.line}: `, ''));
    // One transaction: the bytes, the parsed document and the measured runs land together or not at all.
    const saved = saveImport(ctx.db, res.result, bytes);
    ctx.progress(input.jobId, 1, 1);
    const doc = res.result.doc;
    const document = doc.records.length > UI_RECORDS ? { ...doc, records: doc.records.slice(0, UI_RECORDS), records_total: doc.records.length } : doc;
    return { file: saved.file, runIds: saved.runIds, duplicate: saved.duplicate, document };
  },
};
