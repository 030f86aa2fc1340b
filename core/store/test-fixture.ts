import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';

/** Test helpers that damage a store the way a failing disk does (excluded from the build). */

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
