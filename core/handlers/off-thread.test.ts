import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { netperfRun, rng } from '../logs/generate.js';
import { openStore } from '../store/db.js';
import { useTempService } from './temp-service.js';
import { writeFileSync } from 'node:fs';
import { collectSweepOffThread } from './store-client.js';
import { RUN_COLUMNS } from '../store/runs.js';
import type { SimRunOutcome } from '../contract/index.js';

const service = useTempService('rxlab-off-thread-');

function generated(runs: number, seed: number): string {
  const r = rng(seed);
  let text = '';
  for (let i = 0; i < runs; i++) text += netperfRun(r, i);
  return text;
}

describe('store work that grows with the data runs in a worker thread', () => {
  it('a Sweep cell on Slurm: the tasks’ result files are read into the store by a worker, not on the thread that serves the API', async () => {
    const db = service().db;
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-collect-'));
    const path = process.env['PATH'];
    try {
      // A stand-in Slurm on PATH: sbatch runs every task of the array at once, squeue lists nothing.
      writeFileSync(join(dir, 'sbatch'), '#!/bin/bash\nscript="${@: -1}"\nlast=$(sed -n "s/^#SBATCH --array=0-//p" "$script")\nfor i in $(seq 0 "$last"); do SLURM_ARRAY_TASK_ID=$i bash "$script" || exit 1; done\necho 4242\n', { mode: 0o755 });
      writeFileSync(join(dir, 'squeue'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      process.env['PATH'] = `${dir}:${path ?? ''}`;
      const prepared: string[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof db.prepare;
      let r;
      try {
        r = await service().invoke('sweep.run', { system: 'DA', workload: 'stream', set: { duration_s: 0.02, warmup_s: 0.01, mtu: 1400 }, vary: [{ key: 'flush_every_polls', values: [1, 3] }], seeds: 1, on: 'slurm' });
      } finally {
        db.prepare = prepare;
      }
      expect(r.slurm).toMatchObject({ job: '4242', runs: 2 });
      expect(r.cachedRuns).toBe(2);
      // the main connection looked the runs up, but every run was written by the worker
      expect(prepared.some((q) => /^\s*SELECT/i.test(q))).toBe(true);
      expect(prepared.filter((q) => /^\s*INSERT/i.test(q))).toEqual([]);
      expect(db.prepare("SELECT count(*) FROM run WHERE label = 'sweep (slurm)'").pluck().get()).toBe(2);
      // the worker's errors come back as errors
      await expect(collectSweepOffThread(service().dbPath, join(dir, 'nowhere'))).rejects.toThrow(/nowhere\/manifest\.json: cannot read the sweep manifest/);
    } finally {
      process.env['PATH'] = path;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a traced sim.run is saved and read back by the store worker, and its answer is the JSON text the worker printed', async () => {
    const s = service();
    // 12,500 intervals a run: 0.9 MB of JSON, past both thresholds (sim-store.ts)
    const traced = (seed: number) => ({ system: 'Linux' as const, workload: 'stream' as const, seed, set: { warmup_s: 0.05, duration_s: 0.2, trace_ms: 0.02 } });
    const prepared: string[] = [];
    const prepare = s.db.prepare.bind(s.db);
    s.db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof s.db.prepare;
    let first: Awaited<ReturnType<typeof s.reply>>;
    let again: Awaited<ReturnType<typeof s.reply>>;
    try {
      first = await s.reply('sim.run', { runs: [traced(1), traced(2)] });
      again = await s.reply('sim.run', { runs: [traced(2)] });
    } finally {
      s.db.prepare = prepare;
    }
    // the main connection looked the keys up and measured the details, nothing more: no insert, no row read
    expect(prepared.filter((q) => /^\s*INSERT/i.test(q) || q.includes(RUN_COLUMNS))).toEqual([]);
    expect(prepared.some((q) => /octet_length\(detail\)/.test(q))).toBe(true);
    // the host sends the worker's text as it is; it is the envelope the object path gives
    expect(typeof first).toBe('string');
    const env = JSON.parse(first as string) as { ok: true; value: SimRunOutcome };
    expect(env.ok).toBe(true);
    expect(env.value.cached).toBe(0);
    expect(env.value.runs.map((r) => r.provenance.seed)).toEqual([1, 2]);
    expect((env.value.runs[0]?.detail as { over_time: { t_s: number[] } }).over_time.t_s).toHaveLength(12_500);
    // the main connection sees what the worker committed
    expect(s.db.prepare("SELECT id FROM run WHERE label = 'simulation' ORDER BY id").pluck().all()).toEqual(env.value.runs.map((r) => r.id));
    expect(JSON.parse(again as string)).toEqual({ ok: true, value: { runs: [env.value.runs[1]], cached: 1 } });
    // Service.call (the CLI, tests) parses the text into the same value
    expect(await s.call('sim.run', { runs: [traced(1), traced(2)] })).toEqual({ ok: true, value: { runs: env.value.runs, cached: 2 } });
    // an untraced run is small: saved and read on the calling thread, where it does not wait for a pool thread
    const small = await s.reply('sim.run', { runs: [{ system: 'Linux', workload: 'stream', seed: 3, set: { duration_s: 0.02, warmup_s: 0.01 } }] });
    expect(typeof small).toBe('object');
    expect(small).toMatchObject({ ok: true, value: { cached: 0, runs: [{ provenance: { seed: 3 } }] } });
  });

  it('the main connection prepares no statement while a log of 4,000 runs is parsed and saved', async () => {
    const db = service().db;
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const events: { done: number; total: number; message?: string }[] = [];
    const stop = service().onEvent((e) => {
      if (e.type === 'progress' && e.jobId === 'imp-big') events.push(e);
    });
    let res;
    try {
      res = await service().invoke('log.import', { jobId: 'imp-big', fileName: 'big.log', dataBase64: Buffer.from(generated(4000, 3)).toString('base64') });
    } finally {
      db.prepare = prepare;
      stop();
    }
    expect(prepared).toEqual([]);
    // Progress from inside the worker: parsing, then saving the runs, never going backwards.
    expect(events.some((e) => e.message === 'parsing big.log')).toBe(true);
    expect(events.some((e) => e.message === 'saving 4,000 runs of big.log' && e.done > 30 && e.done < 100)).toBe(true);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ done: 100, total: 100 });
    expect(res.runIds).toHaveLength(4000);
    // …and the main connection sees everything the worker committed.
    expect(db.prepare('SELECT count(*) FROM run WHERE imported_file_id = ?').pluck().get(res.file.id)).toBe(4000);
    expect(db.prepare('SELECT count(*) FROM result WHERE run_id = ?').pluck().get(res.runIds[0])).toBeGreaterThan(3);
  });

  it('a page of the stored-runs browser is counted and sorted in a worker, filters and all', async () => {
    const s = service();
    const imported = await s.invoke('log.import', { fileName: 'browse.log', dataBase64: Buffer.from(generated(1500, 11)).toString('base64') });
    const prepared: string[] = [];
    const prepare = s.db.prepare.bind(s.db);
    s.db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof s.db.prepare;
    let page;
    try {
      page = await s.invoke('runs.query', { importedFileId: imported.file.id, workload: 'TCP_STREAM', sort: 'throughput', limit: 20, facets: true });
    } finally {
      s.db.prepare = prepare;
    }
    expect(prepared).toEqual([]);
    const streams = s.db.prepare("SELECT count(*) FROM run WHERE imported_file_id = ? AND workload = 'TCP_STREAM'").pluck().get(imported.file.id);
    expect(page.total).toBe(streams);
    expect(page.rows).toHaveLength(20);
    const tput = page.rows.map((r) => r.metrics['throughput']?.value ?? -1);
    expect(tput).toEqual([...tput].sort((a, b) => b - a));
    expect(page.rows.every((r) => r.fileName === 'browse.log' && r.workload === 'TCP_STREAM')).toBe(true);
    expect(page.facets?.kinds.find((k) => k.value === 'measured')?.count).toBeGreaterThanOrEqual(1500);
    expect(await s.call('runs.query', { sort: 'rowid' })).toMatchObject({ ok: false, error: { code: 'bad-request', issues: [{ path: 'sort' }] } });
    expect(await s.call('runs.query', { limit: '100' })).toMatchObject({ ok: false, error: { code: 'bad-request', issues: [{ path: 'limit' }] } });
  });

  it('an import saves while the main connection keeps writing (no SQLITE_BUSY_SNAPSHOT), and such writes wait their turn', async () => {
    const s = service();
    // A second connection, like the main thread's, committing every few ms throughout the import.
    const other = openStore(s.dbPath);
    other.pragma('busy_timeout = 0');
    const probe = other.prepare("INSERT INTO notebook(title, created_at, updated_at) VALUES ('probe', 'x', 'x')");
    let wrote = 0;
    let refused = 0;
    const timer = setInterval(() => {
      try {
        probe.run();
        wrote++;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        refused++;
      }
    }, 3);
    try {
      const res = await s.invoke('log.import', { fileName: 'concurrent.log', dataBase64: Buffer.from(generated(4000, 8)).toString('base64') });
      expect(res.runIds).toHaveLength(4000);
    } finally {
      clearInterval(timer);
      other.close();
    }
    expect(wrote).toBeGreaterThan(0);
    expect(refused + wrote).toBeGreaterThan(5);
  });

  it('a cancelled import saves all or nothing, and the database stays writable', async () => {
    const s = service();
    const text = generated(20_000, 4);
    const pending = s.call('log.import', { jobId: 'imp-cancel', fileName: 'cancel.log', dataBase64: Buffer.from(text).toString('base64') });
    await new Promise((r) => setTimeout(r, 150));
    s.cancel('imp-cancel');
    const env = await pending;
    const files = s.db.prepare("SELECT id FROM imported_file WHERE file_name = 'cancel.log'").pluck().all() as number[];
    if (env.ok) {
      // The import finished before the cancel arrived: then every run is there.
      expect(s.db.prepare('SELECT count(*) FROM run WHERE imported_file_id = ?').pluck().get(files[0])).toBe((env.value as { runIds: number[] }).runIds.length);
    } else {
      expect(env.error.message).toMatch(/cancel|abort/i);
      expect(files).toEqual([]);
      expect(s.db.prepare("SELECT count(*) FROM run WHERE label LIKE 'cancel.log #%'").pluck().get()).toBe(0);
    }
    // No lock left behind by the terminated worker: the main connection writes at once.
    const nb = await s.invoke('notebook.create', { title: 'after cancel' });
    expect(nb.id).toBeGreaterThan(0);
    const again = await s.invoke('log.import', { fileName: 'small.log', dataBase64: Buffer.from(generated(5, 5)).toString('base64') });
    expect(again.runIds).toHaveLength(5);
  });

  it('a cancel at any moment of an import: the answer says "saved" exactly when the file is stored, with every run', async () => {
    const s = service();
    const outcomes: string[] = [];
    // Cancel when the bar reaches each share, the last ones at and after the final save progress,
    // where a worker terminated from outside could already have committed (seen in CI).
    for (const [k, at] of [10, 40, 90, 99, 100].entries()) {
      const jobId = `imp-race-${at}`;
      const fileName = `race-${at}.log`;
      const stop = s.onEvent((e) => {
        if (e.type === 'progress' && e.jobId === jobId && e.total > 0 && (100 * e.done) / e.total >= at) s.cancel(jobId);
      });
      const env = await s.call('log.import', { jobId, fileName, dataBase64: Buffer.from(generated(3000, 20 + k)).toString('base64') });
      stop();
      const files = s.db.prepare('SELECT id FROM imported_file WHERE file_name = ?').pluck().all(fileName) as number[];
      const runs = s.db.prepare('SELECT count(*) FROM run WHERE label LIKE ?').pluck().get(`${fileName} #%`);
      if (env.ok) {
        expect(files).toHaveLength(1);
        expect(runs).toBe(3000);
        outcomes.push('saved');
      } else {
        expect(env.error.code).toBe('cancelled');
        expect(files).toEqual([]);
        expect(runs).toBe(0);
        outcomes.push('cancelled');
      }
    }
    // An early cancel always wins (it arrives long before the commit).
    expect(outcomes[0]).toBe('cancelled');
  });

  it('a cancel that arrives just after the commit is too late: the answer is the saved file, not "cancelled"', async () => {
    const s = service();
    const seen = s.db.prepare('SELECT count(*) FROM imported_file WHERE file_name = ?').pluck();
    // The watcher below runs between event-loop turns; on a loaded machine the answer can arrive before
    // it has looked once after the commit. Such a try shows nothing either way: try again (distinct logs).
    for (let attempt = 1; attempt <= 5; attempt++) {
      const name = `late-${attempt}.log`;
      const jobId = `imp-late-${attempt}`;
      let cancelled = false;
      let polling = true;
      // Watch from the main connection (WAL: reads do not wait) and cancel the moment the commit shows.
      const poll = (): void => {
        if (!polling) return;
        if ((seen.get(name) as number) > 0) {
          cancelled = true;
          s.cancel(jobId);
          return;
        }
        setImmediate(poll);
      };
      setImmediate(poll);
      const env = await s.call('log.import', { jobId, fileName: name, dataBase64: Buffer.from(generated(3000, 40 + attempt)).toString('base64') });
      polling = false;
      if (!cancelled) continue;
      expect(env.ok).toBe(true);
      expect((env as { value: { runIds: number[] } }).value.runIds).toHaveLength(3000);
      return;
    }
    throw new Error('in 5 tries the cancel never came between the commit and the answer');
  });

  it('.rxnb export and import run off the main connection, and a re-import maps every run back to itself', async () => {
    const s = service();
    const imp = await s.invoke('log.import', { fileName: 'portable.log', dataBase64: Buffer.from(generated(3000, 6)).toString('base64') });
    const nb = await s.invoke('notebook.create', { title: 'portable' });
    await s.invoke('notebook.save', { id: nb.id, cells: [{ id: '00000000-0000-4000-8000-000000000001', kind: 'import', config: { fileIds: [imp.file.id] }, output: null }] });
    const db = s.db;
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      if (/\b(run|result|imported_file)\b/.test(sql)) prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    let text: string;
    try {
      text = (await s.invoke('notebook.export', { id: nb.id })).text;
      await s.invoke('notebook.import', { text });
    } finally {
      db.prepare = prepare;
    }
    expect(prepared).toEqual([]);
    // Into the same database: the file and each of its 3,000 runs are recognised, none duplicated.
    const { importNotebook } = await import('../portable/import.js');
    const report = db.transaction(() => importNotebook(db, text))();
    expect(report.reusedFiles).toBe(1);
    expect(report.reusedRuns).toBe(3000);
    const mapped = [...report.runIds.values()].sort((a, b) => a - b);
    expect(mapped).toEqual([...imp.runIds].sort((a, b) => a - b));
    expect(db.prepare('SELECT count(*) FROM run WHERE imported_file_id = ?').pluck().get(imp.file.id)).toBe(3000);
  });

  it('a worker terminated inside a write transaction leaves no lock and no partial rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-terminate-'));
    const file = join(dir, 'db.sqlite');
    const main = openStore(file);
    try {
      // The worker takes the write lock, inserts, and then hangs inside the transaction.
      const src = `
        const { parentPort, workerData } = require('node:worker_threads');
        const Database = require(workerData.sqlite);
        const db = new Database(workerData.file);
        db.pragma('busy_timeout = 5000');
        db.exec('BEGIN IMMEDIATE');
        db.prepare("INSERT INTO notebook(title, created_at, updated_at) VALUES ('half', 'x', 'x')").run();
        parentPort.postMessage('inside');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      `;
      const w = new Worker(src, { eval: true, workerData: { file, sqlite: require.resolve('better-sqlite3') } });
      await new Promise<void>((res, rej) => {
        w.once('message', () => res());
        w.once('error', rej);
      });
      await w.terminate();
      main.pragma('busy_timeout = 0');
      main.prepare("INSERT INTO notebook(title, created_at, updated_at) VALUES ('after', 'x', 'x')").run();
      expect(main.prepare('SELECT title FROM notebook ORDER BY id').pluck().all()).toEqual(['after']);
    } finally {
      main.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
