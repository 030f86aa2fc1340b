import type { Cell, CellInput, Notebook, NotebookSummary } from '../contract/index.js';
import { nowIso, type Db } from './db.js';

interface NotebookRow {
  id: number;
  title: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  cell_count: number;
}
interface CellRow {
  id: string;
  kind: Cell['kind'];
  config: string;
  output: string | null;
  stale: number;
  updated_at: string;
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'NotFoundError';
  }
}

const SUMMARY_SQL = `SELECT n.id, n.title, n.created_at, n.updated_at, n.deleted_at,
  (SELECT count(*) FROM cell c WHERE c.notebook_id = n.id) AS cell_count FROM notebook n`;

function toSummary(r: NotebookRow): NotebookSummary {
  return { id: r.id, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at, deletedAt: r.deleted_at, cellCount: r.cell_count };
}

export function listNotebooks(db: Db, includeDeleted = false): NotebookSummary[] {
  const rows = db
    .prepare(`${SUMMARY_SQL} ${includeDeleted ? '' : 'WHERE n.deleted_at IS NULL'} ORDER BY n.updated_at DESC, n.id DESC`)
    .all() as NotebookRow[];
  return rows.map(toSummary);
}

export function getSummary(db: Db, id: number): NotebookSummary {
  const row = db.prepare(`${SUMMARY_SQL} WHERE n.id = ?`).get(id) as NotebookRow | undefined;
  if (!row) throw new NotFoundError(`notebook ${id} does not exist`);
  return toSummary(row);
}

/**
 * One read transaction: the cells and the revision must come from the same snapshot, or a save from
 * another window landing between the two reads would pair old cells with the new revision, and this
 * window's next save would pass the edit-conflict check and overwrite that save.
 */
export function getNotebook(db: Db, id: number): Notebook {
  return db.transaction(() => readNotebook(db, id))();
}

function readNotebook(db: Db, id: number): Notebook {
  const summary = getSummary(db, id);
  if (summary.deletedAt) throw new NotFoundError(`notebook ${id} was deleted`);
  const cells = (db.prepare('SELECT id, kind, config, output, stale, updated_at FROM cell WHERE notebook_id = ? ORDER BY position').all(id) as CellRow[]).map(
    (c): Cell => ({
      id: c.id,
      kind: c.kind,
      config: JSON.parse(c.config) as Record<string, unknown>,
      output: c.output === null ? null : (JSON.parse(c.output) as unknown),
      stale: c.stale === 1,
      updatedAt: c.updated_at,
    }),
  );
  const revision = db.prepare('SELECT revision FROM notebook WHERE id = ?').pluck().get(id) as number;
  return { ...summary, cells, revision };
}

export function createNotebook(db: Db, title: string, cells: CellInput[] = []): Notebook {
  const now = nowIso();
  const id = db.transaction(() => {
    const info = db.prepare('INSERT INTO notebook(title, created_at, updated_at) VALUES (?, ?, ?)').run(title, now, now);
    const nid = Number(info.lastInsertRowid);
    writeCells(db, nid, cells, now);
    return nid;
  })();
  return getNotebook(db, id);
}

export function renameNotebook(db: Db, id: number, title: string): NotebookSummary {
  const info = db.prepare('UPDATE notebook SET title = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL').run(title, nowIso(), id);
  if (info.changes === 0) throw new NotFoundError(`notebook ${id} does not exist`);
  return getSummary(db, id);
}

export function setDeleted(db: Db, id: number, deleted: boolean): void {
  const info = db.prepare('UPDATE notebook SET deleted_at = ? WHERE id = ?').run(deleted ? nowIso() : null, id);
  if (info.changes === 0) throw new NotFoundError(`notebook ${id} does not exist`);
}

function writeCells(db: Db, notebookId: number, cells: CellInput[], now: string): void {
  const upsert = db.prepare(`INSERT INTO cell(id, notebook_id, position, kind, config, output, stale, updated_at)
    VALUES (@id, @notebook_id, @position, @kind, @config, @output, @stale, @updated_at)
    ON CONFLICT(id) DO UPDATE SET notebook_id = excluded.notebook_id, position = excluded.position, kind = excluded.kind,
      config = excluded.config, output = excluded.output, stale = excluded.stale,
      updated_at = CASE WHEN cell.config IS excluded.config AND cell.output IS excluded.output AND cell.kind IS excluded.kind
        AND cell.stale IS excluded.stale THEN cell.updated_at ELSE excluded.updated_at END
    WHERE cell.notebook_id = excluded.notebook_id`);
  const keep = new Set<string>();
  cells.forEach((c, position) => {
    keep.add(c.id);
    const info = upsert.run({
      id: c.id,
      notebook_id: notebookId,
      position,
      kind: c.kind,
      config: JSON.stringify(c.config),
      output: c.output === undefined ? null : JSON.stringify(c.output),
      stale: c.stale ? 1 : 0,
      updated_at: now,
    });
    if (info.changes === 0) throw new Error(`cell ${c.id} belongs to another notebook`);
  });
  const existing = db.prepare('SELECT id FROM cell WHERE notebook_id = ?').pluck().all(notebookId) as string[];
  const del = db.prepare('DELETE FROM cell WHERE id = ?');
  for (const cid of existing) if (!keep.has(cid)) del.run(cid);
}

/** Another window or tab saved the notebook after this one loaded it. */
export class EditConflictError extends Error {
  constructor(
    id: number,
    readonly stored: number,
    readonly base: number,
  ) {
    super(`notebook ${id} was saved from another window or tab since this one loaded it (revision ${stored}, this window has ${base}); nothing was overwritten`);
    this.name = 'EditConflictError';
  }
}

/**
 * Autosave: the client sends the whole ordered cell list; one transaction, so a crash never leaves half
 * a notebook. With `baseRevision` (the revision the client loaded or last saved) a save from a window
 * that has not seen a newer save is refused; without it the save wins (the user chose "keep mine").
 */
export function saveCells(db: Db, id: number, cells: CellInput[], baseRevision?: number): { id: number; savedAt: string; cellCount: number; revision: number } {
  const now = nowIso();
  const revision = db.transaction(() => {
    // as rename does: a notebook in the Trash is not written to (a window still showing it would say "Saved")
    if (getSummary(db, id).deletedAt !== null) throw new NotFoundError(`notebook ${id} is in the Trash: restore it to save changes to it`);
    const stored = db.prepare('SELECT revision FROM notebook WHERE id = ?').pluck().get(id) as number;
    if (baseRevision !== undefined && baseRevision !== stored) throw new EditConflictError(id, stored, baseRevision);
    writeCells(db, id, cells, now);
    db.prepare('UPDATE notebook SET updated_at = ?, revision = revision + 1 WHERE id = ?').run(now, id);
    return stored + 1;
  })();
  return { id, savedAt: now, cellCount: cells.length, revision };
}

export function duplicateNotebook(db: Db, id: number, newCellId: () => string): Notebook {
  const nb = getNotebook(db, id);
  const cells: CellInput[] = nb.cells.map((c) => ({ id: newCellId(), kind: c.kind, config: c.config, output: c.output, stale: c.stale }));
  return createNotebook(db, `${nb.title} (copy)`.slice(0, 200), cells);
}
