import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importBytesRecords } from '../logs/import.js';
import { realLogsDir } from '../logs/real-logs-dir.js';
import { Service } from '../service.js';
import { checkStore } from './damage.js';
import { openStore, StoreOpenError } from './db.js';
import { createNotebook } from './notebooks.js';
import { salvageStore } from './salvage.js';
import { dbCommand } from './commands.js';
import { captureIO } from '../cli-capture.js';
import { loadImportDoc, saveImport } from './imports.js';
import { pagesOf, zeroPage } from './test-fixture.js';

/**
 * A damaged store: pages zeroed or the file cut short, as a failing disk or a copy taken mid-write
 * leaves it. `db check` must name the damage, a request that meets it must say which file and what to
 * do, and salvage must copy every row it can read, unchanged, without touching the damaged file.
 */
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-salvage-'));
  file = join(dir, 'rxlab.db');
  const db = openStore(file);
  for (let n = 1; n <= 3; n++) {
    createNotebook(db, `Notebook ${n}`, [
      { id: `md-${n}`, kind: 'markdown', config: { source: `# note ${n}` }, stale: false },
      { id: `sim-${n}`, kind: 'simulation', config: { systems: ['DA'], seeds: n }, stale: false },
    ]);
  }
  const netperf = join(realLogsDir(), 'netperf');
  for (const name of readdirSync(netperf).sort()) {
    const bytes = readFileSync(join(netperf, name));
    const s = importBytesRecords(name, bytes);
    saveImport(db, s, bytes);
    s.records.dispose();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Rows = Record<string, Record<string, unknown>[]>;
const KEYS: Record<string, string> = { notebook: 'id', cell: 'id', imported_file: 'id', run: 'id', result: 'run_id, metric' };

function allRows(path: string): Rows {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(Object.entries(KEYS).map(([t, k]) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${k}`).all() as Record<string, unknown>[]]));
  } finally {
    db.close();
  }
}

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const rowKey = (t: string, r: Record<string, unknown>): string => (t === 'result' ? `${String(r['run_id'])}/${String(r['metric'])}` : String(r['id']));

/** Every row salvage wrote equals the original row with the same key; returns how many of each were lost. */
function expectSubsetUnchanged(before: Rows, after: Rows): Record<string, number> {
  const lost: Record<string, number> = {};
  for (const t of Object.keys(KEYS)) {
    const orig = new Map((before[t] ?? []).map((r) => [rowKey(t, r), r]));
    for (const r of after[t] ?? []) {
      const o = orig.get(rowKey(t, r));
      if (t === 'imported_file' && r['record_count'] === null && o?.['record_count'] !== null) {
        // a log that lost record runs: its records were read again from its bytes into its document
        const { document, record_count: _c, parser_version: _p, ...rest } = r;
        const { document: _d, record_count: want, parser_version: _q, ...orest } = o ?? {};
        expect(rest, `${t} ${rowKey(t, r)}`).toEqual(orest);
        expect((JSON.parse(String(document)) as { records: unknown[] }).records).toHaveLength(Number(want));
        continue;
      }
      // a measured run whose raw log was lost keeps everything but the link
      expect(r, `${t} ${rowKey(t, r)}`).toEqual(t === 'run' && r['imported_file_id'] === null ? { ...o, imported_file_id: null } : o);
    }
    lost[t] = orig.size - (after[t] ?? []).length;
  }
  return lost;
}

/** Salvage gives up only rows that cannot be read: each run it lost fails to read on its own, by key. */
function expectLostUnreadable(damaged: string, before: Rows, after: Rows): void {
  const kept = new Set((after['run'] ?? []).map((r) => r['id']));
  const db = new Database(damaged, { readonly: true });
  try {
    const byId = db.prepare('SELECT * FROM run WHERE id = ?');
    const readableButLost = (before['run'] ?? [])
      .map((r) => r['id'])
      .filter((id) => !kept.has(id))
      .filter((id) => {
        try {
          return byId.get(id) !== undefined;
        } catch {
          return false;
        }
      });
    expect(readableButLost).toEqual([]);
  } finally {
    db.close();
  }
}

describe('a damaged database', () => {
  it('a zeroed page of runs: check names it, a request that meets it names the file and salvage, salvage copies every other row unchanged', async () => {
    const before = allRows(file);
    expect(before['run']?.length).toBeGreaterThan(100);
    const leaves = pagesOf(file, 'run', 'leaf');
    expect(leaves.length).toBeGreaterThan(10);
    zeroPage(file, leaves[Math.floor(leaves.length / 2)] ?? 0);
    const damagedSha = sha(file);

    const ro = new Database(file, { readonly: true });
    const check = checkStore(ro);
    ro.close();
    expect(check.ok).toBe(false);
    expect(check.problems.join('\n')).toMatch(/page|malformed/i);

    // the app still opens it (the header is fine); the request that reads the damaged page says what to do
    const service = new Service({ dbPath: file, host: 'cli' });
    const res = await service.call('runs.list', { limit: 10000 });
    service.close();
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.message).toContain(file);
      expect(res.error.message).toMatch(/damaged.*wrote nothing.*db salvage --out/s);
    }

    const out = join(dir, 'salvaged.db');
    const report = salvageStore(file, out);
    expect(sha(file)).toBe(damagedSha); // read-only: the damaged file is exactly as it was
    expect(report.check).toBe('ok');
    const runs = report.tables.find((t) => t.table === 'run');
    expect(runs?.unreadable.length).toBeGreaterThan(0);
    const after = allRows(out);
    const lost = expectSubsetUnchanged(before, after);
    // one leaf of 30-odd lost: a handful of runs, and their metric values with them
    expect(lost['run']).toBeGreaterThan(0);
    expect(lost['run']).toBeLessThan((before['run']?.length ?? 0) / 4);
    expect(lost['notebook']).toBe(0);
    expect(lost['cell']).toBe(0);
    expect(lost['imported_file']).toBe(0);
    expect(runs?.copied).toBe(after['run']?.length);
    expectLostUnreadable(file, before, after);
    const salvaged = new Database(out, { readonly: true });
    expect(checkStore(salvaged).ok).toBe(true);
    salvaged.close();
    // and rxlab opens the new file as its store, where every log reads whole: one that lost record
    // runs was read again from its raw bytes (it used to stay "damaged" for good)
    const reopened = openStore(out);
    try {
      const repaired = report.repaired.filter((n) => /record runs were unreadable; its \d+ records were read again/.test(n));
      expect(repaired.length).toBeGreaterThan(0);
      for (const f of after['imported_file'] ?? []) expect(() => loadImportDoc(reopened, Number(f['id']))).not.toThrow();
    } finally {
      reopened.close();
    }
  });

  it('several damaged pages in a row: salvage steps over them and still keeps every row that reads', () => {
    const before = allRows(file);
    const leaves = pagesOf(file, 'run', 'leaf');
    const at = leaves[Math.floor(leaves.length / 3)] ?? 0;
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, Buffer.alloc(6 * 4096, 0xa5), 0, 6 * 4096, (at - 1) * 4096); // six pages of garbage
    } finally {
      closeSync(fd);
    }
    const out = join(dir, 'salvaged.db');
    const report = salvageStore(file, out);
    expect(report.tables.find((t) => t.table === 'run')?.unreadable.length).toBeGreaterThan(0);
    const after = allRows(out);
    expectSubsetUnchanged(before, after);
    expectLostUnreadable(file, before, after);
  });

  it('an unreadable large value (an overflow page of a raw log) loses that log only; its runs keep their values', () => {
    const before = allRows(file);
    const overflow = pagesOf(file, 'imported_file', 'overflow');
    expect(overflow.length).toBeGreaterThan(0);
    zeroPage(file, overflow[0] ?? 0);
    const out = join(dir, 'salvaged.db');
    const report = salvageStore(file, out);
    const after = allRows(out);
    const lost = expectSubsetUnchanged(before, after);
    expect(lost['imported_file']).toBeGreaterThanOrEqual(1);
    expect(lost['imported_file']).toBeLessThanOrEqual(2);
    expect(lost['run']).toBe(0);
    expect(lost['result']).toBe(0);
    expect(report.repaired.join('\n')).toMatch(/measured run\(s\) kept without their raw log/);
  });

  it('a lost notebook page: its cells come back in "Recovered notebook N"', () => {
    const before = allRows(file);
    zeroPage(file, pagesOf(file, 'notebook', 'leaf')[0] ?? 0);
    const out = join(dir, 'salvaged.db');
    const report = salvageStore(file, out);
    const after = allRows(out);
    expect(after['cell']).toEqual(before['cell']);
    expect((after['notebook'] ?? []).map((n) => n['title'])).toEqual(['Recovered notebook 1', 'Recovered notebook 2', 'Recovered notebook 3']);
    expect(report.repaired.join('\n')).toMatch(/3 notebook\(s\) were unreadable/);
  });

  it('a file cut short keeps the rows on the pages that survive', () => {
    const before = allRows(file);
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor((size * 0.6) / 4096) * 4096);
    const out = join(dir, 'salvaged.db');
    const report = salvageStore(file, out);
    const after = allRows(out);
    const lost = expectSubsetUnchanged(before, after);
    expect(report.check).toBe('ok');
    expect((after['run']?.length ?? 0) + (after['imported_file']?.length ?? 0)).toBeGreaterThan(0);
    expect(Object.values(lost).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('refuses to overwrite a file, to write over the source, and leaves no partial file when cancelled', () => {
    const out = join(dir, 'exists.db');
    readFileSync(file); // the source exists
    rmSync(out, { force: true });
    Database(out).close();
    expect(() => salvageStore(file, out)).toThrow(/already exists/);
    expect(() => salvageStore(file, file)).toThrow(/new file/);
    const ac = new AbortController();
    ac.abort();
    const cancelled = join(dir, 'cancelled.db');
    expect(() => salvageStore(file, cancelled, { signal: ac.signal })).toThrow(/cancelled/);
    expect(existsSync(cancelled)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    // A cancel that wins at the commit point (the whole copy done): still no file, nothing partial.
    let asked = 0;
    const refused = join(dir, 'refused.db');
    expect(() => salvageStore(file, refused, { mayCommit: () => (asked++, false) })).toThrow(/cancelled/);
    expect(asked).toBe(1);
    expect(existsSync(refused)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('a file from a newer rxlab is refused, as opening it is: its unknown tables and columns would be dropped without a word', () => {
    const db = new Database(file);
    db.exec('ALTER TABLE run ADD COLUMN energy_joules REAL');
    db.pragma(`user_version = 99`);
    db.close();
    const out = join(dir, 'salvaged.db');
    expect(() => salvageStore(file, out)).toThrow(/schema version 99, but this rxlab only knows up to version \d+\. It was written by a newer rxlab/);
    expect(readdirSync(dir).filter((n) => n.startsWith('salvaged'))).toEqual([]);
  });

  it('a file that is not SQLite at all: opening it says so and points to a backup; salvage says nothing can be found', () => {
    const junk = join(dir, 'junk.db');
    const fd = openSync(junk, 'w');
    writeSync(fd, Buffer.alloc(8192, 0x5a));
    closeSync(fd);
    expect(() => openStore(junk)).toThrow(StoreOpenError);
    expect(() => openStore(junk)).toThrow(/restore a backup/);
    expect(() => salvageStore(junk, join(dir, 'x.db'))).toThrow(/no row can be found/);
  });
});

/** captureIO's methods write to the object it returns, so set the database on that object. */
function withDb<T extends { dbPath: string | undefined }>(io: T): T {
  io.dbPath = file;
  return io;
}

describe('store.salvage (the banner\'s button: the desktop app has no command line)', () => {
  it('writes NAME.salvaged-DATE.db beside the store, in a worker, and reports per table', async () => {
    zeroPage(file, pagesOf(file, 'run', 'leaf')[2] ?? 0);
    const service = new Service({ dbPath: file, host: 'browser' });
    try {
      const r = await service.invoke('store.salvage', {});
      expect(r.out).toMatch(/rxlab\.salvaged-\d{8}-\d{6}\.db$/);
      expect(r.check).toBe('ok');
      expect(r.tables.find((t) => t.table === 'run')?.unreadable.length).toBe(1);
      expect(existsSync(r.out)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    } finally {
      service.close();
    }
  });
  it('a cancel either wins (no file, code cancelled) or comes after the rename (the report); never "cancelled" beside a new file', async () => {
    zeroPage(file, pagesOf(file, 'run', 'leaf')[2] ?? 0);
    const service = new Service({ dbPath: file, host: 'browser' });
    const salvaged = (): string[] => readdirSync(dir).filter((f) => /\.salvaged-/.test(f));
    try {
      const early = service.call('store.salvage', { jobId: 'salv-early' });
      service.cancel('salv-early');
      const env = await early;
      expect(env.ok ? 'saved' : env.error.code).toBe('cancelled');
      expect(salvaged()).toEqual([]);
      // Cancel the moment the finished file shows: too late, and the answer says what was written.
      const late = service.call('store.salvage', { jobId: 'salv-late' });
      let polling = true;
      const poll = (): void => {
        if (!polling) return;
        if (salvaged().some((f) => !f.includes('partial'))) service.cancel('salv-late');
        else setImmediate(poll);
      };
      setImmediate(poll);
      const done = await late;
      polling = false;
      expect(done.ok).toBe(true);
      expect(salvaged().filter((f) => !f.includes('partial'))).toHaveLength(1);
    } finally {
      service.close();
    }
  });
});

describe('rxlab db', () => {
  it('check: exit 0 and "ok" on a sound file; exit 1, the table and rowid where reading stops, and the salvage command on a damaged one', async () => {
    const io = withDb(captureIO());
    expect(await dbCommand.run(['check'], io)).toBe(0);
    expect(io.outText).toContain(': ok (integrity_check and foreign keys)');
    zeroPage(file, pagesOf(file, 'run', 'leaf')[3] ?? 0);
    const bad = withDb(captureIO());
    expect(await dbCommand.run(['check', '--quick'], bad)).toBe(1);
    expect(bad.outText).toContain('DAMAGED');
    expect(bad.outText).toMatch(/table run: unreadable after rowid \d+/);
    expect(bad.errText).toContain('db salvage --out NEW.db');
  });

  it('salvage --json: the report as one JSON line; a missing --out is a usage error', async () => {
    zeroPage(file, pagesOf(file, 'run', 'leaf')[3] ?? 0);
    const io = withDb(captureIO());
    const out = join(dir, 'new.db');
    expect(await dbCommand.run(['salvage', '--out', out, '--json'], io)).toBe(0);
    const report = JSON.parse(io.outText) as { out: string; check: string; tables: { table: string; copied: number; unreadable: string[] }[] };
    expect(report.out).toBe(out);
    expect(report.check).toBe('ok');
    expect(report.tables.map((t) => t.table)).toEqual(['notebook', 'cell', 'imported_file', 'run', 'result', 'parameter_set']);
    expect(report.tables.find((t) => t.table === 'run')?.unreadable.length).toBe(1);
    await expect(dbCommand.run(['salvage'], withDb(captureIO()))).rejects.toThrow(/--out NEW.db is required/);
  });
});
