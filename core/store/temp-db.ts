import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Db } from './db.js';

/**
 * For a test file (or a describe block): before each test a fresh store (`x.db`) in a new temp
 * directory, handed to `use`; after each test it is closed and the directory removed.
 */
export function useTempDb(prefix: string, use: (dir: string, db: Db) => void): void {
  let dir = '';
  let db: Db | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    db = openStore(join(dir, 'x.db'));
    use(dir, db);
  });
  afterEach(() => {
    db?.close();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
}
