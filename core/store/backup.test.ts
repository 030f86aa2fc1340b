import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Service } from '../service.js';
import { backupIfDue, backupPaths, latestBackup, writeBackup } from './backup.js';
import { openStore, StoreOpenError } from './db.js';
import { createNotebook } from './notebooks.js';
import { pagesOf, zeroPage } from './test-fixture.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-backup-'));
  file = join(dir, 'rxlab.db');
  const db = openStore(file);
  createNotebook(db, 'Kept', [{ id: 'c1', kind: 'markdown', config: { source: '# kept' }, stale: false }]);
  db.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const titles = (p: string): unknown[] => {
  const db = new Database(p, { readonly: true });
  try {
    return db.prepare('SELECT title FROM notebook ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
};

describe('automatic backups', () => {
  it('writes a consistent single-file copy, at most once per interval, and keeps the one before', () => {
    const { newest, previous } = backupPaths(file);
    const day = 86_400_000;
    const first = backupIfDue(file, day);
    expect(first.written).toBe(true);
    expect(titles(newest)).toEqual(['Kept']);
    expect(existsSync(`${newest}-wal`)).toBe(false); // one file, not a WAL pair
    expect(backupIfDue(file, day).written).toBe(false);
    const db = openStore(file);
    createNotebook(db, 'Later');
    db.close();
    const oldSha = sha(newest);
    const second = backupIfDue(file, day, Date.now() + day + 1);
    expect(second.written).toBe(true);
    expect(sha(previous)).toBe(oldSha);
    expect(titles(newest)).toEqual(['Kept', 'Later']);
  });

  it('an explicit backup never overwrites a file', () => {
    const out = join(dir, 'mine.db');
    writeBackup(file, out);
    expect(titles(out)).toEqual(['Kept']);
    expect(() => writeBackup(file, out)).toThrow(/already exists/);
    expect(() => writeBackup(file, file)).toThrow(/over the database itself/);
  });

  it('a store too damaged to open names the newest backup in its error', () => {
    const { newest } = backupPaths(file);
    backupIfDue(file, 1);
    zeroPage(file, 1); // the header and the schema: SQLite no longer knows the file
    expect(() => openStore(file)).toThrow(StoreOpenError);
    expect(() => openStore(file)).toThrow(`The newest backup, from ${latestBackup(file)?.at ?? '?'}, is ${newest}: copy it over the damaged file`);
    expect(titles(newest)).toEqual(['Kept']);
  });

  it('a damaged file is never backed up over a good backup', () => {
    const { newest, previous } = backupPaths(file);
    backupIfDue(file, 1);
    const good = sha(newest);
    zeroPage(file, pagesOf(file, 'cell', 'leaf')[0] ?? 0);
    expect(() => backupIfDue(file, 1, Date.now() + 10)).toThrow(/malformed/);
    expect(sha(newest)).toBe(good);
    expect(existsSync(previous)).toBe(false);
    expect(readdirSync(dir).filter((f) => /\.(tmp|new)$/.test(f))).toEqual([]);
  });

  it('store.check: the app (browser/Electron hosts) backs up a sound file at start; the CLI does not; a damaged file gets advice naming the backup', async () => {
    const cli = new Service({ dbPath: file, host: 'cli' });
    const c = await cli.invoke('store.check', {});
    cli.close();
    expect(c.ok).toBe(true);
    expect(c.backupWritten).toBe(false);
    expect(c.backup).toBeNull();
    const app = new Service({ dbPath: file, host: 'browser' });
    const a = await app.invoke('store.check', {});
    expect(a.ok).toBe(true);
    expect(a.backupWritten).toBe(true);
    expect(a.backup?.file).toBe(backupPaths(file).newest);
    expect((await app.invoke('store.check', {})).backupWritten).toBe(false);
    zeroPage(file, pagesOf(file, 'cell', 'leaf')[0] ?? 0);
    const d = await app.invoke('store.check', { quick: false });
    app.close();
    expect(d.ok).toBe(false);
    expect(d.problems.join('\n')).toMatch(/table cell: unreadable from its first row/);
    expect(d.advice).toContain('db salvage --out NEW.db');
    expect(d.advice).toContain(`The newest backup, from ${a.backup?.at ?? '?'}`);
  });
});
