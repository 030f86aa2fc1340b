import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './db.js';
import { createNotebook } from './notebooks.js';

/** Test helpers: a store to start from, and damage done to it the way a failing disk does (excluded from the build). */

/** Page numbers of one b-tree's pages of a type (leaf, internal, overflow), from SQLite's dbstat table. */
export function pagesOf(path: string, name: string, type: 'leaf' | 'internal' | 'overflow'): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno').pluck().all(name, type) as number[];
  } finally {
    db.close();
  }
}

/** Overwrites one 4 KiB page with zeros. Checkpoint the WAL first, so the page holds the data. */
export function zeroPage(path: string, page: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4096), 0, 4096, (page - 1) * 4096);
  } finally {
    closeSync(fd);
  }
}

/** A fresh store file in a temporary folder holding one notebook "Kept", for the tests of backups, restores and storage errors. */
export function storeWithKeptNotebook(prefix: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'rxlab.db');
  const db = openStore(file);
  createNotebook(db, 'Kept', [{ id: 'c1', kind: 'markdown', config: { source: '# kept' }, stale: false }]);
  db.close();
  return { dir, file };
}

/** The notebook titles of a store file, read without opening it as rxlab does (no migration, no WAL mode). */
export function notebookTitles(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT title FROM notebook ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
}
