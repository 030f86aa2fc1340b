import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../cli-types.js';
import { openStore } from '../store/db.js';
import { createNotebook, saveCells, setDeleted } from '../store/notebooks.js';
import { loadImportDoc } from '../store/imports.js';
import { importCommand, measuredTablesCommand, progressLines } from './commands.js';
import { realLogsDir } from './real-logs-dir.js';

function io(dbPath?: string): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (t) => outs.push(t), err: (t) => errs.push(t), dbPath, signal: new AbortController().signal };
}

const require = createRequire(import.meta.url);
const NETPERF = join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
const XENO = join(realLogsDir(), 'oprofile', 'xenoprof-xen4.1-passive-domains-2event-image-summary-domain-lines-excerpt.txt');

describe('rxlab import', () => {
  it('--json --no-save prints one ImportDoc per line', async () => {
    const x = io();
    expect(await importCommand.run([NETPERF, XENO, '--json', '--no-save'], x)).toBe(0);
    const lines = x.outs.join('').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const a = JSON.parse(lines[0] ?? '') as { tool: string; records: Array<{ throughput: number; elapsed_s: number }> };
    expect(Object.keys(a)).toEqual(['tool', 'format', 'warnings', 'records', 'profiles']);
    expect(a.tool).toBe('netperf');
    expect(a.records[0]).toMatchObject({ throughput: 2997.84, elapsed_s: 10 });
    expect((JSON.parse(lines[1] ?? '') as { tool: string }).tool).toBe('oprofile');
  });
  it('--json prints what JSON.stringify prints for the document (--pretty too)', async () => {
    const { importFile } = await import('./import.js');
    for (const pretty of [false, true]) {
      const x = io();
      expect(await importCommand.run([NETPERF, XENO, '--json', '--no-save', ...(pretty ? ['--pretty'] : [])], x)).toBe(0);
      const docs = await Promise.all([NETPERF, XENO].map(async (f) => (await importFile(f)).doc));
      const want = pretty ? docs.map((d) => JSON.stringify(d, null, 2) + '\n').join('\n') : docs.map((d) => JSON.stringify(d) + '\n').join('');
      expect(x.outs.join('')).toBe(want);
    }
  });
  it('--list shows the stored logs with their ids and run counts, newest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const db = join(dir, 'x.db');
    const empty = io(db);
    expect(await importCommand.run(['--list'], empty)).toBe(0);
    expect(empty.outs.join('')).toBe('no logs in the database yet (rxlab import FILE… adds them)\n');
    expect(await importCommand.run([NETPERF, XENO], io(db))).toBe(0);
    const x = io(db);
    expect(await importCommand.run(['--list'], x)).toBe(0);
    const lines = x.outs.join('').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#2 {2}xenoprof-xen4\.1-passive-domains-2event-image-summary-domain-lines-excerpt\.txt {2}oprofile \(.*\), 1 run, [\d,]+ bytes, imported /);
    expect(lines[1]).toMatch(/^#1 {2}netperf-2\.4\.4-manual-tcp_stream-default-localhost\.txt {2}netperf \(netperf classic\), 1 run, 337 bytes, imported /);
    const j = io(db);
    expect(await importCommand.run(['--list', '--json'], j)).toBe(0);
    expect((JSON.parse(j.outs.join('')) as Array<{ id: number; runCount: number }>).map((f) => [f.id, f.runCount])).toEqual([[2, 1], [1, 1]]);
  });
  it('--delete removes a stored log with its runs, but not one a notebook (even a trashed one) still shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const db = join(dir, 'x.db');
    expect(await importCommand.run([NETPERF, XENO], io(db))).toBe(0);
    const d = openStore(db);
    const runOfXeno = d.prepare('SELECT id FROM run WHERE imported_file_id = 2').pluck().get() as number;
    // file 1 shown by an Import cell; file 2 only through one of its runs, in a notebook in the trash
    createNotebook(d, 'Stream', [{ id: 'cell-0001', kind: 'import', config: {}, output: { files: [{ fileId: 1, runIds: [1] }] }, stale: false }]);
    const trashed = createNotebook(d, 'Old', [{ id: 'cell-0002', kind: 'markdown', config: {}, stale: false }, { id: 'cell-0003', kind: 'compare', config: { runIds: String(runOfXeno) }, output: { runIds: [runOfXeno] }, stale: false }]);
    setDeleted(d, trashed.id, true);
    d.close();
    const x = io(db);
    expect(await importCommand.run(['--delete', '1', '--delete', '2', '--delete', '9'], x)).toBe(2);
    expect(x.errs).toEqual([
      'file #1: not deleted: it is shown in "Stream" cell 1; remove it there first\n',
      'file #2: not deleted: it is shown in "Old" (in the trash) cell 2; remove it there first\n',
      'file #9: no such imported file (rxlab import --list shows them)\n',
    ]);
    const e = openStore(db);
    // a notebook in the Trash is not written to: out, emptied, back in
    setDeleted(e, trashed.id, false);
    saveCells(e, trashed.id, []);
    setDeleted(e, trashed.id, true);
    e.close();
    const y = io(db);
    expect(await importCommand.run(['--delete', '2'], y)).toBe(0);
    expect(y.outs.join('')).toMatch(/^deleted file #2 and its 1 run \([\d,]+ bytes of log\)\n$/);
    const f = openStore(db);
    expect(f.prepare('SELECT id FROM imported_file').pluck().all()).toEqual([1]);
    expect(f.prepare('SELECT count(*) FROM run WHERE id = ?').pluck().get(runOfXeno)).toBe(0);
    expect(f.prepare('SELECT count(*) FROM result WHERE run_id = ?').pluck().get(runOfXeno)).toBe(0);
    f.close();
    expect(await importCommand.run(['--delete', 'abc'], io(db))).toBe(2);
  });
  it('a directory is refused with the way to import the logs in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const x = io(join(dir, 'x.db'));
    expect(await importCommand.run([dir, '--no-save'], x)).toBe(2);
    expect(x.errs[0]).toBe(`${dir}:1: is a directory; give the logs in it (e.g. rxlab import ${dir}/*)\n`);
  });
  it('a log too large for the store is refused before parsing, and the next file is still imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 1_100_000_000); // sparse: no disk used
    const db = join(dir, 'x.db');
    const x = io(db);
    expect(await importCommand.run([huge, NETPERF], x)).toBe(2);
    expect(x.errs[0]).toBe(`${huge}:1: too large to store (1.10 GB): the database keeps a log's raw bytes as one value of at most 1,000,000,000 bytes; use --no-save to parse it without storing\n`);
    expect(x.outs.join('')).toMatch(/saved as file #1 \(1 measured runs\)/);
  });
  it('waits for another process that holds the write lock longer than the busy timeout, then saves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const db = join(dir, 'x.db');
    openStore(db).close();
    // another rxlab saving a large import: the write lock held for 6 s (the CLI's busy timeout is 5 s)
    const holder = spawn(process.execPath, ['-e', `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const d = new D(${JSON.stringify(db)}); d.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n'); setTimeout(() => { d.exec('COMMIT'); d.close(); }, 6000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Listened for from the start: the save now yields to the event loop (save-cancellable.ts), so
    // the holder's exit can be dispatched before the command returns, and a listener added after
    // that waited for an exit already gone (the test timed out).
    const exited = new Promise((res) => holder.on('exit', res));
    await new Promise<void>((res) => holder.stdout.once('data', () => res()));
    const x = io(db);
    const t0 = Date.now();
    expect(await importCommand.run([NETPERF], x)).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(4000);
    expect(x.outs.join('')).toMatch(/saved as file #1 \(1 measured runs\)/);
    await exited;
  }, 30_000);
  it('reports a long import on stderr at most once a second, and a short one not at all', () => {
    const errs: string[] = [];
    let t = 0;
    const p = progressLines({ err: (s) => errs.push(s) }, 'big.log', () => t);
    p.parse(1 << 20, 256 << 20);
    t = 900;
    p.parse(100 << 20, 256 << 20);
    t = 1500;
    p.parse(128 << 20, 256 << 20);
    t = 1900;
    p.parse(200 << 20, 256 << 20);
    t = 2600;
    p.save(0, 450432);
    t = 3700;
    p.save(225216, 450432);
    t = 5000;
    p.save(450432, 450432); // the command's own "saved as file #N" line says it is done
    expect(errs).toEqual(['import: big.log: parsed 50 % (128 of 256 MiB)\n', 'import: big.log: saving 450,432 runs\n', 'import: big.log: saved 225,216 of 450,432 runs\n']);
  });
  it('a damaged file exits 2 with FILE:LINE and saves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'CPU: PIII, speed 863.195 MHz (estimated)\nCounted CPU_CLK_UNHALTED events (x) with a unit mask of 0x00 (No unit mask) count 23150\nvma      samples  %           image name               symbol name\n0804be10 14971    28.1993     oprofiled                odb_insert\n0804afdc 7144\n');
    const db = join(dir, 'x.db');
    const x = io(db);
    expect(await importCommand.run([bad], x)).toBe(2);
    expect(x.errs[0]).toBe(`${bad}:5: opreport row is cut off after one number: "0804afdc 7144"\n`);
    const d = openStore(db);
    expect(d.prepare('SELECT COUNT(*) FROM imported_file').pluck().get()).toBe(0);
    d.close();
  });
  it('saves once and recognises the same file again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const db = join(dir, 'x.db');
    const a = io(db);
    expect(await importCommand.run([NETPERF], a)).toBe(0);
    expect(a.outs.join('')).toMatch(/saved as file #1 \(1 measured runs\)\n/);
    const b = io(db);
    expect(await importCommand.run([NETPERF], b)).toBe(0);
    expect(b.outs.join('\n')).toMatch(/already imported as file #1/);
    // The document streamed from the compact record store is the document importFile gives.
    const { importFile } = await import('./import.js');
    const d = openStore(db);
    const stored = d.prepare('SELECT document, typeof(document) AS t, record_count FROM imported_file WHERE id = 1').get() as { document: string; t: string; record_count: number };
    const loaded = loadImportDoc(d, 1);
    d.close();
    const want = (await importFile(NETPERF)).doc;
    expect(stored.t).toBe('text');
    // the records are stored once, as runs; loaded back, the document is exactly importFile's
    expect(stored.document).toBe(JSON.stringify({ ...want, records: [] }));
    expect(stored.record_count).toBe(want.records.length);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(want));
  });
  it('says so when --domain-rule meets a profile that is already stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-import-'));
    const db = join(dir, 'x.db');
    expect(await importCommand.run([XENO], io(db))).toBe(0);
    const x = io(db);
    expect(await importCommand.run([XENO, '--domain-rule', '^vmlinux=guest1'], x)).toBe(0);
    expect(x.outs.join('')).toMatch(/already imported as file #1/);
    expect(x.errs.join('')).toContain(`${XENO}: warning: --domain-rule was not applied to the stored import: file #1 keeps the domains of its first import`);
  });
  it('--domain-rule refuses a domain that is not one, and a pattern that is not a regular expression', async () => {
    for (const [rule, why] of [
      ['vmlinux=hypervsor', '--domain-rule:1: "hypervsor" is not a domain: use hypervisor, driver, guest, guestN (e.g. guest1, or guest$1 from a capture) or native\n'],
      ['vmlinux=guest-1', '--domain-rule:1: "guest-1" is not a domain'],
      ['(vmlinux=driver', '--domain-rule:1: "(vmlinux" is not a regular expression (Invalid regular expression'],
    ] as const) {
      const x = io();
      expect(await importCommand.run([XENO, '--no-save', '--domain-rule', rule], x)).toBe(2);
      expect(x.errs.join('')).toContain(why);
    }
    // captures that fill a guest number or the whole name are fine
    for (const rule of ['^dom(\\d+)-=guest$1', '^(driver|native)-=$1', 'vmlinux=driver']) expect(await importCommand.run([XENO, '--no-save', '--domain-rule', rule], io())).toBe(0);
  });
  it('measured-tables prints the arithmetic', async () => {
    const x = io();
    const code = await measuredTablesCommand.run(['--netperf', NETPERF, '--oprofile', XENO, '--clock-event', 'column 2'], x);
    expect(code).toBe(0);
    expect(x.outs[0]).toBe('Table IV run 1 (line 1): 2997.84 10^6bits/sec = 2,997.84 Mbit/s\n');
  });
  it('measured-tables: several files after one flag, each read as its tool; no file or a missing one is exit 2, named', async () => {
    // the profile given under --netperf is still read as a profile
    const both = io();
    expect(await measuredTablesCommand.run(['--netperf', NETPERF, XENO, '--clock-event', 'column 2'], both)).toBe(0);
    expect(both.errs.join('')).toMatch(/profile 1 \(line 1\)/);
    const none = io();
    expect(await measuredTablesCommand.run([], none)).toBe(2);
    expect(none.errs.join('')).toMatch(/give at least one log/);
    const missing = io();
    expect(await measuredTablesCommand.run(['--netperf', '/nonexistent/np.txt'], missing)).toBe(2);
    expect(missing.errs.join('')).toMatch(/^\/nonexistent\/np\.txt:1: cannot read/);
  });
  it('measured-tables counts a log given twice (or a copy of it) once, and says so', async () => {
    const { copyFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const copy = join(mkdtempSync(join(tmpdir(), 'rxlab-mt-')), 'copy.txt');
    copyFileSync(NETPERF, copy);
    const once = io();
    expect(await measuredTablesCommand.run(['--netperf', NETPERF, '--json'], once)).toBe(0);
    const twice = io();
    expect(await measuredTablesCommand.run(['--netperf', NETPERF, copy, '--json'], twice)).toBe(0);
    expect(twice.outs.join('')).toBe(once.outs.join(''));
    expect(twice.errs.join('')).toContain(`warning: ${copy} has the same bytes as ${NETPERF}: counted once`);
  });
});
