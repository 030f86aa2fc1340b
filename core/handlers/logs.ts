import { LogParseError } from '../logs/errors.js';
import { runMany } from '../sim/pool.js';
import { CancelledError, type PartialHandlers } from './context.js';
import { MessageChannel } from 'node:worker_threads';
import type { ImportProgress, ImportTaskRequest, ImportTaskResponse } from './import-task.js';
import { withCommitGate } from './commit-gate.js';

/**
 * Runs sent back to the caller with the import. The whole document is in the store (measured.tables
 * and exports read it there); a notebook cell shows the first runs, and a log of 450,000 runs must
 * not travel to the renderer as one JSON value.
 */
export const UI_RECORDS = 500;

export const logHandlers: PartialHandlers<'log.import'> = {
  'log.import': async (ctx, input) => {
    const signal = ctx.jobSignal(input.jobId);
    // A copy in a buffer of its own, moved to the worker below: the caller's bytes stay usable.
    const bytes = input.data !== undefined ? new Uint8Array(input.data) : decodeOwned(input.dataBase64 ?? '');
    if (bytes.length === 0) throw new LogParseError(input.fileName, 1, 'empty file');
    ctx.progress(input.jobId, 0, 100, `parsing ${input.fileName}`);
    // Parsed and saved in one transaction by a worker thread (import-task.ts): this thread only
    // forwards its progress, as one bar: parsing fills it to the parse share, saving the rest.
    const channel = new MessageChannel();
    channel.port1.on('message', (m: ImportProgress) => {
      if (m.total <= 0) return;
      const f = Math.min(1, m.done / m.total);
      const pct = Math.floor(100 * (m.phase === 'parse' ? m.parseShare * f : m.parseShare + (1 - m.parseShare) * f));
      const what = m.phase === 'parse' ? `parsing ${input.fileName}` : `saving ${m.total.toLocaleString('en-US')} ${m.total === 1 ? 'run' : 'runs'} of ${input.fileName}`;
      ctx.progress(input.jobId, pct, 100, what);
    });
    // Cancel goes through the commit gate, not to the pool: a worker terminated from outside could
    // be stopped after its COMMIT, and "cancelled" would then be said of a saved file. The worker
    // answers either "cancelled" (rolled back) or with the saved file (the cancel came too late).
    let res: ImportTaskResponse | undefined;
    try {
      [res] = await withCommitGate(signal, (gate) =>
        runMany<ImportTaskRequest, ImportTaskResponse>('import', [{ dbPath: ctx.dbPath, name: input.fileName, bytes, uiRecords: UI_RECORDS, port: channel.port2, gate }], {
          // The bytes are moved, not copied: this thread has no further use for them.
          transfer: (req) => [req.bytes.buffer as ArrayBuffer, channel.port2],
        }),
      );
    } finally {
      channel.port1.close();
    }
    if (!res) throw new Error('import worker returned nothing');
    if (!res.ok) {
      if ('cancelled' in res) throw new CancelledError();
      if ('failed' in res) throw new Error(`${input.fileName}: not imported: ${res.failed}`);
      throw new LogParseError(res.file, res.line, res.message.replace(`${res.file}:${res.line}: `, ''));
    }
    ctx.progress(input.jobId, 100, 100);
    const { file, runIds, duplicate, document } = res.saved;
    return { file, runIds, duplicate, document };
  },
};

/**
 * Base64 → bytes in an ArrayBuffer of their own (Buffer.from may hand out a slice of a shared pool
 * slab, which must never be transferred to another thread).
 */
function decodeOwned(b64: string): Uint8Array {
  const out = Buffer.from(new ArrayBuffer(Buffer.byteLength(b64, 'base64')));
  const n = out.write(b64, 'base64');
  return new Uint8Array(out.buffer, 0, n);
}
