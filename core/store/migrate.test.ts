import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StoreOpenError } from './db.js';
import { DatabaseFromTheFutureError, loadMigrations, migrate } from './migrate.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The schema as SQLite reports it, normalised: what the snapshot compares. */
function schemaOf(db: Database.Database): string {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as {
    sql: string;
  }[];
  return `${rows.map((r) => r.sql.replace(/\s+/g, ' ').trim()).join(';\n')};\n`;
}

describe('migrations', () => {
  it('migrates a fresh database to the newest version with WAL and foreign keys on', () => {
    const db = openStore(join(dir, 'fresh.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    // the -wal file shrinks back after a large import's checkpoint (it stayed at 715 MB)
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(64 * 1024 * 1024);
    db.close();
  });

  it('keeps the data of an existing database and applies only what is pending', () => {
    const file = join(dir, 'old.db');
    const all = loadMigrations();
    const old = new Database(file);
    migrate(old, all.slice(0, 1));
    old.prepare("INSERT INTO notebook(title, created_at, updated_at) VALUES ('kept', 'x', 'x')").run();
    old.close();
    // simulate a newer release that adds a migration on top of the shipped ones
    const extra = [...all, { version: all.length + 1, name: 'test_extra', sql: 'CREATE TABLE extra_test(x INTEGER);' }];
    const db = new Database(file);
    expect(migrate(db, extra)).toEqual({ from: 1, to: extra.length });
    expect(db.prepare('SELECT title FROM notebook').pluck().get()).toBe('kept');
    expect(migrate(db, extra)).toEqual({ from: extra.length, to: extra.length });
    db.close();
  });

  it('runs all pending migrations in one transaction: a failing one leaves the old schema intact', () => {
    const file = join(dir, 'atomic.db');
    const db = new Database(file);
    const broken = [...loadMigrations(), { version: 99, name: 'broken', sql: 'CREATE TABLE ok_one(x); CREATE TABLE notebook(x);' }];
    expect(() => migrate(db, broken)).toThrow(/already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('ok_one','notebook')").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database from a newer rxlab with a clear message and does not touch it', () => {
    const file = join(dir, 'future.db');
    const f = new Database(file);
    f.pragma('user_version = 999');
    f.close();
    const before = readFileSync(file);
    expect(() => openStore(file)).toThrow(DatabaseFromTheFutureError);
    expect(() => openStore(file)).toThrow(/schema version 999.*newer rxlab/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a damaged file with its path instead of crashing', () => {
    const file = join(dir, 'damaged.db');
    writeFileSync(file, 'this is not a database '.repeat(200));
    expect(() => openStore(file)).toThrow(StoreOpenError);
    expect(() => openStore(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot open the rxlab database`));
  });

  it('requires contiguous migration ids', () => {
    const mdir = join(dir, 'm');
    rmSync(mdir, { recursive: true, force: true });
    mkdirSync(mdir);
    writeFileSync(join(mdir, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(join(mdir, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(mdir)).toThrow(/contiguous/);
  });

  it('matches the committed schema snapshot (update core/store/schema.snapshot.sql with a new migration)', () => {
    const db = openStore(join(dir, 'snap.db'));
    const actual = schemaOf(db);
    db.close();
    const snapshotFile = join(import.meta.dirname, 'schema.snapshot.sql');
    if (process.env['UPDATE_SCHEMA_SNAPSHOT']) writeFileSync(snapshotFile, actual);
    expect(actual).toBe(readFileSync(snapshotFile, 'utf8'));
  });
  it('two processes upgrading one file at once: the second waits for the first and applies nothing twice', async () => {
    const file = join(dir, 'race.db');
    new Database(file).close();
    // Another process (the app, a CLI command) holds the write lock mid-upgrade for 600 ms.
    const script = `
      const Database = require('better-sqlite3');
      const { loadMigrations } = require(${JSON.stringify(join(process.cwd(), 'out', 'core', 'store', 'migrate.js'))});
      const db = new Database(${JSON.stringify(file)});
      db.pragma('journal_mode = WAL');
      const all = loadMigrations();
      db.exec('BEGIN IMMEDIATE');
      for (const m of all) db.exec(m.sql);
      db.pragma('user_version = ' + all.length);
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, 600);`;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && res());
      child.on('exit', (code) => rej(new Error(`holder exited ${code}`)));
    });
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    try {
      // it read version 0 before the lock was free; the upgrade it then waited for is not redone
      expect(migrate(db)).toEqual({ from: loadMigrations().length, to: loadMigrations().length });
    } finally {
      db.close();
      await new Promise((r) => (child.exitCode === null ? child.on('exit', r) : r(null)));
    }
  });
});
