import { collectRefs } from '../portable/refs.js';
import type { Db } from './db.js';

export interface ImportUse {
  notebookId: number;
  title: string;
  /** 1-based position of the cell in its notebook. */
  cell: number;
  /** The notebook is in the trash (restorable), not gone. */
  deleted: boolean;
}

/**
 * Where an imported file is shown: every cell, in any notebook (trashed ones too, since they can be
 * restored), whose config or output names the file or one of its runs.
 */
export function usesOfImport(db: Db, fileId: number): ImportUse[] {
  const runs = new Set(db.prepare('SELECT id FROM run WHERE imported_file_id = ?').pluck().all(fileId) as number[]);
  const cells = db
    .prepare(`SELECT c.notebook_id, c.position, c.config, c.output, n.title, n.deleted_at FROM cell c JOIN notebook n ON n.id = c.notebook_id ORDER BY c.notebook_id, c.position`)
    .iterate() as Iterable<{ notebook_id: number; position: number; config: string; output: string | null; title: string; deleted_at: string | null }>;
  const uses: ImportUse[] = [];
  for (const c of cells) {
    const refs = collectRefs([JSON.parse(c.config) as unknown, c.output === null ? null : (JSON.parse(c.output) as unknown)]);
    if (refs.fileIds.includes(fileId) || refs.runIds.some((id) => runs.has(id))) {
      uses.push({ notebookId: c.notebook_id, title: c.title, cell: c.position + 1, deleted: c.deleted_at !== null });
    }
  }
  return uses;
}

export type DeleteImportResult = { deleted: true; runs: number; sizeBytes: number } | { deleted: false; reason: 'missing' } | { deleted: false; reason: 'in-use'; uses: ImportUse[] };

/**
 * Deletes an imported file with its runs and their metrics (foreign keys cascade), in one
 * transaction, unless a notebook still shows it: those cells would lose their data.
 */
export function deleteImport(db: Db, fileId: number): DeleteImportResult {
  return db
    .transaction((): DeleteImportResult => {
      const size = db.prepare('SELECT size_bytes FROM imported_file WHERE id = ?').pluck().get(fileId) as number | undefined;
      if (size === undefined) return { deleted: false, reason: 'missing' };
      const uses = usesOfImport(db, fileId);
      if (uses.length > 0) return { deleted: false, reason: 'in-use', uses };
      const runs = db.prepare('SELECT count(*) FROM run WHERE imported_file_id = ?').pluck().get(fileId) as number;
      db.prepare('DELETE FROM imported_file WHERE id = ?').run(fileId);
      return { deleted: true, runs, sizeBytes: size };
    })
    .immediate();
}
