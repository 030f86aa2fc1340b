import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './db.js';
import { createNotebook, EditConflictError, getNotebook, NotFoundError, saveCells, setDeleted } from './notebooks.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-notebooks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('notebook reads', () => {
  it('a save from another window landing while a notebook is read cannot be overwritten by this window later', () => {
    const file = join(dir, 'race.db');
    const a = openStore(file);
    const b = openStore(file);
    try {
      const cell = (text: string) => [{ id: '00000000-0000-4000-8000-000000000001', kind: 'markdown' as const, config: { source: text }, stale: false }];
      const nb = createNotebook(a, 'race', cell('v0'));
      // window B saves right after window A has read the cells, before A reads anything else
      const interleaved = new Proxy(a, {
        get(t, p): unknown {
          if (p !== 'prepare') {
            const v = Reflect.get(t, p) as unknown;
            return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(t) : v;
          }
          return (sql: string) => {
            const st = t.prepare(sql);
            if (!sql.startsWith('SELECT id, kind, config')) return st;
            return {
              all: (...args: unknown[]) => {
                const rows = st.all(...args);
                saveCells(b, nb.id, cell('B edit'), 0);
                return rows;
              },
            };
          };
        },
      });
      const seen = getNotebook(interleaved, nb.id);
      expect(seen.cells[0]?.config).toEqual({ source: 'v0' });
      // A saw v0 with v0's revision, so its save is refused as a conflict, and B's edit stays
      expect(() => saveCells(a, nb.id, cell('A edit'), seen.revision)).toThrow(EditConflictError);
      expect(getNotebook(a, nb.id).cells[0]?.config).toEqual({ source: 'B edit' });
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('notebook saves', () => {
  it('a notebook in the Trash is not written to: a window still showing it is told, and the stored cells stay', () => {
    const db = openStore(join(dir, 'trash.db'));
    try {
      const cell = (text: string) => [{ id: '00000000-0000-4000-8000-000000000002', kind: 'markdown' as const, config: { source: text }, stale: false }];
      const nb = createNotebook(db, 'deleted elsewhere', cell('v0'));
      setDeleted(db, nb.id, true);
      expect(() => saveCells(db, nb.id, cell('typed after the delete'), nb.revision)).toThrow(NotFoundError);
      expect(() => saveCells(db, nb.id, cell('typed after the delete'))).toThrow(/is in the Trash/);
      setDeleted(db, nb.id, false);
      expect(getNotebook(db, nb.id).cells[0]?.config).toEqual({ source: 'v0' });
      saveCells(db, nb.id, cell('restored, then saved'), nb.revision);
      expect(getNotebook(db, nb.id).cells[0]?.config).toEqual({ source: 'restored, then saved' });
    } finally {
      db.close();
    }
  });
});
