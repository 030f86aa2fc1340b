/**
 * Worker-thread task behind measured.tables: reads the stored import documents, parses them and does
 * the arithmetic off the main thread. A document with its records grows with the import (a 20 MB
 * netperf log is a 23 MB document and ~60 000 runs); parsed and summed on the main
 * thread that stalled the Electron main process or the HTTP server for ~6 s.
 *
 * The worker opens the database itself, read-only (WAL lets it read beside the main connection), so
 * the document text never crosses the thread boundary; only the small MeasuredTables comes back.
 * A missing file is returned as data: an Error subclass loses its name crossing threads.
 */
import { capRunSteps } from '../logs/measured/cap-steps.js';
import { inputsByTool, measuredTables, type MeasuredOptions, type MeasuredTables, type NamedDoc } from '../logs/measured/tables.js';
import type { ImportDoc } from '../logs/types.js';
import { openStore } from '../store/db.js';
import { loadImportDoc } from '../store/imports.js';

export interface MeasuredTaskRequest {
  dbPath: string;
  fileIds: number[];
  options: MeasuredOptions;
}
/** Step lines kept per table and per answer; a Compare cell autosaves them with the notebook. */
const MAX_RUN_STEPS = 200;

export type MeasuredTaskResponse = { ok: true; tables: MeasuredTables } | { ok: false; missingFileId: number };

export function runMeasuredTask(req: MeasuredTaskRequest): MeasuredTaskResponse {
  const db = openStore(req.dbPath, { readonly: true });
  try {
    const docs: NamedDoc[] = [];
    // The file name names the file in the notes ("iperf3 FILE: … not used", "no cycle-counting event in FILE").
    const fileName = db.prepare('SELECT file_name FROM imported_file WHERE id = ?').pluck();
    // one read transaction: every document from the same snapshot
    const missing = db.transaction((): number | undefined => {
      for (const id of req.fileIds) {
        const doc = loadImportDoc<ImportDoc>(db, id);
        if (doc === undefined) return id;
        const name = fileName.get(id);
        // iperf3 documents feed Table IV; a flent document only gets a note (why it is not used),
        // so its series are let go at once
        const kept = doc.tool === 'flent' ? { ...doc, records: [] } : doc;
        docs.push(typeof name === 'string' ? { ...kept, fileName: name } : kept);
      }
      return undefined;
    })();
    if (missing !== undefined) return { ok: false, missingFileId: missing };
    const tables = measuredTables(inputsByTool(docs), req.options);
    const capped = capRunSteps(tables.steps, MAX_RUN_STEPS);
    if (capped.omitted > 0) return { ok: true, tables: { ...tables, steps: capped.steps, stepsOmitted: capped.omitted } };
    return { ok: true, tables };
  } finally {
    db.close();
  }
}
