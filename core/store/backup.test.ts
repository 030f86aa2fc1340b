import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIO } from '../cli-capture.js';
import { Service } from '../service.js';
import { dbCommand } from './commands.js';
import { restoreBackup } from './restore.js';
import { backupIfDue, backupPaths, latestBackup, writeBackup } from './backup.js';
import { openStore, StoreOpenError } from './db.js';
import { createNotebook } from './notebooks.js';
import { notebookTitles as titles, pagesOf, storeWithKeptNotebook, zeroPage } from './test-fixture.js';

let dir: string;
let file: string;
beforeEach(() => {
  ({ dir, file } = storeWithKeptNotebook('rxlab-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

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
    expect(() => openStore(file)).toThrow(`The newest backup, from ${latestBackup(file)?.at ?? '?'}, is ${newest}: \`rxlab --db ${JSON.stringify(file)} db restore\` goes back to it`);
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

describe('rxlab db restore', () => {
  const addNotebook = (title: string): void => {
    const db = openStore(file);
    createNotebook(db, title, []);
    db.close();
  };
  const restoreCli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const io = captureIO();
    io.dbPath = file;
    const code = await dbCommand.run(['restore', ...args], io);
    return { code, out: io.outText, err: io.errText };
  };

  it('goes back to the newest backup and keeps the replaced file, -wal included, beside it', async () => {
    backupIfDue(file, 0);
    addNotebook('Later');
    const r = restoreBackup(file, { now: new Date('2026-11-27T01:02:03Z') });
    expect(r.from).toBe(backupPaths(file).newest);
    expect(r.keptAs).toBe(join(dir, 'rxlab.replaced-20261127-010203.db'));
    expect(titles(file)).toEqual(['Kept']);
    expect(titles(r.keptAs ?? '')).toEqual(['Kept', 'Later']);
    const db = openStore(file); // opens and migrates as usual
    expect(db.prepare('SELECT count(*) FROM notebook').pluck().get()).toBe(1);
    db.close();
    // not while another rxlab has the store open; nothing changes then
    const open = openStore(file);
    const refused = await restoreCli();
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/rxlab\.db is open in another rxlab .*close it and run this again\. Nothing was changed\.\n$/);
    expect(titles(file)).toEqual(['Kept']);
    open.close();
    // a store whose first page is gone cannot be checked for other users: only with --force
    zeroPage(file, 1);
    const unsure = await restoreCli();
    expect(unsure.code).toBe(1);
    expect(unsure.err).toMatch(/could not be opened to make sure no other rxlab uses it .*--force\. Nothing was changed\./);
    const forced = await restoreCli('--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/^rxlab db restore: .*rxlab\.db now holds the backup of .*; the file it replaced is kept as .*rxlab\.replaced-\d{8}-\d{6}\.db\n$/);
    expect(titles(file)).toEqual(['Kept']);
    expect(readdirSync(dir).filter((n) => n.includes('.replaced-')).length).toBeGreaterThanOrEqual(2);
  });

  it('takes a source\'s writes still in its -wal along (a live store, one that crashed, a kept .replaced file)', () => {
    const src = join(dir, 'live.db');
    const live = openStore(src);
    live.pragma('wal_autocheckpoint = 0'); // the writes stay in live.db-wal while it is open
    createNotebook(live, 'Only in the WAL', []);
    try {
      expect(statSync(`${src}-wal`).size).toBeGreaterThan(0);
      restoreBackup(file, { from: src });
      expect(titles(file)).toEqual(['Only in the WAL']);
    } finally {
      live.close();
    }
  });

  it('refuses a damaged backup, one from a newer rxlab, a foreign file, and no backup at all, changing nothing', () => {
    const before = sha(file);
    expect(() => restoreBackup(file)).toThrow(/no backup beside it .*name one with --from FILE/);
    const good = join(dir, 'good.db');
    writeBackup(file, good);
    const damaged = join(dir, 'damaged.db');
    writeBackup(file, damaged);
    zeroPage(damaged, pagesOf(damaged, 'notebook', 'leaf')[0] ?? 0);
    expect(() => restoreBackup(file, { from: damaged })).toThrow(/damaged\.db is damaged too/);
    const future = join(dir, 'future.db');
    writeBackup(file, future);
    const f = new Database(future);
    f.pragma('user_version = 99');
    f.close();
    expect(() => restoreBackup(file, { from: future })).toThrow(/schema version 99, newer than this rxlab reads/);
    const foreign = join(dir, 'foreign.db');
    const g = new Database(foreign);
    g.exec('CREATE TABLE t(x)');
    g.close();
    expect(() => restoreBackup(file, { from: foreign })).toThrow(/not an rxlab database/);
    expect(() => restoreBackup(file, { from: join(dir, 'nope.db') })).toThrow(/nope\.db: no such file/);
    expect(() => restoreBackup(file, { from: file })).toThrow(/over itself/);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).filter((n) => n.includes('replaced') || n.includes('restore-tmp'))).toEqual([]);
    // and a sound one by name works; twice in the same second keeps both replaced files
    const now = new Date('2026-11-27T02:00:00Z');
    expect(restoreBackup(file, { from: good, now }).keptAs).toBe(join(dir, 'rxlab.replaced-20261127-020000.db'));
    expect(restoreBackup(file, { from: good, now }).keptAs).toBe(join(dir, 'rxlab.replaced-20261127-020000-2.db'));
  });
});

describe('store.restore (the banner\'s button: the desktop app has no command line)', () => {
  it('closes the connection, goes back to the backup in a worker, reopens, and keeps working', async () => {
    const service = new Service({ dbPath: file, host: 'browser' });
    try {
      // no backup yet: refused, and the store stays open and usable
      const none = await service.call('store.restore', {});
      expect(none).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/no backup beside it/) } });
      await service.invoke('notebook.create', { title: 'Before the backup?' });
      backupIfDue(file, 0);
      await service.invoke('notebook.create', { title: 'Later' });
      // not while other work runs
      const busy = service.call('sim.run', { runs: [{ system: 'DA', seed: 1 }] });
      expect(await service.call('store.restore', {})).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/other work is still running/) } });
      expect((await busy).ok).toBe(true);
      const r = await service.invoke('store.restore', {});
      expect(r.from).toBe(backupPaths(file).newest);
      expect(r.keptAs).toMatch(/rxlab\.replaced-\d{8}-\d{6}\.db$/);
      const titlesNow = (await service.invoke('notebook.list', {})).map((n) => n.title).sort();
      expect(titlesNow).toEqual(['Before the backup?', 'Kept']);
      expect(titles(r.keptAs ?? '')).toEqual(['Kept', 'Before the backup?', 'Later']);
      await service.invoke('notebook.create', { title: 'After' }); // writable again
      expect(titles(file)).toContain('After');
    } finally {
      service.close();
    }
  });

  it('goes back to the backup before the newest when asked, and takes no path from the caller', async () => {
    backupIfDue(file, 0); // holds Kept
    const db = openStore(file);
    createNotebook(db, 'A mistake', []);
    db.close();
    backupIfDue(file, 0); // the newest now holds the mistake too; the one before does not
    const service = new Service({ dbPath: file, host: 'browser' });
    try {
      const health = await service.invoke('store.check', { quick: true });
      expect(health.backup?.file).toBe(backupPaths(file).newest);
      expect(health.previousBackup?.file).toBe(backupPaths(file).previous);
      expect(await service.call('store.restore', { from: join(dir, 'elsewhere.db') })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect(await service.call('store.restore', { which: 'oldest' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      const r = await service.invoke('store.restore', { which: 'previous' });
      expect(r.from).toBe(backupPaths(file).previous);
      expect((await service.invoke('notebook.list', {})).map((n) => n.title)).toEqual(['Kept']);
      expect(titles(r.keptAs ?? '')).toEqual(['Kept', 'A mistake']);
    } finally {
      service.close();
    }
  });
});
