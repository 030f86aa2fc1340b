import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureIO } from '../cli-capture.js';
import { main } from '../cli.js';
import { Service, toApiError } from '../service.js';
import { dbCommand } from './commands.js';
import { checkStore, checkStoreFile, explainStorageError, openReadOnly, StorageError, storageFault } from './damage.js';
import { openStore, StoreOpenError, type Db } from './db.js';
import { createNotebook } from './notebooks.js';
import { restoreBackup } from './restore.js';
import { salvageStore } from './salvage.js';
import { notebookTitles as titles, storeWithKeptNotebook } from './test-fixture.js';

/**
 * A store the disk or the file system will not let SQLite use is not a damaged one: a sound file in a
 * read-only place must check, restore and salvage as sound, and a full disk, a failed write or a
 * read-only file must be said with the file and the cause, not as SQLite's bare text.
 */
let dir: string;
let file: string;
beforeEach(() => {
  ({ dir, file } = storeWithKeptNotebook('rxlab-storage-'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  for (const d of readdirSync(dir)) if (d.startsWith('ro')) chmodSync(join(dir, d), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const SqliteError = Database.SqliteError;
/** A path as a literal inside a RegExp. */
const esc = (p: string): string => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A plain copy of the store (WAL mode, as every store is) where SQLite cannot create its -wal: a
 * read-only mount, a snapshot, another user's folder. Root ignores folder permissions, so there a
 * directory in the -wal's place stands in for it (SQLite fails the first read with SQLITE_CANTOPEN
 * either way); as another user the folder is made read-only.
 */
function readOnlyCopy(name = 'ro'): string {
  const ro = join(dir, name);
  mkdirSync(ro);
  const copy = join(ro, 'good.db');
  copyFileSync(file, copy);
  if (process.getuid?.() === 0) mkdirSync(`${copy}-wal`);
  else chmodSync(ro, 0o555);
  return copy;
}

describe('a sound store in a place SQLite cannot write', () => {
  it('is what the reviewer saw: read in place, its first read fails although nothing is damaged', () => {
    const copy = readOnlyCopy();
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      expect(() => db.pragma('user_version')).toThrow(expect.objectContaining({ code: 'SQLITE_CANTOPEN' }) as Error);
    } finally {
      db.close();
    }
  });

  it('db check says ok (read through a copy), and the copy is gone afterwards', async () => {
    const copy = readOnlyCopy();
    // a temporary folder of this test's own: other test files check databases in parallel
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    try {
      expect(checkStoreFile(copy)).toEqual({ ok: true, problems: [], orphans: {} });
      expect(tmpdir()).toBe(tmp);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
    const io = captureIO();
    io.dbPath = copy;
    expect(await dbCommand.run(['check'], io)).toBe(0);
    expect(io.outText).toContain(`${copy}: ok`);
    expect(io.errText).toBe('');
  });

  it('keeps the last writes its -wal holds when it is read through a copy', () => {
    // a store whose last notebook is only in its -wal (a copy taken while the app ran)
    const live = join(dir, 'live.db');
    const db = openStore(live);
    createNotebook(db, 'First');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('wal_autocheckpoint = 0');
    createNotebook(db, 'Only in the WAL');
    const ro = join(dir, 'ro-wal');
    mkdirSync(ro);
    copyFileSync(live, join(ro, 'good.db'));
    copyFileSync(`${live}-wal`, join(ro, 'good.db-wal'));
    db.close();
    if (process.getuid?.() === 0) mkdirSync(join(ro, 'good.db-shm')); // with a -wal and no way to make a -shm
    else chmodSync(ro, 0o555);
    const src = openReadOnly(join(ro, 'good.db'), join(dir, 'scratch.db'));
    try {
      // root: SQLite falls back to a -shm in memory and reads in place; others: the copy
      expect(src.db.prepare('SELECT title FROM notebook ORDER BY id').pluck().all()).toEqual(['First', 'Only in the WAL']);
    } finally {
      src.close();
    }
    expect(existsSync(join(dir, 'scratch.db'))).toBe(false);
  });

  it('db restore --from takes it (not "damaged too")', () => {
    const copy = readOnlyCopy();
    const db = openStore(file);
    createNotebook(db, 'Later');
    db.close();
    const r = restoreBackup(file, { from: copy });
    expect(r.from).toBe(copy);
    expect(titles(file)).toEqual(['Kept']);
    expect(existsSync(`${file}.restore-src`)).toBe(false);
  });

  it('db salvage copies every row (not "its first page is gone")', () => {
    const copy = readOnlyCopy();
    const out = join(dir, 'salvaged.db');
    const report = salvageStore(copy, out);
    expect(report.tables.find((t) => t.table === 'notebook')).toMatchObject({ copied: 1, unreadable: [] });
    expect(titles(out)).toEqual(['Kept']);
    expect(readdirSync(dir).filter((n) => n.startsWith('salvaged.db.'))).toEqual([]);
  });

  it('when no copy can be made either, says why, not that the file is damaged', () => {
    const copy = readOnlyCopy();
    let err: unknown;
    try {
      openReadOnly(copy, join(dir, 'no-such-folder', 'copy.db'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    const msg = (err as Error).message;
    expect(msg).toContain(copy);
    expect(msg).toMatch(/cannot be read in place \(.*-wal and -shm.*\), and a copy to read instead could not be made/);
    expect(msg).not.toMatch(/damaged/);
  });

  it('checkStore reports only damage as damage: any other failure is thrown for its caller to explain', () => {
    const failing = (code: string, message: string): Db =>
      ({
        pragma: () => {
          throw new SqliteError(message, code);
        },
        prepare: () => {
          throw new SqliteError(message, code);
        },
      }) as unknown as Db;
    expect(() => checkStore(failing('SQLITE_CANTOPEN', 'unable to open database file'))).toThrow('unable to open database file');
    expect(() => checkStore(failing('SQLITE_IOERR_READ', 'disk I/O error'))).toThrow('disk I/O error');
    const damaged = checkStore(failing('SQLITE_CORRUPT', 'database disk image is malformed'));
    expect(damaged.ok).toBe(false);
    expect(damaged.problems[0]).toBe('database disk image is malformed');
  });

  it('opening it to write says the folder, not "if the file is damaged, restore a backup"', () => {
    const copy = readOnlyCopy();
    let err: unknown;
    try {
      openStore(copy, { readonly: true }).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreOpenError);
    const msg = (err as Error).message;
    expect(msg).toContain(copy);
    expect(msg).toMatch(/-wal and -shm/);
    expect(msg).not.toMatch(/damaged|backup/);
  });

  it.skipIf(process.getuid?.() === 0)('a file this user may not read is said so', () => {
    const ro = join(dir, 'ro-perm');
    mkdirSync(ro);
    const copy = join(ro, 'good.db');
    copyFileSync(file, copy);
    chmodSync(copy, 0o000);
    expect(() => checkStoreFile(copy)).toThrow(/may not read it/);
  });
});

describe('a failure of the disk or the file system names the file and the cause', () => {
  it('a real full disk (the page limit SQLite enforces alike): the file, "full", and that nothing saved was lost', () => {
    const db = openStore(file);
    let err: unknown;
    try {
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      createNotebook(db, 'Too big', [{ id: 'big', kind: 'markdown', config: { source: 'x'.repeat(200_000) }, stale: false }]);
    } catch (e) {
      err = e;
    } finally {
      db.close();
    }
    expect(err).toMatchObject({ code: 'SQLITE_FULL' });
    const api = toApiError(err, file);
    expect(api.code).toBe('failed');
    expect(api.message).toContain(file);
    expect(api.message).toMatch(/disk it is on is full.*ulimit -f.*rolled back.*everything saved before is intact/s);
    expect(titles(file)).toEqual(['Kept']);
  });

  it('through the service: the message names the store it has open', async () => {
    const service = new Service({ dbPath: file, host: 'cli' });
    try {
      service.db.pragma(`max_page_count = ${service.db.pragma('page_count', { simple: true }) as number}`);
      let res;
      for (let i = 0; i < 200; i++) {
        res = await service.call('notebook.create', { title: `n${i} ${'x'.repeat(190)}` });
        if (!res.ok) break;
      }
      expect(res?.ok).toBe(false);
      if (res && !res.ok) {
        expect(res.error.code).toBe('failed');
        expect(res.error.message).toContain(file);
        expect(res.error.message).toMatch(/full/);
        expect(res.error.message).not.toMatch(/^database or disk is full$/);
      }
    } finally {
      service.close();
    }
  });

  it('a real read-only connection asked to write', () => {
    const db = new Database(file, { readonly: true });
    let err: unknown;
    try {
      db.prepare("INSERT INTO notebook (title) VALUES ('x')").run();
    } catch (e) {
      err = e;
    } finally {
      db.close();
    }
    expect(storageFault(err)).toBe('read-only');
    expect(toApiError(err, file).message).toMatch(new RegExp(`^${esc(file)}: cannot be written: .*Nothing was written, and everything saved before is intact`));
  });

  it.each([
    ['SQLITE_IOERR_WRITE', 'disk I/O error', /ulimit -f.*rolled back/s],
    ['SQLITE_IOERR_FSYNC', 'disk I/O error', /failing disk.*rolled back/s],
    ['SQLITE_IOERR_READ', 'disk I/O error', /reading it failed.*Nothing was written.*db check/s],
    ['SQLITE_IOERR_LOCK', 'disk I/O error', /lock.*network file system/s],
    ['SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database', /moved, renamed or deleted.*restart/s],
    ['SQLITE_CANTOPEN', 'unable to open database file', /cannot be opened: .*Nothing was written/s],
    ['SQLITE_CORRUPT', 'database disk image is malformed', /damaged.*wrote nothing.*db salvage/s],
    ['SQLITE_NOTADB', 'file is not a database', /damaged/],
  ])('%s: the file and the likely cause', (code, text, want) => {
    const api = toApiError(new SqliteError(text, code), file);
    expect(api.code).toBe('failed');
    expect(api.message.startsWith(`${file}: `)).toBe(true);
    expect(api.message).toMatch(want);
    expect(api.message).toContain(`SQLite: ${text}`);
  });

  it('also after crossing a worker thread, where only the text is left', () => {
    // import-task.ts: the code in parentheses; store-client.ts: an Error named SqliteError
    const imported = new Error('a.log: not imported: database or disk is full (SQLITE_FULL)');
    expect(toApiError(imported, file).message).toMatch(new RegExp(`^a\\.log: not imported: ${esc(file)}: the change could not be saved: the disk it is on is full.*\\(SQLite: database or disk is full\\)`));
    const stored = Object.assign(new Error('disk I/O error'), { name: 'SqliteError' });
    expect(toApiError(stored, file).message).toMatch(/disk or the file system failed/);
  });

  it('leaves every other error as it was', () => {
    expect(toApiError(new Error('boom'), file)).toEqual({ code: 'failed', message: 'boom' });
    const constraint = new SqliteError('UNIQUE constraint failed: notebook.id', 'SQLITE_CONSTRAINT_UNIQUE');
    expect(toApiError(constraint, file).message).toBe('UNIQUE constraint failed: notebook.id');
    // text like SQLite's, but not from SQLite: untouched
    expect(toApiError(new Error('disk I/O error'), file).message).toBe('disk I/O error');
    expect(explainStorageError(new StorageError(file, new SqliteError('database or disk is full', 'SQLITE_FULL')), file)).toBeNull();
  });

  it('the CLI names the --db file when a command meets a bare SqliteError (rxlab import writes the store itself)', async () => {
    const run = vi.spyOn(dbCommand, 'run').mockRejectedValue(new SqliteError('database or disk is full', 'SQLITE_FULL'));
    let err = '';
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((t: string | Uint8Array) => {
      err += String(t);
      return true;
    });
    try {
      expect(await main(['--db', file, 'db', 'check'])).toBe(1);
    } finally {
      write.mockRestore();
      run.mockRestore();
    }
    expect(err).toMatch(new RegExp(`^rxlab db: ${esc(file)}: the change could not be saved: the disk it is on is full`));
  });

  it('db salvage of a file cut to 50 bytes names it', () => {
    const cut = join(dir, 'cut.db');
    const head = Buffer.alloc(50);
    const fd = openSync(file, 'r');
    readSync(fd, head, 0, 50, 0);
    closeSync(fd);
    writeFileSync(cut, head);
    const out = join(dir, 'out.db');
    expect(() => salvageStore(cut, out)).toThrow(new RegExp(`^${esc(cut)}: .*malformed`));
    expect(existsSync(out)).toBe(false);
  });

  it('a salvage that fills the disk names the new file, not the damaged one', () => {
    const db = openStore(file);
    createNotebook(db, 'Big', [{ id: 'big', kind: 'markdown', config: { source: 'x'.repeat(200_000) }, stale: false }]);
    db.close();
    const out = join(dir, 'out.db');
    const pragma = Database.prototype.pragma;
    // the new file gets no room beyond its empty schema: a real SQLITE_FULL at its first batch
    const spy = vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
      const r: unknown = pragma.call(this, source, options);
      if (source === 'foreign_keys = OFF' && this.name.endsWith('.partial')) pragma.call(this, `max_page_count = ${pragma.call(this, 'page_count', { simple: true }) as number}`);
      return r;
    });
    let err: unknown;
    try {
      salvageStore(file, out);
    } catch (e) {
      err = e;
    } finally {
      spy.mockRestore();
    }
    expect((err as Error).message).toMatch(new RegExp(`^${esc(out)}: the salvaged copy could not be written: the disk it is on is full.*${esc(file)} was only read`, 's'));
    expect(readdirSync(dir).filter((n) => n.startsWith('out.db'))).toEqual([]);
  });
});
